import { Router } from 'express';
import { SYSTEM_ENTITY_ALIASES } from '../../entities/index.js';
import { modelToCailaProject } from '../../model/caila-export.js';
import { requireAdmin } from '../auth.js';
import { ModelName, type ServerConfig } from '../config.js';
import { parseRequest } from '../http-errors.js';
import { classifyCounted, type Metrics } from '../metrics.js';
import type { ModelEntry, ModelRegistry } from '../registry.js';
import { CailaInferenceRequest } from '../schemas.js';
import { sourceOf, summary } from './native.js';
import { StsError } from '../../errors.js';
import type { StsEvent } from '../../engine/events.js';
import type { SlotValue } from '../../engine/slots.js';
import type { SlotDef } from '../../model/source-schema.js';

/**
 * Caila's public NLU API (reference §3), so bots written for JAICP / SmartApp Brain work by
 * pointing their host here. The access token in the path selects the model.
 */
export function cailaRoutes(registry: ModelRegistry, config: ServerConfig, metrics: Metrics): Router {
  const router = Router();
  const base = '/cailapub/api/caila/p/:token';

  const modelOf = (token: string, res: { locals: Record<string, unknown> }): ModelEntry => {
    const entry = registry.get(modelNameFor(config, token));
    if (!entry) throw new StsError('not_found', `unknown access token "${token}"`);
    res.locals.model = entry.name;
    return entry;
  };
  const classify = (entry: ModelEntry, text: string, nBest: number): Promise<StsEvent> =>
    classifyCounted(metrics, entry.classifier, text, { nBest, explain: false });
  // Caila lists only variants above the threshold: a noMatch is an empty list.
  const variants = (entry: ModelEntry, event: StsEvent, debug: boolean) => {
    const threshold = entry.model.settings.threshold;
    return event.alternatives
      .filter((a) => a.score > threshold)
      .map((a) => {
        const index = entry.model.intents.findIndex((i) => i.path === a.intent);
        const intent = entry.model.intents[index]!;
        // Slots are filled for the matched intent, which is the first variant.
        const filled = a.intent === event.intent ? (event.slots ?? []) : [];
        const slotDefs = (intent.slots ?? []).map((d) => ({ name: d.name, entity: d.entity, required: d.required, array: d.array }));
        const variant: Record<string, unknown> = {
          intent: { id: index + 1, path: intent.path, answer: intent.answer ?? null, customData: null, slots: slotDefs },
          confidence: a.score,
          slots: cailaSlots(filled, intent.slots ?? []),
        };
        if (debug) variant.debug = { phrase: a.phrase, event: event.event };
        return variant;
      });
  };

  router.post(`${base}/nlu/inference`, async (req, res) => {
    const entry = modelOf(String(req.params.token), res);
    const body = parseRequest(CailaInferenceRequest, req.body);
    const event = await classify(entry, body.phrase.text, body.nBest ?? 1);
    res.locals.event = event.event;
    const entities = cailaEntities(entry, event);
    res.json({ phrase: { text: body.phrase.text, entities }, variants: variants(entry, event, body.showDebugInfo === true) });
  });

  router.get(`${base}/nlu/inference`, async (req, res) => {
    const entry = modelOf(String(req.params.token), res);
    const query = req.query.query;
    if (typeof query !== 'string') throw new StsError('invalid_request', 'query parameter "query" is required', [{ path: 'query.query', message: 'required' }]);
    const event = await classify(entry, query, 1);
    res.locals.event = event.event;
    const best = variants(entry, event, false)[0];
    res.json(best ?? { intent: null, confidence: 0, slots: [] });
  });

  router.post(`${base}/export`, (req, res) => {
    const entry = modelOf(String(req.params.token), res);
    res.json(modelToCailaProject(entry.model, entry.name));
  });

  router.post(`${base}/import`, requireAdmin(config.adminToken), async (req, res) => {
    const name = parseRequest(ModelName, modelNameFor(config, String(req.params.token)), 'path.token');
    res.locals.model = name;
    const { source, warnings } = sourceOf(req.body);
    const result = await registry.put(name, source);
    res.json({ model: summary(result.entry, registry.defaultName), warnings: [...warnings, ...result.warnings] });
  });

  return router;
}


/** The model a Caila token selects: its mapping if configured (own keys only: "toString" is a token too), else the model of that name. */
function modelNameFor(config: ServerConfig, token: string): string {
  return Object.hasOwn(config.cailaTokens, token) ? (config.cailaTokens[token] as string) : token;
}

/** The entities found, in the shape of Caila's entitiesLookup (reference §3): positions, text, value as a string. */
function cailaEntities(entry: ModelEntry, event: StsEvent) {
  const custom = entry.model.entities.entities.map((e) => e.name);
  // Caila clients know built-ins by Caila's names (number → duckling.number).
  const cailaName = (name: string) => Object.entries(SYSTEM_ENTITY_ALIASES).find(([, ours]) => ours === name)?.[0] ?? name;
  return (event.entities ?? []).map((e) => ({
    entity: custom.includes(e.entity) ? e.entity : cailaName(e.entity),
    slot: e.entity,
    startPos: e.start,
    endPos: e.end,
    text: e.text,
    value: String(e.value),
    default: false,
    system: !custom.includes(e.entity),
    entityId: custom.indexOf(e.entity) + 1,
  }));
}

/** Caila's slot shape, as JAICF reads it: `{name, value: string, array}`, one entry per value of an array slot. */
function cailaSlots(filled: readonly SlotValue[], defs: readonly SlotDef[]) {
  return defs.flatMap((d) =>
    filled.filter((f) => f.name === d.name).map((f) => ({ name: d.name, value: String(f.value), array: d.array })),
  );
}
