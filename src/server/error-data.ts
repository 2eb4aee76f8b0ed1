import { isStsError, StsError, type ErrorLocation, type StsErrorCode } from '../errors.js';

/**
 * An error as data, to cross from a worker thread to the main thread: an StsError by its code,
 * message and details (the main thread gives the client the same answer), anything else by its
 * stack, for the log.
 */
export interface ErrorData {
  code?: StsErrorCode;
  message: string;
  details?: ErrorLocation[];
}

export function errorData(e: unknown): ErrorData {
  if (isStsError(e)) return { code: e.code, message: e.message, details: [...e.details] };
  return { message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

/** The error again on this side: an StsError as it was, anything else as `otherwise` makes it. */
export function errorFromData(e: ErrorData, otherwise: (message: string) => Error): Error {
  return e.code !== undefined ? new StsError(e.code, e.message, e.details ?? []) : otherwise(e.message);
}
