import { Router } from 'express';
import type { Metrics } from '../metrics.js';
import type { ModelRegistry } from '../registry.js';

/** Liveness, readiness, metrics and the OpenAPI document. */
export function healthRoutes(registry: ModelRegistry, metrics: Metrics, openApi: () => unknown): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/readyz', (_req, res) => {
    const ready = registry.defaultName !== undefined && registry.get(registry.defaultName) !== undefined;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'no model loaded', models: registry.size });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  router.get('/openapi.json', (_req, res) => void res.json(openApi()));
  return router;
}
