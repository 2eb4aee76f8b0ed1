import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { StsError } from '../errors.js';
import { readTextFile } from '../model/io.js';

/** Extensions of the files `sts train DIR` and `sts doctor DIR` consider. */
const SOURCE_EXTENSIONS = ['.yaml', '.yml', '.json', '.jsonl', '.ndjson', '.csv'];

/**
 * Top-level keys of the files of a Rasa project that are not NLU training data (config, domain,
 * stories, rules, endpoints, credentials): a folder holds them beside nlu.yml.
 */
const RASA_PROJECT_KEYS = ['recipe', 'pipeline', 'policies', 'stories', 'rules', 'responses', 'session_config', 'actions', 'forms', 'action_endpoint', 'tracker_store', 'rest'];

export interface SourceList {
  files: string[];
  /** Files of a folder that were left out, with why, for a note on stderr. */
  skipped: { file: string; reason: string }[];
}

/**
 * The source files the arguments name: a file as it is; a folder's source files, recursively
 * and in name order, without compiled models (`*.model.json`), hidden folders, node_modules and
 * the configuration files of a Rasa project.
 */
export async function expandSources(args: readonly string[], cwd: string): Promise<SourceList> {
  const result: SourceList = { files: [], skipped: [] };
  for (const arg of args) {
    const full = path.resolve(cwd, arg);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isDirectory()) {
      result.files.push(full);
      continue;
    }
    const before = result.files.length;
    await walk(full, result);
    if (result.files.length === before) {
      throw new StsError('not_found', `${full}: no source files in this folder (${SOURCE_EXTENSIONS.join(', ')})`, [{ file: full, message: 'no sources' }]);
    }
  }
  return result;
}

async function walk(dir: string, into: SourceList): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const file = path.join(dir, e.name);
    if (e.isDirectory()) {
      await walk(file, into);
      continue;
    }
    const ext = path.extname(e.name).toLowerCase();
    if (!e.isFile() || !SOURCE_EXTENSIONS.includes(ext) || e.name.toLowerCase().endsWith('.model.json')) continue;
    const rasaKey = ext === '.yml' || ext === '.yaml' ? await rasaProjectKey(file) : undefined;
    if (rasaKey) into.skipped.push({ file, reason: `a Rasa project file ("${rasaKey}:"), not NLU data` });
    else into.files.push(file);
  }
}

/** The key that makes a YAML file a Rasa project's configuration, domain or stories, if it is one. */
async function rasaProjectKey(file: string): Promise<string | undefined> {
  let value: unknown;
  try {
    value = parseYaml(await readTextFile(file));
  } catch {
    return undefined; // broken YAML: training reports it with its line
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'nlu' in value) return undefined;
  return RASA_PROJECT_KEYS.find((k) => k in value);
}

/**
 * The name of a model trained from these arguments: the folder's or the file's name without
 * its extensions ("bots/pizza/" → "pizza", "faq.intents.yaml" → "faq").
 */
export function modelNameOf(args: readonly string[], cwd: string): string {
  const first = path.basename(path.resolve(cwd, args[0] ?? 'model'));
  const name = first.replace(/\..*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return name || 'model';
}
