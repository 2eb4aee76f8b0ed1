import { StsError } from '../errors.js';
import { IntentPath, type IntentDef } from './source-schema.js';

/**
 * Training data lists: `.jsonl` lines `{"text": …, "intent": …}` and `.csv` with a `text,intent`
 * header. Rows whose intent is null (JSONL) or empty (CSV) are out-of-scope examples: they are
 * counted but not trained. A label becomes a path: `translate` → `/translate`.
 */
export function labelToPath(label: string): string {
  const trimmed = label.trim();
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** A label of another tool (`greet`, `agent.acquaintance`, `chitchat/ask_name`) as our path, if it makes one. */
export function labelPath(label: string): string | undefined {
  const path = labelToPath(label);
  return IntentPath.safeParse(path).success ? path : undefined;
}

export const LABEL_MESSAGE = 'a name that makes an intent path (no trailing "/", no empty "/" segments)';

/** A labelled example from a list, with its line for error messages. */
export interface LabelledRow {
  text: string;
  intent: string | null;
  line: number;
}

export function parseJsonl(text: string, file: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  text.split('\n').forEach((raw, k) => {
    const line = k + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new StsError('invalid_source', `${file}:${line}: not valid JSON (${(e as Error).message})`, [
        { file, line, message: 'not valid JSON' },
      ]);
    }
    const row = value as { text?: unknown; intent?: unknown };
    if (typeof value !== 'object' || value === null || typeof row.text !== 'string' || row.text.trim() === '' || !(typeof row.intent === 'string' || row.intent === null)) {
      const message = 'expected {"text": non-empty string, "intent": string or null}';
      throw new StsError('invalid_source', `${file}:${line}: ${message}`, [{ file, line, message }]);
    }
    if (typeof row.intent === 'string' && row.intent.trim() === '') {
      throw new StsError('invalid_source', `${file}:${line}: empty intent (use null for out-of-scope)`, [
        { file, line, path: 'intent', message: 'empty intent' },
      ]);
    }
    rows.push({ text: row.text, intent: row.intent, line });
  });
  return rows;
}

export function parseCsv(text: string, file: string): LabelledRow[] {
  const records = parseCsvRecords(text, file);
  const header = records.shift();
  if (!header) throw new StsError('invalid_source', `${file}: empty file, expected a header "text,intent"`, [{ file, line: 1, message: 'empty file' }]);
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const ti = names.indexOf('text');
  const ii = names.indexOf('intent');
  if (ti < 0 || ii < 0) {
    const message = `expected a header with columns "text" and "intent", got "${header.cells.join(',')}"`;
    throw new StsError('invalid_source', `${file}:1: ${message}`, [{ file, line: 1, message }]);
  }
  const rows: LabelledRow[] = [];
  for (const r of records) {
    if (r.cells.length === 1 && r.cells[0]!.trim() === '') continue;
    if (r.cells.length !== names.length) {
      const message = `expected ${names.length} fields, got ${r.cells.length}`;
      throw new StsError('invalid_source', `${file}:${r.line}: ${message}`, [{ file, line: r.line, message }]);
    }
    const t = r.cells[ti]!;
    if (t.trim() === '') throw new StsError('invalid_source', `${file}:${r.line}: empty text`, [{ file, line: r.line, message: 'empty text' }]);
    const label = r.cells[ii]!.trim();
    rows.push({ text: t, intent: label === '' ? null : label, line: r.line });
  }
  return rows;
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsvRecords(text: string, file: string): { cells: string[]; line: number }[] {
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let k = 0; k < src.length; k++) {
    const ch = src[k]!;
    if (quoted) {
      if (ch === '"' && src[k + 1] === '"') {
        cell += '"';
        k++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[k + 1] === '\n') k++;
      cells.push(cell);
      records.push({ cells, line: recordLine });
      cells = [];
      cell = '';
      line++;
      recordLine = line;
    } else cell += ch;
  }
  if (quoted) throw new StsError('invalid_source', `${file}:${recordLine}: unterminated quoted field`, [{ file, line: recordLine, message: 'unterminated quoted field' }]);
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ cells, line: recordLine });
  }
  return records;
}

/** Groups labelled rows into intents, in order of first appearance; out-of-scope rows are counted only. */
export function rowsToIntents(rows: readonly LabelledRow[], file = '(rows)'): { intents: IntentDef[]; outOfScope: number } {
  const byPath = new Map<string, IntentDef>();
  let outOfScope = 0;
  for (const row of rows) {
    if (row.intent === null) {
      outOfScope++;
      continue;
    }
    const path = labelPath(row.intent);
    if (path === undefined) {
      const message = `label "${row.intent}" is not ${LABEL_MESSAGE}`;
      throw new StsError('invalid_source', `${file}:${row.line}: ${message}`, [{ file, line: row.line, path: 'intent', message }]);
    }
    let intent = byPath.get(path);
    if (!intent) byPath.set(path, (intent = { path, phrases: [] }));
    intent.phrases.push(row.text);
  }
  return { intents: [...byPath.values()], outOfScope };
}
