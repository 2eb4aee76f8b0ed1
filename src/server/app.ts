import { randomUUID } from 'node:crypto';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { pino, type Logger } from 'pino';
import { StsError } from '../errors.js';
import { ServerConfig, type ServerConfigInput } from './config.js';
import { cailaErrorBody, errorBody, errorHandler, isCailaPath, notUtf8 } from './http-errors.js';
import { limitJsonDepth } from './json-depth.js';
import { createMetrics, type Metrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import type { ModelRegistry } from './registry.js';
import { cailaRoutes } from './routes/caila.js';
import { healthRoutes } from './routes/health.js';
import { nativeRoutes } from './routes/native.js';
import { webRoutes } from './routes/web.js';
import { isRawUpload, markRawUploads } from './upload-body.js';

export interface AppOptions {
  registry: ModelRegistry;
  config?: ServerConfigInput;
  logger?: Logger;
  version?: string;
  /** Export the event loop's garbage-collection pauses and timer delay on /metrics (the server process's; metrics.stop() ends them). */
  eventLoopMetrics?: boolean;
}

export interface StsApp extends Express {
  /** `draining`: set once the server got SIGTERM (start.ts): requests that arrive then are refused. */
  locals: Express['locals'] & { metrics: Metrics; config: ServerConfig; draining: boolean };
}

/** The HTTP app, without listening: tests drive it with supertest, main.ts puts it on a port. */
export function createApp(options: AppOptions): StsApp {
  const config = ServerConfig.parse(options.config ?? {});
  const logger = options.logger ?? pino();
  const { registry } = options;
  const metrics = createMetrics(() => registry.size, { eventLoop: options.eventLoopMetrics ?? false });
  const app = express() as StsApp;
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.locals.metrics = metrics;
  app.locals.config = config;
  app.locals.draining = false;

  app.use(requestLog(logger, metrics, config.logText));
  app.use(refuseWhenDraining);
  app.use(requireJson);
  // A big upload's body is left for its route to read as bytes (upload-body.ts).
  app.use(markRawUploads);
  app.use(
    express.json({
      limit: config.bodyLimit,
      strict: false,
      type: (req) => !isRawUpload(req as Request) && Boolean((req as Request).is('application/json')),
      // The body's bytes (any Content-Encoding undone) before they are decoded: UTF-8 that is not is refused, not mended.
      verify: (_req, _res, body, encoding) => {
        const bad = encoding === 'utf-8' ? notUtf8(body) : undefined;
        if (bad) throw bad;
      },
    }),
  );
  app.use(limitJsonDepth);
  app.use(healthRoutes(registry, metrics, () => openApiDocument(options.version ?? '0.0.0')));
  app.use(nativeRoutes(registry, config, metrics));
  app.use(cailaRoutes(registry, config, metrics));
  app.use(webRoutes());
  app.use((req, res) => {
    const e = new StsError('not_found', `no route ${req.method} ${req.path}`);
    res.status(404).json(isCailaPath(req.path) ? cailaErrorBody(e) : errorBody(e, res.locals.requestId as string));
  });
  app.use(errorHandler(logger));
  return app;
}

/**
 * After SIGTERM, a request that still arrives (on a kept-alive connection) is answered at once:
 * 503, and the connection is closed, so the client sends its next request elsewhere.
 */
const refuseWhenDraining: RequestHandler = (req, res, next) => {
  if (!(req.app as StsApp).locals.draining) return next();
  res.set('Connection', 'close');
  next(new StsError('shutting_down', 'the server is shutting down: send the request again, to another instance or after the restart'));
};

/** A body must be JSON: anything else is a 415 that says so, not a silently empty body. */
const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    return next(new StsError('unsupported_media_type', `expected Content-Type: application/json, got ${req.get('content-type') ?? 'none'}`));
  }
  next();
};

/** A client's request id is kept if it is a plain token, else replaced (it is echoed in headers and logs). */
const REQUEST_ID = /^[\w.:-]{1,128}$/;
/**
 * The segment after `/caila/p/`, wherever it is: routing ignores case, and a path that routes
 * nowhere (`//cailapub/…`) may still hold a real token.
 */
const CAILA_TOKEN = /(\/caila\/+p\/+)[^/]+/gi;

/** One JSON log line per request (never the text unless LOG_TEXT=1), and the request metrics. */
function requestLog(logger: Logger, metrics: Metrics, logText: boolean): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Deadlines count from here (time-cap.ts): the time to read the body and load the model is the request's.
    res.locals.arrivedAt = performance.now();
    const given = req.get('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.set('x-request-id', requestId);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = (req.route?.path as string | undefined) ?? 'unmatched'; // bounded label values only
      metrics.requests.inc({ route, method: req.method, status: String(res.statusCode) });
      // A Caila access token works like a password: keep it out of the logs.
      const path = req.path.replace(CAILA_TOKEN, '$1***');
      const line: Record<string, unknown> = { requestId, method: req.method, path, status: res.statusCode, ms: Math.round(ms * 1000) / 1000 };
      if (res.locals.model) line.model = res.locals.model;
      if (res.locals.event) line.event = res.locals.event;
      if (logText && res.locals.text !== undefined) line.text = res.locals.text;
      logger.info(line, 'request');
    });
    next();
  };
}
