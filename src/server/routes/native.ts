import { Router, type RequestHandler, type Response } from 'express';
import type { ClassifyOptions } from '../../engine/classifier.js';
import type { StsEvent } from '../../engine/event/events.js';
import { StsError } from '../../errors.js';
import { requireAdmin, requireReader } from '../auth.js';
import type { ServerConfig } from '../config.js';
import { ModelName } from '../config.js';
import { parseRequest } from '../http-errors.js';
import { classifyCounted, counted, type Metrics } from '../metrics.js';
import { listingOf, type ModelEntry, type ModelListing, type ModelRegistry } from '../registry.js';
import { lookupModel, lookupModelWithin } from './model-lookup.js';
import { BatchRequest, ClassifyRequest } from '../schemas.js';
import { uploadBody, uploadOf } from '../upload-body.js';
import { MODEL_PATH, UPLOAD_ROUTES } from './paths.js';
import { batchClock, cappedTimeLimit, lateEvent, LEAST_MS, loadLimit, spentEvent, timeCap, timeLeft } from '../time-cap.js';

/** The native API: /v1/classify, /v1/classify/batch and /v1/models. */
export function nativeRoutes(registry: ModelRegistry, config: ServerConfig, metrics: Metrics): Router {
  const router = Router();
  const admin = requireAdmin(config.adminToken);
  const reader = requireReader(config);

  const modelFor = async (name: string | undefined, res: Response): Promise<ModelEntry> => {
    const wanted = name ?? registry.defaultName;
    return lookupModel(registry, wanted, res, wanted === undefined ? 'no model is loaded' : `no model named "${wanted}"`);
  };
  const classifyOne = (entry: ModelEntry, text: string, options: ClassifyOptions): Promise<StsEvent> =>
    classifyCounted(metrics, entry.classifier, text, options);
  /**
   * The model of a classification, loaded within the request's time; when its load outlasts
   * that, the timeLimit event to answer instead (the load goes on for the requests after it).
   */
  const modelWithin = async (name: string | undefined, res: Response, requested: number | undefined): Promise<ModelEntry | StsEvent> => {
    const wanted = name ?? registry.defaultName;
    const limit = loadLimit(requested, config);
    const entry = await lookupModelWithin(registry, wanted, res, wanted === undefined ? 'no model is loaded' : `no model named "${wanted}"`, limit);
    return entry ?? lateEvent(limit, res.locals.arrivedAt as number, registry.idOf(wanted!) ?? '');
  };

  router.post('/v1/classify', async (req, res) => {
    // What the body holds besides the text and the model are the call's options.
    const { text, model, ...options } = parseRequest(ClassifyRequest, req.body);
    res.locals.text = text;
    const arrivedAt = res.locals.arrivedAt as number;
    const entry = await modelWithin(model, res, options.timeLimit);
    let event: StsEvent;
    if ('event' in entry) event = counted(metrics, entry);
    else {
      const left = timeLeft(options.timeLimit, entry.head, config, arrivedAt);
      // Time spent before the classification could begin: the limit the request had, and how long it waited.
      event = left > LEAST_MS ? await classifyOne(entry, text, { ...options, timeLimit: left }) : counted(metrics, spentEvent(text, options, entry.head, cappedTimeLimit(options.timeLimit, entry.head, config), arrivedAt));
    }
    res.locals.event = event.event;
    res.json(event);
  });

  router.post('/v1/classify/batch', async (req, res) => {
    const { texts, model, ...options } = parseRequest(BatchRequest, req.body);
    if (texts.length > config.batchLimit) {
      throw new StsError('invalid_request', `a batch holds at most ${config.batchLimit} texts, got ${texts.length}`, [
        { path: 'body.texts', message: `at most ${config.batchLimit} items` },
      ]);
    }
    const arrivedAt = res.locals.arrivedAt as number;
    const entry = await modelWithin(model, res, undefined);
    if ('event' in entry) return void res.json({ results: texts.map(() => counted(metrics, entry)) });
    // The whole batch within the cap: a text left when it is spent answers timeLimit at once.
    const timeLimitOf = batchClock(entry.head, config, arrivedAt);
    const results: StsEvent[] = [];
    for (const text of texts) {
      const left = timeLimitOf(options.timeLimit);
      results.push(left > LEAST_MS ? await classifyOne(entry, text, { ...options, timeLimit: left }) : counted(metrics, spentEvent(text, options, entry.head, timeCap(entry.head, config), arrivedAt)));
    }
    res.json({ results });
  });

  router.get('/v1/models', reader, (_req, res) => {
    res.json({ models: registry.list().map((m) => summary(m, registry.defaultName)) });
  });

  router.get(MODEL_PATH, reader, async (req, res) => {
    const entry = await modelFor(String(req.params.name), res);
    const { head } = entry;
    res.json({
      ...summary(listingOf(entry), registry.defaultName),
      settings: head.settings,
      intentList: head.intents.map((i, k) => ({ ...i, phrases: head.phraseCounts[k] ?? 0 })),
    });
  });

  // The caller and the name are checked before a body read as bytes is read.
  const named: RequestHandler = (req, res, next) => {
    res.locals.model = parseRequest(ModelName, req.params.name, 'path.name');
    next();
  };
  router[UPLOAD_ROUTES.model.method](UPLOAD_ROUTES.model.path, admin, named, uploadBody(config.bodyLimit), async (req, res) => {
    const name = res.locals.model as string;
    const { upload, warnings } = uploadOf(req);
    const result = await registry.put(name, upload);
    const { tuning, crossValidation } = result;
    res.status(result.created ? 201 : 200).json({
      model: summary(listingOf(result.entry), registry.defaultName),
      warnings: [...warnings, ...result.warnings],
      ...(tuning && { tuning }),
      ...(crossValidation && { crossValidation }),
    });
  });

  router.delete(MODEL_PATH, admin, async (req, res) => {
    res.locals.model = req.params.name;
    await registry.delete(String(req.params.name));
    res.status(204).end();
  });

  return router;
}

/** A model as GET /v1/models lists it; `loadedAt` only while it is in memory (models load on their first request). */
export function summary(m: ModelListing, defaultName: string | undefined) {
  return {
    name: m.name,
    id: m.id,
    language: m.language,
    intents: m.intents,
    phrases: m.phrases,
    ...(m.loadedAt && { loadedAt: m.loadedAt.toISOString() }),
    default: m.name === defaultName,
  };
}
