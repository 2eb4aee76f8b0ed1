import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { StsError } from '../../errors.js';

/**
 * A JSON or YAML source parsed once, with the line of any value on demand. JSON is read with
 * JSON.parse (a Caila export of megabytes takes milliseconds, the YAML parser seconds); the YAML
 * parser reads it again only to name the line of an error, or to catch duplicate keys (which
 * JSON.parse lets through, the last one winning) in our own intents files.
 */
export interface StructuredText {
  value: unknown;
  /** The 1-based line of the value at a path, or of its nearest ancestor that exists. */
  lineAt(path: readonly (string | number)[]): number | undefined;
  /** Throws what the YAML parser finds wrong, such as a duplicate key; a no-op for YAML (checked already). */
  checkUniqueKeys(): void;
}

interface YamlParse {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

function parseYaml(text: string): YamlParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return { doc, lineCounter };
}

/** A syntax error as importSource reports it: the file, the line, "not valid YAML/JSON". */
function throwErrors({ doc, lineCounter }: YamlParse, file: string): void {
  if (doc.errors.length === 0) return;
  const details = doc.errors.slice(0, 10).map((e) => ({
    file,
    line: lineCounter.linePos(e.pos[0]).line,
    message: e.message.split('\n')[0] as string,
  }));
  const first = details[0]!;
  throw new StsError('invalid_source', `${file}:${first.line}: not valid YAML/JSON: ${first.message}`, details);
}

function lineIn({ doc, lineCounter }: YamlParse, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

export function parseStructured(text: string, file: string): StructuredText {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') {
    let value: unknown;
    let json = true;
    try {
      value = JSON.parse(body);
    } catch {
      json = false; // not JSON: the YAML parser may still read it, and names the line if not
    }
    if (json) {
      let yaml: YamlParse | undefined;
      const lazy = () => (yaml ??= parseYaml(text));
      return { value, lineAt: (path) => lineIn(lazy(), path), checkUniqueKeys: () => throwErrors(lazy(), file) };
    }
  }
  const yaml = parseYaml(text);
  throwErrors(yaml, file);
  return { value: yaml.doc.toJS(), lineAt: (path) => lineIn(yaml, path), checkUniqueKeys: () => undefined };
}

/** "intents.2.path" → ["intents", 2, "path"], for finding the line of an error's path. */
export function pathSegments(path: string | undefined): (string | number)[] {
  if (path === undefined || path === '' || path === '(root)') return [];
  return path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
