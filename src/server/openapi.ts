import { z } from 'zod';
import { MODEL_VERSION } from '../model/model-schema.js';
import * as C from './caila-schemas.js';
import { CAILA_BASE, MODEL_PATH } from './routes/paths.js';
import * as S from './schemas.js';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so
 * the published contract cannot drift from the code.
 */
export function openApiDocument(version: string) {
  const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any' });
  const json = (s: z.ZodType, io: 'input' | 'output' = 'output') => ({ content: { 'application/json': { schema: schema(s, io) } } });
  const error = (description: string) => ({ description, ...json(S.ErrorBody) });
  const caila = openApiPath(CAILA_BASE);
  const token = { name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: 'Caila access token; selects the model' };
  const name = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
  return {
    openapi: '3.1.0',
    info: { title: 'sts-classifier', version, description: `STS intent classifier (JAICP events and settings). Model format version ${MODEL_VERSION}.` },
    components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/v1/classify': {
        post: {
          summary: 'Classify one text',
          requestBody: json(S.ClassifyRequest, 'input'),
          responses: {
            200: { description: 'match, noMatch, lengthLimit or timeLimit', ...json(S.StsEventSchema) },
            400: error('invalid body'),
            404: error('unknown model'),
            503: error('the model is not in memory and the model store cannot be reached'),
            507: error('the model needs more memory than the model memory budget (STS_MODEL_MEMORY_MB)'),
          },
        },
      },
      '/v1/classify/batch': {
        post: {
          summary: 'Classify several texts, results in order',
          requestBody: json(S.BatchRequest, 'input'),
          responses: { 200: { description: 'one event per text', ...json(S.BatchResponse) }, 400: error('invalid body or too many texts') },
        },
      },
      '/v1/models': { get: { summary: 'Every model the server can serve (loadedAt for those in memory)', responses: { 200: { description: 'models', ...json(S.ModelList) } } } },
      [openApiPath(MODEL_PATH)]: {
        parameters: [name],
        get: { summary: 'One model with its intents and settings', responses: { 200: { description: 'model', ...json(S.ModelDetail) }, 404: error('unknown model') } },
        put: {
          summary: 'Compile an intents source (our JSON form or a Caila project export) and swap it in',
          security: [{ admin: [] }],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: {
            200: { description: 'replaced', ...json(S.PutModelResponse) },
            201: { description: 'created', ...json(S.PutModelResponse) },
            401: error('no token'),
            403: error('wrong token'),
            413: error('the body is over the limit, or the source needs more memory to compile than the compile worker may use, or the model more than the model memory budget; the old model keeps serving'),
            422: error('the source does not compile; the old model keeps serving'),
            503: error('the model store cannot be reached; the old model keeps serving'),
          },
        },
        delete: {
          summary: 'Delete a model from the store (and from memory)',
          security: [{ admin: [] }],
          responses: { 204: { description: 'deleted' }, 404: error('unknown model'), 409: error('default model'), 503: error('the model store cannot be reached') },
        },
      },
      '/healthz': { get: { summary: 'The process is up', responses: { 200: { description: 'ok' } } } },
      '/readyz': {
        get: {
          summary: 'The default model can be served (in memory, or in a store that can be reached); the body says whether the store is up',
          responses: { 200: { description: 'ready' }, 503: { description: 'no default model, or it is not in memory and the store is down' } },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text/plain; version=0.0.4' } } } },
      '/': { get: { summary: 'A page to try the models: classify a phrase, see why, upload a source (docs/web.md)', responses: { 200: { description: 'text/html' } } } },
      '/docs': { get: { summary: 'This document, rendered for reading', responses: { 200: { description: 'text/html' } } } },
      [`${caila}/nlu/inference`]: {
        parameters: [token],
        post: {
          summary: 'Caila inference: best variants above the threshold',
          requestBody: json(C.CailaInferenceRequest, 'input'),
          responses: { 200: { description: 'variants', ...json(C.CailaInferenceResponse) }, 404: { description: 'unknown token', ...json(C.CailaError) } },
        },
        get: {
          summary: 'Caila inference: the single best variant',
          parameters: [{ name: 'query', in: 'query', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'best variant', ...json(C.CailaSimpleInferenceResponse) }, 404: { description: 'unknown token', ...json(C.CailaError) } },
        },
      },
      [`${caila}/nlu/analyze`]: {
        parameters: [token],
        post: {
          summary: "Caila analyze (what JAICF's Caila activator calls): the text's markup, its entities and the inference",
          requestBody: json(C.CailaAnalyzeRequest, 'input'),
          responses: { 200: { description: 'markup, entitiesLookup, inference', ...json(C.CailaAnalyzeResponse) }, 404: { description: 'unknown token', ...json(C.CailaError) } },
        },
      },
      [`${caila}/nlu/entities`]: {
        parameters: [token],
        get: {
          summary: "Caila entities lookup (JAICF's slot filling): the entities of a text",
          parameters: [
            { name: 'query', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'showAll', in: 'query', required: false, schema: { type: 'boolean' }, description: 'accepted and not used' },
          ],
          responses: { 200: { description: 'entities', ...json(C.CailaEntitiesResponse) }, 404: { description: 'unknown token', ...json(C.CailaError) } },
        },
      },
      [`${caila}/export`]: { parameters: [token], post: { summary: 'Caila project export of the model', responses: { 200: { description: 'Caila project JSON' } } } },
      [`${caila}/import`]: {
        parameters: [token],
        post: {
          summary: 'Train the model from a Caila project JSON (atomic swap, as PUT)',
          security: [{ admin: [] }],
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: {
            200: { description: 'imported' },
            413: { description: 'over the body limit, or too big to compile', ...json(C.CailaError) },
            422: { description: 'does not compile', ...json(C.CailaError) },
          },
        },
      },
    },
  };
}

/** An express path in OpenAPI's spelling: `:name` becomes `{name}`. */
function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
