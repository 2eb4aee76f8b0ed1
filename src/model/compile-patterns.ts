import { resolveBuiltinEntity } from '../entities/index.js';
import { StsError } from '../errors.js';
import { parsePattern, type PatternNode } from '../patterns/index.js';
import type { IntentDef } from './source-schema.js';

export interface ModelPattern {
  intent: number;
  source: string;
  tree: PatternNode;
}

/**
 * Parses every intent's patterns. A pattern that does not parse stops compilation with the
 * intent, the pattern and the column; `@Entity` names we do not have are collected for a warning.
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
  const names: string[] = [];
  const walk = (n: PatternNode) => {
    if (n.kind === 'entity') names.push(n.name);
    for (const child of children(n)) walk(child);
  };
  walk(node);
  return names;
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
