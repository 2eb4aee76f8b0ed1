import { costProblem, resolveBuiltinEntity, wordTestCost } from '../entities/index.js';
import { StsError } from '../errors.js';
import { parsePattern, type PatternNode } from '../patterns/index.js';
import type { IntentDef } from './source-schema.js';

export interface ModelPattern {
  intent: number;
  source: string;
  tree: PatternNode;
}

/**
 * Parses every intent's patterns. A pattern that does not parse, or whose `$regex<…>` is too
 * slow on a worst-case word (regex-cost.ts), stops compilation with the intent and the pattern;
 * `@Entity` names we do not have are collected for a warning.
 */
export function compileIntentPatterns(
  intents: readonly IntentDef[],
  customNames: ReadonlySet<string>,
  unknownEntities: Map<string, Set<string>>,
): ModelPattern[] {
  const out: ModelPattern[] = [];
  intents.forEach((def, intent) => {
    (def.patterns ?? []).forEach((source, k) => {
      let tree: PatternNode;
      try {
        tree = parsePattern(source);
      } catch (e) {
        if (!(e instanceof StsError)) throw e;
        const path = `intents[${def.path}].patterns.${k}`;
        throw new StsError('invalid_source', `${def.path}: ${e.message}`, [{ path, message: e.message }]);
      }
      for (const regex of regexSources(tree)) {
        const slow = costProblem(wordTestCost(regex));
        if (slow === undefined) continue;
        const message = `pattern ${JSON.stringify(source)}: $regex<${regex}>: ${slow}`;
        throw new StsError('invalid_source', `${def.path}: ${message}`, [{ path: `intents[${def.path}].patterns.${k}`, message }]);
      }
      for (const name of entityNames(tree)) {
        if (!customNames.has(name) && resolveBuiltinEntity(name) === undefined) {
          unknownEntities.set(name, (unknownEntities.get(name) ?? new Set()).add(def.path));
        }
      }
      out.push({ intent, source, tree });
    });
  });
  return out;
}

/** The `@Entity` names a pattern uses. */
export function entityNames(node: PatternNode): string[] {
  return leaves(node).flatMap((n) => (n.kind === 'entity' ? [n.name] : []));
}

/** The distinct `$regex<…>` bodies of a pattern. */
function regexSources(node: PatternNode): string[] {
  return [...new Set(leaves(node).flatMap((n) => (n.kind === 'regex' ? [n.source] : [])))];
}

function leaves(node: PatternNode): PatternNode[] {
  const out: PatternNode[] = [];
  const walk = (n: PatternNode) => {
    out.push(n);
    for (const child of children(n)) walk(child);
  };
  walk(node);
  return out;
}

function children(n: PatternNode): PatternNode[] {
  switch (n.kind) {
    case 'sequence':
    case 'anyOrder':
      return n.items;
    case 'alternatives':
      return n.options;
    case 'optional':
      return [n.item];
    default:
      return [];
  }
}
