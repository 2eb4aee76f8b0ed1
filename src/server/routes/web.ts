import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';

/**
 * The page to try models (`/`) and the OpenAPI document rendered for reading (`/docs`). Every
 * asset is served from here (the page's own files, the browser build of `yaml`, swagger-ui),
 * so both work with no internet access. No build step: the page is plain HTML, CSS and ES modules.
 */

/** src/web/, from src/server/routes/ and from dist/server/routes/ alike (the package ships src/). */
const WEB_DIR = fileURLToPath(new URL('../../../src/web/', import.meta.url));
const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

/**
 * Scripts, styles and API calls from this server only. swagger-ui sets style attributes, so
 * /docs allows inline styles; the page itself needs none.
 */
const PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

const csp =
  (policy: string): RequestHandler =>
  (_req, res, next) => {
    res.set('content-security-policy', policy);
    res.set('x-content-type-options', 'nosniff');
    next();
  };

const staticFiles = (dir: string) => express.static(dir, { index: false, maxAge: '1h' });

export function webRoutes(): Router {
  const router = Router();
  router.get('/', csp(PAGE_CSP), (_req, res) => res.sendFile(path.join(WEB_DIR, 'index.html')));
  router.use('/web/vendor/yaml', csp(PAGE_CSP), staticFiles(path.join(packageDir('yaml'), 'browser')));
  router.use('/web', csp(PAGE_CSP), staticFiles(WEB_DIR));
  router.get('/docs', csp(DOCS_CSP), (_req, res) => res.sendFile(path.join(WEB_DIR, 'docs.html')));
  router.use('/docs/assets', csp(DOCS_CSP), staticFiles(packageDir('swagger-ui-dist')));
  return router;
}
