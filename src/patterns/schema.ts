import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { compileRegex, formatPattern, parsePattern, type PatternNode } from './parse.js';

const WORD_FORM = /^[\p{L}\p{M}\p{N}]+$/u;
const form = z.string().regex(WORD_FORM, 'a normalized word (letters, marks, digits)');

const regexSource = z
  .string()
  .min(1)
  .refine(
    (source) => {
      try {
        compileRegex(source);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'an RE2 regular expression' },
  );

/**
 * The shape of a stored pattern tree (a compiled model read back from disk), so a damaged
 * model fails validation instead of the matcher. Checks the shape, word forms and regexes;
 * `PatternTree` below also checks the tree is one `parsePattern` could have produced.
 */
export const PatternNodeSchema: z.ZodType<PatternNode> = z.lazy(() =>
  z.union([
    z.object({ kind: z.literal('word'), form }).strict(),
    z.object({ kind: z.literal('lemma'), form }).strict(),
    z.object({ kind: z.literal('wordPart'), text: form, anyBefore: z.boolean(), anyAfter: z.boolean() }).strict(),
    z.object({ kind: z.literal('any') }).strict(),
    z.object({ kind: z.literal('entity'), name: z.string().min(1) }).strict(),
    z.object({ kind: z.literal('regex'), source: regexSource }).strict(),
    z.object({ kind: z.literal('sequence'), items: z.array(PatternNodeSchema).min(2) }).strict(),
    z.object({ kind: z.literal('alternatives'), options: z.array(PatternNodeSchema).min(2) }).strict(),
    z.object({ kind: z.literal('optional'), item: PatternNodeSchema }).strict(),
    z.object({ kind: z.literal('anyOrder'), items: z.array(PatternNodeSchema).min(2).max(16) }).strict(),
  ]),
);

/** A stored tree that is exactly what parsing its own canonical text gives (limits included). */
export const PatternTree = PatternNodeSchema.superRefine((tree, ctx) => {
  try {
    if (!isDeepStrictEqual(parsePattern(formatPattern(tree)), tree)) {
      ctx.addIssue({ code: 'custom', message: `not a canonical pattern tree: ${formatPattern(tree)}` });
    }
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) });
  }
});
