import { Router } from 'express';
import { Registry } from 'prom-client';
import type { Metrics } from '../metrics.js';
import type { ModelRegistry } from '../registry.js';

/** Liveness, readiness, metrics and the OpenAPI document. */
export function healthRoutes(registry: ModelRegistry, metrics: Metrics, openApi: () => unknown): Router {
  const router = Router();
  const scraped = Registry.merge([metrics.registry, registry.metrics.registry]);
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  // Ready while the default model can be served: in memory, or in a store that can be reached
  // and whose file of it did not fail to load (damaged since, and evicted meanwhile). A store
  // that is down does not make a replica that holds its default model unready: it goes on
  // classifying, and the body says the store is down (uploads get 503 meanwhile).
  router.get('/readyz', async (_req, res) => {
    const name = registry.defaultName;
    const { store } = registry;
    const storeUp = store?.status().up ?? true;
    const failure = name === undefined ? undefined : await registry.loadFailure(name);
    const ready = name !== undefined && (registry.get(name) !== undefined || (registry.has(name) && storeUp && !failure));
    const status = ready
      ? 'ready'
      : failure
        ? `the default model cannot be loaded: ${failure.message}`
        : registry.has(name ?? '')
          ? 'the model store is down and the default model is not in memory'
          : 'no model loaded';
    const body: Record<string, unknown> = { status, models: registry.size };
    if (store) body.store = { kind: store.kind, status: storeUp ? 'up' : 'down', since: store.status().since.toISOString() };
    res.status(ready ? 200 : 503).json(body);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(scraped.contentType).send(await scraped.metrics());
  });
  router.get('/openapi.json', (_req, res) => void res.json(openApi()));
  return router;
}
