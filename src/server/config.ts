import { z } from 'zod';

/** The HTTP service's settings, each default declared once; read from the environment by main.ts. */
export const ServerConfig = z.strictObject({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Default: 0.0.0.0 when an admin token protects the write routes, else 127.0.0.1 only. */
  host: z.string().min(1).optional(),
  /** Bearer token required by PUT/DELETE /v1/models and Caila /import; unset = writes open (loopback only by default). */
  adminToken: z.string().min(1).optional(),
  /** Largest accepted request body, as express/body-parser reads it ("1mb", "500kb", bytes). */
  bodyLimit: z.union([z.string(), z.number()]).default('1mb'),
  /** Most texts one /v1/classify/batch request may carry. */
  batchLimit: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Log the request text (off: texts may hold personal data). */
  logText: z.boolean().default(false),
  /** Caila access token → model name; a token not listed selects the model of that name. */
  cailaTokens: z.record(z.string(), z.string()).default({}),
});
export type ServerConfig = z.output<typeof ServerConfig>;
export type ServerConfigInput = z.input<typeof ServerConfig>;

export const LOOPBACK = '127.0.0.1';
export const ANY_HOST = '0.0.0.0';

/** A model name: safe as a file name and a URL segment. */
export const ModelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a model name of letters, digits, ".", "_" or "-" (at most 64, not starting with a dot)');
