import { importSource } from './importers/index.js';
import type { IntentsFile } from './source-schema.js';

/** Parses our intents file (YAML or JSON); errors name the file, the line and the field path. */
export function parseIntentsFile(text: string, file: string): IntentsFile {
  return importSource(text, file, 'intents').data as IntentsFile;
}
