import { StsError } from '../errors.js';

/**
 * Where a server keeps its compiled models: a folder (the default) or PostgreSQL (a fleet).
 * A store holds model files by name, whole or not at all, and tells its owner when another
 * process changed one. The server keeps what it serves in memory (registry.ts); the store is
 * the truth that every replica reads back.
 */
export interface ModelStore {
  /** `folder` or `postgres`, for logs, /readyz and /metrics. */
  readonly kind: StoreKind;
  /** Every model the store holds, without the model files. */
  list(): Promise<StoredModelInfo[]>;
  /**
   * One model's description, without its file; undefined when the store holds no such name.
   * Fails with DamagedFile when it holds the name but not a model (list() leaves that name out).
   */
  info(name: string): Promise<StoredModelInfo | undefined>;
  /** One model's file (a model's JSON in UTF-8, as modelFileBytes() makes it) and its description; DamagedFile as info(). */
  read(name: string): Promise<StoredModel | undefined>;
  /**
   * Writes a model file (its bytes, modelFileBytes()) under a name, replacing the one before,
   * whole or not at all; the other processes that watch the store hear of it. `ifAbsent`: only
   * if the name is free (seeding), and then undefined when it was not. Bytes, not text: the
   * server never holds a large model's text on its event loop (a compile worker sends the bytes).
   */
  write(name: string, file: Uint8Array, summary: ModelSummary, options?: { ifAbsent?: boolean }): Promise<StoredModelInfo | undefined>;
  /** Removes a model; false when the store held no such name. */
  remove(name: string): Promise<boolean>;
  /**
   * Calls `listener` when a model may have changed in another process: with its name (and the
   * revision it has now, when the store knows), or with no name when anything may have changed
   * (after an outage the store could not hear through). A hint: the listener reads the truth.
   */
  watch(listener: (change: StoreChange) => void): void;
  /** Whether the store can be reached now, and why not. */
  status(): StoreStatus;
  /** Stops watching and closes connections. */
  close(): Promise<void>;
}

export type StoreKind = 'folder' | 'postgres';

/** What GET /v1/models lists of a model, known without loading it. */
export interface ModelSummary {
  id: string;
  language: string;
  intents: number;
  phrases: number;
}

export interface StoredModelInfo extends ModelSummary {
  name: string;
  /** Changes whenever the stored model does (compared for equality only). */
  revision: string;
  /** The model file's size: what the memory budget counts a model by. */
  bytes: number;
  updatedAt: Date;
}

export interface StoredModel {
  info: StoredModelInfo;
  /** The model file's bytes: its JSON in UTF-8. */
  file: Uint8Array;
}

export interface StoreChange {
  name?: string;
  revision?: string;
}

export interface StoreStatus {
  up: boolean;
  /** Why the store cannot be reached, while it cannot. */
  error?: string;
  since: Date;
}

/**
 * What a store holds under a name when that is not a model whose summary can be read (a file
 * damaged or replaced by hand: not JSON, not UTF-8, not a regular file): the reason, and the
 * revision it was found at, so that its owner can tell when it changes.
 */
export class DamagedFile extends StsError {
  constructor(
    reason: string,
    readonly revision: string,
  ) {
    super('invalid_model', reason);
  }
}

/**
 * The error every store operation fails with while the store cannot be reached: a 503 that says
 * so. The reason (host, port, PostgreSQL's message) is the operator's: it stays in the cause, for the log.
 */
export function storeUnavailable(what: string, cause: unknown): StsError {
  return new StsError('store_unavailable', `the model store is unavailable (${what}); models already in memory still serve; try again later`, [], { cause });
}

/** An error's short reason, for logs and /readyz. */
export function reasonOf(e: unknown): string {
  if (e instanceof StsError && e.cause !== undefined) return reasonOf(e.cause);
  if (e instanceof Error) return e.message || (e as NodeJS.ErrnoException).code || e.name;
  return String(e);
}
