import http from 'node:http';
import type { Express } from 'express';

/**
 * The request and response classes an app's HTTP server should construct: subclasses of Node's
 * whose prototypes carry express's request and response methods, set as the app's own. Express
 * moves every request and response onto the app's prototypes (Object.setPrototypeOf in
 * app.handle). Objects moved so survive V8's young-generation collections far more often: those
 * collections then take several milliseconds, and a full one follows every second or so, all on
 * the event loop that answers every request at its deadline. Made as instances of these classes,
 * they are on those prototypes already, and express's call changes nothing.
 */
export function requestClasses(app: Express): Required<Pick<http.ServerOptions, 'IncomingMessage' | 'ServerResponse'>> {
  class Request extends http.IncomingMessage {}
  class Response extends http.ServerResponse {}
  copyChain(Request.prototype, app.request, http.IncomingMessage.prototype);
  copyChain(Response.prototype, app.response, http.ServerResponse.prototype);
  app.request = Request.prototype as unknown as Express['request'];
  app.response = Response.prototype as unknown as Express['response'];
  return { IncomingMessage: Request, ServerResponse: Response as unknown as typeof http.ServerResponse };
}

/** Defines on `to` every property of `from` and its prototypes up to `stop`, the nearest definition of each. */
function copyChain(to: object, from: object, stop: object): void {
  for (let o: object | null = from; o && o !== stop; o = Object.getPrototypeOf(o) as object | null) {
    for (const key of Reflect.ownKeys(o)) {
      if (!Object.hasOwn(to, key)) Object.defineProperty(to, key, Object.getOwnPropertyDescriptor(o, key)!);
    }
  }
}
