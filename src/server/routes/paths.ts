/** Where a model is read, written and deleted (routes/native.ts). */
export const MODEL_PATH = '/v1/models/:name';

/** Where the Caila-compatible API lives (routes/caila.ts): the access token selects the model. */
export const CAILA_BASE = '/cailapub/api/caila/p/:token';

/**
 * The routes that take a model upload, with their methods: their routes register them from
 * here, and upload-body.ts marks their large bodies to be read as bytes.
 */
export const UPLOAD_ROUTES = {
  model: { method: 'put', path: MODEL_PATH },
  cailaImport: { method: 'post', path: `${CAILA_BASE}/import` },
} as const;
