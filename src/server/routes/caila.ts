import { Router, type RequestHandler, type Response } from 'express';
import { requireAdmin, requireReader } from '../auth.js';
import { ModelName, type ServerConfig } from '../config.js';
import { parseRequest } from '../http-errors.js';
import { classifyCounted, counted, type Metrics } from '../metrics.js';
import { listingOf, type ModelEntry, type ModelRegistry } from '../registry.js';
import { CailaAnalyzeRequest, CailaInferenceRequest } from '../caila-schemas.js';
import { cailaEntities, cailaMarkup, cailaVariants } from './caila-shapes.js';
import { lookupModel, lookupModelWithin } from './model-lookup.js';
import { lateEvent, loadLimit, timeLeft } from '../time-cap.js';
import { summary } from './native.js';
import { uploadBody, uploadOf } from '../upload-body.js';
import { CAILA_BASE, UPLOAD_ROUTES } from './paths.js';
import { StsError } from '../../errors.js';
import type { StsEvent } from '../../engine/event/events.js';

/**
 * Caila's public NLU API (reference §3), so bots written for JAICP / SmartApp Brain work by
 * pointing their host here. The access token in the path selects the model.
 */
export function cailaRoutes(registry: ModelRegistry, config: ServerConfig, metrics: Metrics): Router {
  const router = Router();

  const modelOf = (token: string, res: { locals: Record<string, unknown> }): Promise<ModelEntry> =>
    lookupModel(registry, modelNameFor(config, token), res, `unknown access token "${token}"`);
  /**
   * The model of a classification or a lookup, loaded within the model's time (as the server
   * caps it); undefined when its load outlasts that: the request then finds nothing, as one
   * whose classification ran out of time (a timeLimit event, counted and logged).
   */
  const modelWithin = async (token: string, res: Response, classifying = true): Promise<ModelEntry | undefined> => {
    const name = modelNameFor(config, token);
    const limit = loadLimit(undefined, config);
    const entry = await lookupModelWithin(registry, name, res, `unknown access token "${token}"`, limit);
    if (!entry && classifying) res.locals.event = counted(metrics, lateEvent(limit, res.locals.arrivedAt as number, (name && registry.idOf(name)) ?? '')).event;
    return entry;
  };
  // The model's timeLimit, capped, from the request's arrival.
  const timeLimit = (entry: ModelEntry, res: Response) => timeLeft(undefined, entry.head, config, res.locals.arrivedAt as number);
  const classify = (entry: ModelEntry, text: string, nBest: number, res: Response): Promise<StsEvent> =>
    // Caila lists only the variants above the threshold: the search need not look for the others.
    classifyCounted(metrics, entry.classifier, text, { nBest, explain: false, onlyAboveThreshold: true, timeLimit: timeLimit(entry, res) });
  const inference = async (entry: ModelEntry, request: CailaInferenceRequest, res: Response) => {
    const { text } = request.phrase;
    const event = await classify(entry, text, request.nBest ?? 1, res);
    res.locals.event = event.event;
    return { text, event, entities: cailaEntities(entry.head, event.entities ?? []), variants: cailaVariants(entry.head, event, request.showDebugInfo === true) };
  };
  // The words of a text; none past the length limit, which is not analyzed further.
  const words = (entry: ModelEntry, text: string, overLimit: boolean) => (overLimit ? [] : cailaMarkup(entry.head.language, text));
  // The entities and the words of a text, without classifying it (none once the deadline passes).
  const lookup = async (entry: ModelEntry, text: string, res: Response) => {
    const { entities, overLimit } = await entry.classifier.lookupEntities(text, { timeLimit: timeLimit(entry, res) });
    return { entities: cailaEntities(entry.head, entities), words: words(entry, text, overLimit) };
  };

  router.post(`${CAILA_BASE}/nlu/inference`, async (req, res) => {
    const request = parseRequest(CailaInferenceRequest, req.body);
    const entry = await modelWithin(String(req.params.token), res);
    const { text, entities, variants } = entry ? await inference(entry, request, res) : { text: request.phrase.text, entities: [], variants: [] };
    res.json({ phrase: { text, entities }, variants });
  });

  router.get(`${CAILA_BASE}/nlu/inference`, async (req, res) => {
    const text = queryText(req.query.query);
    const entry = await modelWithin(String(req.params.token), res);
    const { variants } = entry ? await inference(entry, { phrase: { text } }, res) : { variants: [] };
    res.json(variants[0] ?? { intent: null, confidence: 0, slots: [] });
  });

  const analyzed = async (entry: ModelEntry, request: CailaInferenceRequest, res: Response) => {
    const { text, event, entities, variants } = await inference(entry, request, res);
    // The classification found the entities already; one that ran out of time has none, and no time left to look.
    return { entities, variants, found: { entities, words: words(entry, text, event.event === 'lengthLimit') } };
  };

  // What JAICF's Caila activator calls: the markup, the entities and the inference of one text.
  router.post(`${CAILA_BASE}/nlu/analyze`, async (req, res) => {
    const body = parseRequest(CailaAnalyzeRequest, req.body);
    const entry = await modelWithin(String(req.params.token), res);
    const text = body.data.phrase.text;
    const { entities, variants, found } = entry ? await analyzed(entry, body.data, res) : { entities: [], variants: [], found: { entities: [], words: [] } };
    res.json({
      markup: { source: text, correctedText: text, words: found.words },
      entitiesLookup: { text, entities: found.entities, stagedPhraseIdx: null, phraseMarkup: found.words },
      inference: { phrase: { text, entities, stagedPhraseIdx: null, phraseMarkup: null }, variants, spelledWords: null },
    });
  });

  // JAICF's slot filling looks up the entities of each answer here: not a classification (no
  // event counted), but within the model's time limit as one.
  router.get(`${CAILA_BASE}/nlu/entities`, async (req, res) => {
    const text = queryText(req.query.query);
    const entry = await modelWithin(String(req.params.token), res, false);
    const { entities, words } = entry ? await lookup(entry, text, res) : { entities: [], words: [] };
    res.json({ text, entities, stagedPhraseIdx: null, phraseMarkup: words });
  });

  router.post(`${CAILA_BASE}/export`, requireReader(config), async (req, res) => {
    const entry = await modelOf(String(req.params.token), res);
    res.type('json').send(await registry.cailaExport(entry));
  });

  // The caller and the model are checked before a body read as bytes is read.
  const imported: RequestHandler = (req, res, next) => {
    const token = String(req.params.token);
    const mapped = modelNameFor(config, token);
    if (mapped === undefined) throw new StsError('not_found', `unknown access token "${token}"`);
    res.locals.model = parseRequest(ModelName, mapped, 'path.token');
    next();
  };
  router[UPLOAD_ROUTES.cailaImport.method](UPLOAD_ROUTES.cailaImport.path, requireAdmin(config.adminToken), imported, uploadBody(config.bodyLimit), async (req, res) => {
    const name = res.locals.model as string;
    const { upload, warnings } = uploadOf(req);
    const result = await registry.put(name, upload);
    res.json({ model: summary(listingOf(result.entry), registry.defaultName), warnings: [...warnings, ...result.warnings] });
  });

  return router;
}

/**
 * The model a Caila token selects: with STS_CAILA_TOKENS, only a mapped token, and its model
 * (own keys only: "toString" is a token too); without, the model of that name. Undefined: none.
 */
function modelNameFor(config: ServerConfig, token: string): string | undefined {
  if (Object.keys(config.cailaTokens).length === 0) return token;
  return Object.hasOwn(config.cailaTokens, token) ? (config.cailaTokens[token] as string) : undefined;
}

/** The `query` parameter of a GET: the text. */
function queryText(query: unknown): string {
  if (typeof query === 'string') return query;
  const problem = query === undefined ? 'is required' : Array.isArray(query) ? `is given ${query.length} times; give it once` : 'must be a text';
  throw new StsError('invalid_request', `query parameter "query" ${problem}`, [{ path: 'query.query', message: problem }]);
}
