import { LineCounter, parseDocument, isNode } from 'yaml';
import { StsError, type ErrorLocation } from '../errors.js';
import { IntentsFile } from './source-schema.js';

/**
 * Parses our intents file. JSON is read by the YAML parser too (JSON is YAML 1.2), so both
 * formats get the same error locations: a syntax error or a schema mismatch names the line.
 */
export function parseIntentsFile(text: string, file: string): IntentsFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.slice(0, 10).map((e) => ({
      file,
      line: lineCounter.linePos(e.pos[0]).line,
      message: e.message.split('\n')[0] as string,
    }));
    const first = details[0]!;
    throw new StsError('invalid_source', `${file}:${first.line}: not valid YAML/JSON: ${first.message}`, details);
  }
  const parsed = IntentsFile.safeParse(doc.toJS());
  if (!parsed.success) {
    const details: ErrorLocation[] = parsed.error.issues.slice(0, 20).map((issue) => {
      // An unknown key is reported at its parent; point at the key itself.
      const at = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
      const path = at.map(String);
      const node = doc.getIn(at.map((p) => (typeof p === 'symbol' ? String(p) : p)), true);
      const offset = isNode(node) && node.range ? node.range[0] : undefined;
      return {
        file,
        line: offset !== undefined ? lineCounter.linePos(offset).line : undefined,
        path: path.join('.') || '(root)',
        message: issue.message,
      };
    });
    const first = details[0]!;
    throw new StsError('invalid_source', `${file}${first.line ? `:${first.line}` : ''}: ${first.path}: ${first.message}`, details);
  }
  return parsed.data;
}
