import { unlink, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createClassifier, type Classifier } from '../engine/classifier.js';
import { StsError } from '../errors.js';
import { compile } from '../model/compile-source.js';
import { modelFileText, readModel, writeFileAtomic } from '../model/io.js';
import type { ProbabilityTuning } from '../model/tune-probability.js';
import type { Model } from '../model/model-schema.js';
import type { IntentsFileInput } from '../model/source-schema.js';
import { nextTurn } from './next-turn.js';
import type { CompiledUpload } from './off-thread-compiler.js';

/** How a registry compiles an upload: in this thread by default; the server passes OffThreadCompiler's. */
export type UploadCompiler = (source: IntentsFileInput) => Promise<CompiledUpload>;

export interface ModelEntry {
  name: string;
  model: Model;
  classifier: Classifier;
  loadedAt: Date;
}

/** Model files served from a folder end with this; the name is what comes before it. */
export const MODEL_SUFFIX = '.model.json';

/**
 * The models a server serves, by name. A replaced model is swapped in one assignment: requests
 * that already hold the old entry finish on it, later ones get the new one. Compiling and
 * writing happen before the swap, so a source that fails changes nothing.
 */
export class ModelRegistry {
  private readonly entries = new Map<string, ModelEntry>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    /** Where PUT writes compiled models (and DELETE removes them); none = memory only. */
    readonly dir: string | undefined,
    public defaultName: string | undefined,
    private readonly clock: () => Date = () => new Date(),
    private readonly compileSource: UploadCompiler = async (source) => compile(source),
  ) {}

  get(name: string): ModelEntry | undefined {
    return this.entries.get(name);
  }

  list(): ModelEntry[] {
    return [...this.entries.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get size(): number {
    return this.entries.size;
  }

  add(name: string, model: Model, classifier: Classifier = createClassifier(model)): ModelEntry {
    const entry = { name, model, classifier, loadedAt: this.clock() };
    this.entries.set(name, entry);
    this.defaultName ??= name;
    return entry;
  }

  /** Loads one model file, or every `*.model.json` of a folder. */
  async load(fileOrDir: string, isDir: boolean): Promise<ModelEntry[]> {
    const open = async (name: string, file: string) => {
      const { model, regression } = await readModel(file);
      return this.add(name, model, createClassifier(model, { regression }));
    };
    if (!isDir) return [await open(modelNameOf(fileOrDir), fileOrDir)];
    const files = (await readdir(fileOrDir)).filter((f) => f.endsWith(MODEL_SUFFIX)).sort();
    const loaded: ModelEntry[] = [];
    for (const f of files) loaded.push(await open(modelNameOf(f), path.join(fileOrDir, f)));
    return loaded;
  }

  /** Compiles a source, writes it (atomically) to the models folder, then swaps it in. */
  async put(name: string, source: IntentsFileInput): Promise<{ entry: ModelEntry; warnings: string[]; tuning?: ProbabilityTuning; created: boolean }> {
    return this.serialized(name, async () => {
      const { model, warnings, tuning, regression, fileText } = await this.compileSource(source).catch(asSourceError);
      // Each long step of the event loop's work in its own turn, so requests are answered between
      // them (an upload of 280,000 phrases: receiving the model, preparing it, and writing it).
      await nextTurn();
      // Prepared before it is written: if that fails, no file is left and the old model serves on.
      const classifier = createClassifier(model, { regression });
      await nextTurn();
      if (this.dir) {
        await writeFileAtomic(path.join(this.dir, name + MODEL_SUFFIX), fileText ?? modelFileText(model)).catch((e: unknown) => {
          // The server's file paths are not the client's business; the cause stays for the log.
          throw new StsError('io_error', `cannot write model "${name}" to the models folder`, [], { cause: e });
        });
      }
      const created = !this.entries.has(name);
      return { entry: this.add(name, model, classifier), warnings, tuning, created };
    });
  }

  async delete(name: string): Promise<void> {
    return this.serialized(name, async () => {
      if (!this.entries.has(name)) throw new StsError('not_found', `no model named "${name}"`);
      if (name === this.defaultName) throw new StsError('conflict', `"${name}" is the default model and cannot be deleted`);
      if (this.dir) {
        await unlink(path.join(this.dir, name + MODEL_SUFFIX)).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw new StsError('io_error', `cannot delete the file of model "${name}" (${e.code})`);
        });
      }
      this.entries.delete(name);
    });
  }

  /** Writes to one name run one after another, so two uploads cannot interleave their file writes. */
  private serialized<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.queues.set(name, next);
    void next.finally(() => {
      if (this.queues.get(name) === next) this.queues.delete(name);
    }).catch(() => undefined);
    return next;
  }
}

/** `models/demo.model.json` → `demo`; `x.json` → `x`. */
export function modelNameOf(file: string): string {
  const base = path.basename(file);
  if (base.endsWith(MODEL_SUFFIX)) return base.slice(0, -MODEL_SUFFIX.length);
  return base.replace(/\.json$/, '');
}

/** Settings that do not compile are the uploader's mistake in the content: 422 invalid_source, not 400. */
function asSourceError(e: unknown): never {
  if (e instanceof StsError && e.code === 'invalid_settings') throw new StsError('invalid_source', e.message, e.details);
  throw e;
}
