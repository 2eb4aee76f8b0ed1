import type { SettingsOverride } from '../src/config.js';
import { compile } from '../src/model/compile-source.js';
import type { CompileDeps, CompileResult } from '../src/model/compile.js';
import { type ClassifierOptions } from '../src/engine/classifier.js';
import { createClassifier } from '../src/lexicons.js';
import type { IntentsFileInput } from '../src/model/source-schema.js';
import { StsError } from '../src/errors.js';
import path from 'node:path';
import os from 'node:os';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Compiles an intents object and returns a classifier for it. The engine's tests check JAICP's
 * mechanics (each setting's documented effect), so a source that names no preset is compiled
 * with JAICP's defaults (`preset: "jaicp"`), not the package's default.
 */
export function classifierFor(source: IntentsFileInput, options?: ClassifierOptions) {
  const { model } = compile(jaicpUnlessSaid(source));
  return createClassifier(model, options);
}

/** The source with `settings.preset: "jaicp"` unless it names a preset itself. */
export function jaicpUnlessSaid<T extends { settings?: object }>(source: T): T {
  const settings = (source.settings ?? {}) as { preset?: string };
  return settings.preset !== undefined ? source : { ...source, settings: { ...settings, preset: 'jaicp' } };
}

/** compile() with JAICP's defaults for a source that names no preset (jaicpUnlessSaid). */
export function compileJaicp(source: IntentsFileInput, deps?: CompileDeps): CompileResult {
  return compile(jaicpUnlessSaid(source), deps);
}

/**
 * The lexical preset `accurate` was before it read letters and word meaning: JAICP's defaults
 * plus idf over phrases and intents, an intent scored by its 6 closest phrases, no penalty for
 * words out of sequence, heavier words concentrated in one intent, no acronym pairs, and the
 * stems' regression at γ 0.2, tuned for each model. The tests of those mechanics (γ, its
 * tuning, the regression a model stores) give these values explicitly.
 */
export const LEXICAL_ACCURATE = {
  preset: 'jaicp',
  idfScope: 'both',
  intentTopK: 6,
  wordSequence1: 1,
  wordSequence2: 1,
  intentConcentration: 0.75,
  acronymMatch: 0,
  probabilityWeight: 0.2,
  tuneProbabilityWeight: true,
} as const satisfies SettingsOverride;

export const REPO = path.resolve(import.meta.dirname, '..');

/** The path of a file of the compiled dist/, which test/global-setup.js keeps up to date with src/ (for tests of real processes and worker threads). */
export function builtFile(relative: string): string {
  const file = path.join(REPO, 'dist', relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: test/global-setup.js builds dist/ before the tests (is it jest's globalSetup?)`);
  return file;
}

/** The benchmark data sets the repository carries (data/), or another folder of the same format (STS_DATASETS). */
export function datasetsDir(): string {
  const dir = process.env.STS_DATASETS ?? path.join(REPO, 'data');
  if (!existsSync(dir)) throw new Error(`data sets not found at ${dir}: STS_DATASETS names a folder that does not exist`);
  return dir;
}

/**
 * A fresh temporary folder, removed after the test file (register with `afterAll(cleanupTempDirs)`
 * or let the OS clean it up).
 */
const tempDirs: string[] = [];
export function tempDir(prefix = 'sts-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
export function cleanupTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes files (name → content) into a folder and returns the absolute path of each, by name. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    paths[name] = path.join(dir, name);
    writeFileSync(paths[name], content);
  }
  return paths;
}

/** The StsError a function throws; fails the test if it throws nothing or something else. */
export function stsErrorOf(fn: () => unknown): StsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StsError) return e;
    throw e;
  }
  throw new Error('expected an StsError, but nothing was thrown');
}

/** The StsError a promise rejects with; fails the test if it resolves or rejects with something else. */
export async function stsErrorOfAsync(fn: () => Promise<unknown>): Promise<StsError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof StsError) return e;
    throw e;
  }
  throw new Error('expected an StsError, but the promise resolved');
}

/** A deterministic pseudo-random generator in [0, 1) (mulberry32), for property-style loops. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 400 characters of short unknown words ("ajtr fh xuaul cz …"): each may be an acronym of phrase words (the slowest requests for a large model). */
export function shortUnknownWords(seed: number): string {
  const random = seededRandom(seed);
  const words: string[] = [];
  let length = 0;
  while (length < 395) {
    const word = Array.from({ length: 1 + Math.floor(random() * 5) }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ').slice(0, 400).trim();
}
