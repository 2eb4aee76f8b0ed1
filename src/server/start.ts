import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { StsError } from '../errors.js';
import { createApp, type StsApp } from './app.js';
import { ANY_HOST, LOOPBACK, ServerConfig, type ServerConfigInput } from './config.js';
import { loadModel, removeStaleTempFiles, TEMP_FILE_MAX_AGE_MS } from '../model/io.js';
import { drainOnClose } from './drain.js';
import { FolderStore, MODEL_SUFFIX } from '../store/folder-store.js';
import { openStore } from '../store/open-store.js';
import { seedStore } from '../store/seed.js';
import { OffThreadCompiler } from './off-thread-compiler.js';
import { ClassifyPool } from './pool/classify-pool.js';
import { pooledClassifiers } from './pool/pooled-classifier.js';
import { folderSummariser, ModelChecker } from './model-checker.js';
import { ModelRegistry } from './registry.js';
import { requestClasses } from './request-classes.js';

/** How long an idle keep-alive connection stays open (Node's default is 5 s). */
const KEEP_ALIVE_MS = 30_000;

export interface StartOptions {
  /**
   * A model file, or a folder whose `*.model.json` files are all served: the folder store. With
   * a PostgreSQL store (config.store), the folder whose models seed the store while it is empty.
   */
  model: string;
  /** Which model answers requests that name none; default `demo` if stored, else the first by name. */
  defaultModel?: string;
  config?: ServerConfigInput;
  logger?: Logger;
  version?: string;
}

export interface RunningServer {
  app: StsApp;
  server: Server;
  registry: ModelRegistry;
  url: string;
  /** Stops accepting, lets requests in flight finish (at most config.drainMs), closes the store, then resolves. */
  close: () => Promise<void>;
}

const MB = 1024 * 1024;
/** Listed by name in the "listening" log line up to this many; past it, counted. */
const LOGGED_NAMES = 20;

