import { z } from 'zod';
import { StsError } from '../errors.js';

/** A whole number read from a string, in a range; any mistake is told with the one message. */
function wholeNumber(message: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

/** The HTTP service's settings, each default declared once; read from the environment by main.ts. */
export const ServerConfig = z.strictObject({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Default: 0.0.0.0 when an admin token protects the write routes, else 127.0.0.1 only. */
  host: z.string().min(1).optional(),
  /** Bearer token required by PUT/DELETE /v1/models and Caila /import; unset = writes open (loopback only by default). */
  adminToken: z.string().min(1).optional(),
  /** Bearer token that reads model data (GET /v1/models…, Caila /export) but changes nothing; the admin token reads too. */
  readToken: z.string().min(1).optional(),
  /** Largest accepted request body, as express/body-parser reads it ("1mb", "500kb", bytes). */
  bodyLimit: z
    .union([z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, 'a size such as "1mb", "500kb" or a number of bytes'), z.number().int().min(1)])
    .default('1mb'),
  /** Most texts one /v1/classify/batch request may carry. */
  batchLimit: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Log the request text (off: texts may hold personal data). */
  logText: z.boolean().default(false),
  /** Caila access token → model name; when set, only these tokens reach a model (else a model's name is its token). */
  cailaTokens: z.record(z.string(), z.string()).default({}),
  /**
   * The longest timeLimit a request or a batch may run with (ms), whatever it asks for (0, a
   * huge value); unset = each model's own timeLimit (docs/limits.md).
   */
  maxTimeLimitMs: z.coerce.number({ error: 'a number of ms above 0' }).positive({ error: 'a number of ms above 0' }).optional(),
  /** How long requests in flight may finish after SIGTERM (ms); past it they are answered 503. */
  drainMs: wholeNumber('a whole number of ms, at least 0', 0).default(10_000),
  /**
   * Worker threads that classify, per server process (docs/limits.md): the event loop only reads
   * requests and writes answers, each at its deadline. 0: classify on the event loop, in turns.
   */
  classifyThreads: wholeNumber('a whole number of threads from 0 to 64', 0, 64).default(1),
  /** Server processes sharing the port (node:cluster); `auto` = as many as the cores hold, a core for each one's event loop and one for each of its classify threads. */
  workers: z.union([z.literal('auto'), wholeNumber('a number of processes from 1 to 256, or auto', 1, 256)], { error: 'a number of processes from 1 to 256, or auto' }).default(1),
  /** Where models are kept: unset = the models folder; a postgres:// URL = that database (a fleet's replicas share it). */
  store: z.string().regex(/^postgres(ql)?:\/\//i, 'a postgres:// URL').optional(),
  /** Memory the models loaded from the store may take in each server process (MB); the least recently used are dropped past it. */
  modelMemoryMb: wholeNumber('a whole number of MB, at least 1', 1).default(1024),
  /** How often the store is read again in full, so that a change whose notification was missed is still picked up (ms). */
  storeRecheckMs: wholeNumber('a whole number of ms, at least 100', 100).default(10_000),
});
export type ServerConfig = z.output<typeof ServerConfig>;
export type ServerConfigInput = z.input<typeof ServerConfig>;

export const LOOPBACK = '127.0.0.1';
export const ANY_HOST = '0.0.0.0';

/** A model name: safe as a file name and a URL segment. */
export const ModelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a model name of letters, digits, ".", "_" or "-" (at most 64, not starting with a dot)');

/** Where each setting comes from in the environment, for messages that name what the user set. */
const ENV_NAMES: Record<keyof ServerConfig, string> = {
  port: 'PORT',
  host: 'HOST',
  adminToken: 'STS_ADMIN_TOKEN',
  readToken: 'STS_READ_TOKEN',
  bodyLimit: 'STS_BODY_LIMIT',
  batchLimit: 'STS_BATCH_LIMIT',
  logText: 'LOG_TEXT',
  cailaTokens: 'STS_CAILA_TOKENS',
  maxTimeLimitMs: 'STS_MAX_TIME_LIMIT_MS',
  drainMs: 'STS_DRAIN_MS',
  classifyThreads: 'STS_CLASSIFY_THREADS',
  workers: 'STS_WORKERS',
  store: 'STS_STORE',
  modelMemoryMb: 'STS_MODEL_MEMORY_MB',
  storeRecheckMs: 'STS_STORE_RECHECK_MS',
};

/**
 * The server config from the environment (the shell of `npm start` and `sts serve`), with
 * command-line values on top. Empty variables count as unset; a bad value is an error that
 * names the variable (or flag) and the value.
 */
export function serverConfigFromEnv(env: NodeJS.ProcessEnv, flags: Partial<Record<'port' | 'host' | 'workers', string | number>> = {}): ServerConfig {
  const set = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
  const input: Record<string, unknown> = {
    port: flags.port ?? set(env.PORT),
    host: flags.host ?? set(env.HOST),
    adminToken: set(env.STS_ADMIN_TOKEN),
    readToken: set(env.STS_READ_TOKEN),
    bodyLimit: set(env.STS_BODY_LIMIT),
    batchLimit: set(env.STS_BATCH_LIMIT),
    logText: env.LOG_TEXT === '1',
    cailaTokens: parseTokens(set(env.STS_CAILA_TOKENS)),
    maxTimeLimitMs: set(env.STS_MAX_TIME_LIMIT_MS),
    drainMs: set(env.STS_DRAIN_MS),
    classifyThreads: set(env.STS_CLASSIFY_THREADS),
    workers: flags.workers ?? set(env.STS_WORKERS),
    store: set(env.STS_STORE)?.trim(),
    modelMemoryMb: set(env.STS_MODEL_MEMORY_MB),
    storeRecheckMs: set(env.STS_STORE_RECHECK_MS),
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  const parsed = ServerConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => {
    const key = i.path[0] as keyof ServerConfig;
    const name = key in flags ? `--${key}` : ENV_NAMES[key];
    // A URL may hold a password, and a token is one: never echoed.
    const given = key === 'store' ? 'another kind of URL' : SECRETS.has(key) ? 'something else' : JSON.stringify(input[key]);
    return { path: name, message: `${name} must be ${i.message}, got ${given}` };
  });
  throw new StsError('invalid_settings', details.map((d) => d.message).join('; '), details);
}

/** Settings whose values are secrets: a message about them never repeats the value. */
const SECRETS: ReadonlySet<keyof ServerConfig> = new Set(['adminToken', 'readToken', 'cailaTokens']);

/** STS_CAILA_TOKENS: "token=model,token2=model2". A mistake is told by its place in the list, not by its text (it holds a token). */
function parseTokens(spec: string | undefined): Record<string, string> | undefined {
  if (spec === undefined) return undefined;
  const pairs = spec.split(',').map((p) => p.trim()).filter(Boolean);
  const bad = pairs.findIndex((p) => !/^[^=\s]+=[^=\s]+$/.test(p));
  if (bad >= 0) throw new StsError('invalid_settings', `STS_CAILA_TOKENS must be "token=model,…": pair ${bad + 1} of ${pairs.length} is not token=model`);
  return Object.fromEntries(pairs.map((p) => p.split('=') as [string, string]));
}

/**
 * The number of server processes `workers` asks for. `auto` gives each process a core for its
 * event loop and one for each classify thread (on two cores, one process and its thread served
 * more than two processes: npm run bench:fleet).
 */
export function workerCount(workers: ServerConfig['workers'], cores: number, classifyThreads = 0): number {
  return workers === 'auto' ? Math.max(1, Math.floor(cores / (1 + classifyThreads))) : workers;
}
