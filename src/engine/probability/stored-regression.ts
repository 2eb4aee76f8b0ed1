import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { z } from 'zod';
import { StsError } from '../../errors.js';
import { regressionProblem, type ModelRegression, type TrainedRegression } from './trained-regression.js';

/**
 * The probabilityWeight regression as a model file stores it: trained when the model is
 * compiled, so loading a model does not train it again (training takes seconds for CLINC150,
 * far longer for the largest models). Its arrays are base64 strings of their bytes, little-endian; `sha256`
 * covers them with the model's id, so an edited or misplaced regression is refused as the id
 * check refuses an edited model.
 */
export const StoredRegression = z.strictObject({
  passes: z.number().int().min(0),
  perIntent: z.number().positive(),
  stemStart: z.string(),
  weightIntent: z.string(),
  weights: z.string(),
  bias: z.string(),
  /** The sentence vector's weights (TrainedRegression.vector), for models with wordVectors. */
  vector: z.string().optional(),
  /** false: γ is not shrunk for few phrases per intent (TrainedRegression.shrink). */
  shrink: z.literal(false).optional(),
  sha256: z.string(),
});
export type StoredRegression = z.output<typeof StoredRegression>;

const ARRAYS = [
  ['stemStart', Int32Array],
  ['weightIntent', Int32Array],
  ['weights', Float32Array],
  ['bias', Float64Array],
] as const;

export function encodeRegression(r: ModelRegression): StoredRegression {
  const [stemStart, weightIntent, weights, bias] = ARRAYS.map(([name]) => toBase64(r[name]));
  const body = {
    passes: r.passes,
    perIntent: r.perIntent,
    stemStart: stemStart!,
    weightIntent: weightIntent!,
    weights: weights!,
    bias: bias!,
    ...(r.vector && { vector: toBase64(r.vector) }),
    ...(r.shrink === false && { shrink: false as const }),
  };
  return { ...body, sha256: regressionDigest(r.modelId, body) };
}

/**
 * Decodes and checks a model's stored regression into arrays of the caller's own: the problem
 * instead if it does not fit the model of `modelId`, `stems` stems and `intents` intents (a
 * digest that does not match, text that is not base64, bytes that are not whole numbers, or
 * regressionProblem()'s layout).
 */
export function decodeRegression(stored: StoredRegression, modelId: string, rows: number, intents: number, dims?: number): { regression?: TrainedRegression; problem?: string } {
  const { sha256, ...body } = stored;
  if (regressionDigest(modelId, body) !== sha256) return { problem: 'its content does not match its sha256 (it was changed after compilation, or belongs to another model)' };
  const arrays: Partial<Record<(typeof ARRAYS)[number][0] | 'vector', Int32Array | Float32Array | Float64Array>> = {};
  const arrayNames = stored.vector === undefined ? ARRAYS : [...ARRAYS, ['vector', Float32Array] as const];
  for (const [name, Type] of arrayNames) {
    const text = stored[name] as string;
    const bytes = Buffer.from(text, 'base64');
    // Buffer.from skips what is not base64: such text would decode to other bytes than it says.
    if (bytes.toString('base64') !== text) return { problem: `its ${name} is not base64 text` };
    if (bytes.length % Type.BYTES_PER_ELEMENT !== 0) return { problem: `its ${name} is ${bytes.length} bytes, not whole ${Type.BYTES_PER_ELEMENT}-byte numbers` };
    // A buffer of its own (Buffer.from may give a view into a shared pool, unaligned).
    const array = new Type(bytes.length / Type.BYTES_PER_ELEMENT);
    const view = Buffer.from(array.buffer);
    bytes.copy(view);
    if (BIG_ENDIAN) (Type.BYTES_PER_ELEMENT === 8 ? view.swap64() : view.swap32());
    arrays[name] = array;
  }
  const regression = { ...arrays, passes: stored.passes, perIntent: stored.perIntent, ...(stored.shrink === false && { shrink: false }) } as TrainedRegression;
  // Dimensions unknown (no table at hand): whole rows of one weight per intent.
  const problem = regressionProblem(regression, rows, intents, '', dims ?? (regression.vector?.length ?? 0) / intents);
  return problem ? { problem } : { regression };
}

const BIG_ENDIAN = endianness() === 'BE';

function toBase64(array: Int32Array | Float32Array | Float64Array): string {
  const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  if (!BIG_ENDIAN) return bytes.toString('base64');
  const copy = Buffer.from(bytes);
  return (array.BYTES_PER_ELEMENT === 8 ? copy.swap64() : copy.swap32()).toString('base64');
}

/** The error for a stored regression that does not fit its model (`problem` from the checks above), at `regression` of `file`. */
export function damagedRegression(problem: string, file?: string): StsError {
  return new StsError('invalid_model', `damaged model: regression: ${problem}`, [{ file, path: 'regression', message: problem }]);
}

/** The sha256 a stored regression of the model of `modelId` carries. */
export function regressionDigest(modelId: string, body: Omit<StoredRegression, 'sha256'>): string {
  const hash = createHash('sha256').update(JSON.stringify([modelId, body.passes, body.perIntent]));
  for (const [name] of ARRAYS) hash.update('\n').update(body[name]);
  // Covered only when present, so the regressions of older files keep their digest.
  if (body.vector !== undefined) hash.update('\nvector\n').update(body.vector);
  if (body.shrink === false) hash.update('\nshrink false');
  return 'sha256:' + hash.digest('hex');
}