/** Opens the model store, loads the default model, builds the app and listens; the shell of `npm start` and `sts serve`. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const config = ServerConfig.parse(options.config ?? {});
  const logger = options.logger ?? pino();
  // Classification in worker threads, unless STS_CLASSIFY_THREADS=0 (docs/limits.md).
  const pool = config.classifyThreads > 0 ? new ClassifyPool({ threads: config.classifyThreads, onStuck: (message) => logger.warn(message) }) : undefined;
  // With classify threads, stored models are checked off the event loop too (model-checker.ts).
  const checker = pool && new ModelChecker();
  const closeThreads = async () => void (await Promise.all([pool?.close(), checker?.close()]));
  const { registry, folder, file } = await openRegistry(options, config, logger, pool, checker).catch(async (e: unknown) => {
    await closeThreads();
    throw e;
  });
  // Writes killed half-way leave temporary files in the models folder: removed now, and as they age.
  const sweep = async () => {
    const removed = folder ? await removeStaleTempFiles(folder.dir) : [];
    if (removed.length > 0) logger.info({ files: removed }, 'removed temporary files that interrupted writes left in the models folder');
  };
  await sweep();
  const sweeper = setInterval(() => void sweep(), TEMP_FILE_MAX_AGE_MS).unref();
  let wanted: string;
  try {
    if (registry.store?.kind === 'postgres') {
      const seeded = folder ? await seedStore(registry.store, folder) : [];
      if (seeded.length > 0) logger.info({ models: seeded }, 'the model store was empty: seeded it with the models folder');
    }
    await registry.open({ recheckMs: config.storeRecheckMs });
    // A model file whose name is not <name>.model.json is not in the folder store: served from memory.
    if (file !== undefined && !file.endsWith(MODEL_SUFFIX)) registry.add(modelNameOf(file), await loadModel(file));
    const names = registry.list().map((m) => m.name);
    if (names.length === 0 && registry.store?.kind === 'folder') throw new StsError('not_found', `${options.model}: no *.model.json files to serve`);
    // A damaged demo is still the default, whose load then stops the start: another model would answer in its place.
    const demo = names.includes('demo') || (await registry.holdsDamaged('demo'));
    const chosen = options.defaultModel ?? (file !== undefined ? modelNameOf(file) : demo ? 'demo' : names[0]);
    if (chosen !== undefined) {
      if (!registry.has(chosen) && !(await registry.holdsDamaged(chosen))) throw new StsError('not_found', `default model "${chosen}" is not among the models of the store`);
      // Loaded now, so that a damaged default model stops the start, as it would a request.
      await registry.resolve(chosen);
    } else {
      logger.warn('the model store holds no model yet: not ready until one is uploaded (PUT /v1/models/{name})');
    }
    registry.defaultName = chosen;
    wanted = chosen ?? '';
  } catch (e) {
    clearInterval(sweeper);
    await registry.close();
    await closeThreads();
    throw e;
  }

  const host = config.host ?? (config.adminToken ? ANY_HOST : LOOPBACK);
  if (!config.adminToken) {
    logger.warn(
      { host },
      'STS_ADMIN_TOKEN is not set: model uploads and deletes (PUT/DELETE /v1/models, Caila /import) are open to anyone who can connect; binding to 127.0.0.1 unless HOST is set',
    );
  }
  const app = createApp({ registry, config, logger, version: options.version, eventLoopMetrics: true });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createServer(requestClasses(app), app).listen(config.port, host, () => resolve(s));
    s.once('error', reject);
  }).catch(async (e: unknown) => {
    clearInterval(sweeper);
    app.locals.metrics.stop();
    await registry.close();
    await closeThreads();
    throw e;
  });
  // Node closes a keep-alive connection idle for 5 s by default, and checks that before it reads
  // the sockets again: a request sent while the event loop is held longer (preparing a very
  // large uploaded model takes seconds: BENCH_COPIES=10 npm run bench:upload) is lost with
  // ECONNRESET. A hold longer than KEEP_ALIVE_MS would still lose them. Kept under headersTimeout
  // (60 s), as is good practice.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${host === ANY_HOST ? LOOPBACK : host}:${port}`;
  const names = registry.list().map((m) => m.name);
  logger.info(
    { url, models: names.length <= LOGGED_NAMES ? names : names.length, default: wanted || undefined, store: registry.store?.kind, modelMemoryMb: config.modelMemoryMb },
    'listening',
  );
  const closeServer = drainOnClose(server, app, config.drainMs);
  const close = () => {
    clearInterval(sweeper);
    app.locals.metrics.stop();
    return closeServer()
      .then(() => registry.close())
      .then(closeThreads);
  };
  return { app, server, registry, url, close };
}

/** The registry on the store the config names: the models folder (or the model file's), or PostgreSQL. */
async function openRegistry(options: StartOptions, config: ServerConfig, logger: Logger, pool: ClassifyPool | undefined, checker: ModelChecker | undefined): Promise<{ registry: ModelRegistry; folder?: FolderStore; file?: string }> {
  const postgres = config.store !== undefined;
  const isDir = await stat(options.model).then(
    (s) => s.isDirectory(),
    () => {
      // A fleet's store needs no folder: one to seed it from is optional.
      if (postgres) return undefined;
      throw new StsError('not_found', `${options.model}: no such model file or folder`);
    },
  );
  const onProblem = (message: string) => logger.warn(message);
  // A large file (at start, or changed by another process: a worker of --workers, a hand) is parsed for its summary off the event loop.
  const summarise = checker && folderSummariser(checker);
  const folder = isDir === undefined ? undefined : new FolderStore(isDir ? options.model : path.dirname(options.model), (file, message) => onProblem(`${file}: ${message}`), summarise);
  const store = postgres ? await openStore({ kind: 'postgres', url: config.store! }, { onProblem }) : folder!;
  // Uploads compile in a worker thread: classification goes on meanwhile.
  const compiler = new OffThreadCompiler({ withModel: !pool });
  const registry = new ModelRegistry(store, undefined, undefined, (source) => compiler.compile(source), {
    memoryBudgetBytes: config.modelMemoryMb * MB,
    onProblem: (message, err) => logger.warn({ err }, message),
    classifiers: pool && pooledClassifiers(pool),
    // With classify threads, the event loop neither checks a model nor decodes its regression.
    checker,
    prepare: pool && ((id, file) => ({ head: pool.preload(id, file), release: () => pool.release(id) })),
  });
  return { registry, folder, file: isDir === false ? options.model : undefined };
}

/** `models/demo.model.json` → `demo`; `x.json` → `x`. */
function modelNameOf(file: string): string {
  const base = path.basename(file);
  if (base.endsWith(MODEL_SUFFIX)) return base.slice(0, -MODEL_SUFFIX.length);
  return base.replace(/\.json$/, '');
}
