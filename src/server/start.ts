import { stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { StsError } from '../errors.js';
import { createApp, type StsApp } from './app.js';
import { ANY_HOST, LOOPBACK, ServerConfig, type ServerConfigInput } from './config.js';
import { OffThreadCompiler } from './off-thread-compiler.js';
import { ModelRegistry, modelNameOf } from './registry.js';

/** How long an idle keep-alive connection stays open (Node's default is 5 s). */
const KEEP_ALIVE_MS = 30_000;

export interface StartOptions {
  /** A model file, or a folder whose `*.model.json` files are all served. */
  model: string;
  /** Which loaded model answers requests that name none; default `demo` if loaded, else the first. */
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
  /** Stops accepting, lets requests in flight finish, then resolves. */
  close: () => Promise<void>;
}

/** Loads the models, builds the app and listens; the shell of `npm start` and `sts serve`. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const config = ServerConfig.parse(options.config ?? {});
  const logger = options.logger ?? pino();
  const isDir = await stat(options.model).then(
    (s) => s.isDirectory(),
    () => {
      throw new StsError('not_found', `${options.model}: no such model file or folder`);
    },
  );
  // Uploads compile in a worker thread: classification goes on meanwhile.
  const compiler = new OffThreadCompiler();
  const registry = new ModelRegistry(isDir ? options.model : path.dirname(options.model), undefined, undefined, (source) => compiler.compile(source));
  const loaded = await registry.load(options.model, isDir);
  if (loaded.length === 0) throw new StsError('not_found', `${options.model}: no *.model.json files to serve`);
  const wanted = options.defaultModel ?? (isDir ? (registry.get('demo') ? 'demo' : loaded[0]!.name) : modelNameOf(options.model));
  if (!registry.get(wanted)) throw new StsError('not_found', `default model "${wanted}" is not among the loaded models`);
  registry.defaultName = wanted;

  const host = config.host ?? (config.adminToken ? ANY_HOST : LOOPBACK);
  if (!config.adminToken) {
    logger.warn(
      { host },
      'STS_ADMIN_TOKEN is not set: model uploads and deletes (PUT/DELETE /v1/models, Caila /import) are open to anyone who can connect; binding to 127.0.0.1 unless HOST is set',
    );
  }
  const app = createApp({ registry, config, logger, version: options.version });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
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
  logger.info({ url, models: loaded.map((e) => e.name), default: wanted }, 'listening');
  return { app, server, registry, url, close: gracefulClose(server) };
}

/**
 * Stops accepting connections, lets every response in flight finish (and be flushed), answers
 * them with `Connection: close`, then closes the idle keep-alive sockets. http.Server#close
 * would close idle-looking sockets at once, cutting off a large response still being written,
 * so the listening socket is closed through net.Server and idle sockets only when none is busy.
 */
function gracefulClose(server: Server): () => Promise<void> {
  const active = new Set<ServerResponse>();
  let closing = false;
  const closeIdleWhenDone = () => {
    if (closing && active.size === 0) server.closeIdleConnections();
  };
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    active.add(res);
    if (closing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      active.delete(res);
      closeIdleWhenDone();
    });
  });
  return () =>
    new Promise<void>((resolve) => {
      closing = true;
      for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
      net.Server.prototype.close.call(server, () => resolve());
      closeIdleWhenDone();
    });
}
