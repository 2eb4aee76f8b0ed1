import { compile } from '../src/model/compile-source.js';
import { createClassifier, type ClassifierOptions } from '../src/engine/classifier.js';
import type { IntentsFileInput } from '../src/model/source-schema.js';
import path from 'node:path';
import { existsSync } from 'node:fs';

/** Compiles an intents object and returns a classifier for it. */
export function classifierFor(source: IntentsFileInput, options?: ClassifierOptions) {
  const { model } = compile(source);
  return createClassifier(model, options);
}

export const REPO = path.resolve(import.meta.dirname, '..');

/** The shared benchmark data sets (../shared/datasets beside the repository, or STS_DATASETS). */
export function datasetsDir(): string {
  const dir = process.env.STS_DATASETS ?? path.resolve(REPO, '../shared/datasets');
  if (!existsSync(dir)) throw new Error(`data sets not found at ${dir}: set STS_DATASETS to the folder of shared/datasets`);
  return dir;
}
