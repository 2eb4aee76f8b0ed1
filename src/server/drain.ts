import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import net from 'node:net';
import { StsError } from '../errors.js';
import type { StsApp } from './app.js';
import { cailaErrorBody, errorBody, isCailaPath } from './http-errors.js';
import { IdTable } from './id-table.js';

/**
 * Idle kept-alive connections stay open while any request is in flight and this long after the
 * last one (or after the drain began, if none was), at most until the drain ends, so that a
 * request a client sends on one just then gets a 503 with `Connection: close` rather than a
 * connection reset; then they are closed.
 */
const LINGER_MS = 1000;
/** After the drain, refused responses get this long to be written before every connection is cut. */
const FLUSH_MS = 500;

/**
 * What close() does to a listening server (SIGTERM): stops accepting connections; marks the app
 * as draining (a request that still arrives on a kept-alive connection gets 503 and
 * `Connection: close`); lets the requests in flight finish, each answered with `Connection:
 * close`, for at most `drainMs`; past it, answers those still running 503 and closes every
 * connection. Resolves when the last connection is closed.
 *
 * http.Server#close would close idle-looking sockets at once, cutting off a large response still
 * being written and resetting a request a client sends on one at that moment, so the listening
 * socket is closed through net.Server, and idle sockets only once nothing is in flight.
 */
export function drainOnClose(server: Server, app: StsApp, drainMs: number): () => Promise<void> {
  const active = new IdTable<{ req: IncomingMessage; res: ServerResponse }>();
  let nextId = 0;
  let closing = false;
  let linger: NodeJS.Timeout | undefined;
  /** While draining, once nothing is in flight: idle connections close LINGER_MS later, unless a request comes meanwhile. */
  const closeIdleWhenDone = () => {
    if (!closing || active.size > 0) return;
    clearTimeout(linger);
    linger = setTimeout(() => {
      if (active.size === 0) server.closeIdleConnections();
    }, LINGER_MS);
  };
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const id = nextId++;
    active.set(id, { req, res });
    if (closing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      active.delete(id);
      closeIdleWhenDone();
    });
  });
  return () =>
    new Promise<void>((resolve) => {
      closing = true;
      app.locals.draining = true;
      for (const { res } of active.values()) if (!res.headersSent) res.setHeader('Connection', 'close');
      closeIdleWhenDone();
      const timers = [
        setTimeout(() => {
          for (const { req, res } of active.values()) refuse(req, res);
          clearTimeout(linger);
          if (active.size === 0) server.closeIdleConnections();
          timers.push(setTimeout(() => server.closeAllConnections(), FLUSH_MS));
        }, drainMs),
      ];
      net.Server.prototype.close.call(server, () => {
        for (const t of timers) clearTimeout(t);
        clearTimeout(linger);
        // http's own close, with no connection left, only stops its timer of connection checks,
        // which net's close (used above to keep idle connections a while) leaves running.
        server.close(() => undefined);
        resolve();
      });
    });
}

/** A request still running when the drain ends: 503, in the shape of its API. */
function refuse(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) return;
  const e = new StsError('shutting_down', 'the server is shutting down and the request did not finish in time: send it again, to another instance or after the restart');
  const requestId = res.getHeader('x-request-id');
  const body = isCailaPath(req.url ?? '') ? cailaErrorBody(e) : errorBody(e, typeof requestId === 'string' ? requestId : undefined);
  res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify(body));
}
