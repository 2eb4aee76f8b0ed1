import { createClassifier } from '../lexicons.js';
import { StsError } from '../errors.js';
import { cailaProjectText } from '../model/caila-export.js';
import { fileText, modelFileBytes } from '../model/io.js';
import { headOf, type ModelHead } from '../model/model-head.js';
import type { Model } from '../model/model-schema.js';
import type { ProbabilityTuning } from '../model/tune-probability.js';
import type { CrossValidation } from '../model/cross-validate.js';
import { checkModelText, modelOfChecked, type LoadedModel } from '../model/validate-model.js';
import { FolderStore } from '../store/folder-store.js';
import { DamagedFile, reasonOf, type ModelStore, type StoreChange, type StoredModel, type StoredModelInfo } from '../store/store.js';
import { summaryOfHead } from '../store/summary.js';
import { ModelName } from './config.js';
import { createModelMetrics, type ModelMetrics } from './metrics.js';
import { memoryCost, ModelCache } from './model-cache.js';
import { nextTurn } from './next-turn.js';
import type { CompiledUpload } from './off-thread-compiler.js';
import type { ClassifierFactory, ServedClassifier } from './served-classifier.js';
import type { ModelChecker } from './model-checker.js';
import { compileUpload, type Upload } from './upload-source.js';

/** How a registry compiles an upload: in this thread by default; the server passes OffThreadCompiler's. */
export type UploadCompiler = (upload: Upload) => Promise<CompiledUpload>;

export interface ModelEntry {
  name: string;
  head: ModelHead;
  classifier: ServedClassifier;
  /** The model file's bytes: what the classify pool loads its threads from, and what exports read when `model` is absent. */
  file: Uint8Array;
  /** The model itself, when this thread classifies with it (no classify pool): exports read it. */
  model?: Model;
  loadedAt: Date;
}

/** What GET /v1/models lists of a model, loaded or not; `loadedAt` only while it is in memory. */
export interface ModelListing {
  name: string;
  id: string;
  language: string;
  intents: number;
  phrases: number;
  loadedAt?: Date;
}

export interface RegistryOptions {
  /** Memory the models loaded from the store may take, as memoryCost() counts it (bytes); default: no limit. */
  memoryBudgetBytes?: number;
  /** Told of a model that cannot be loaded or refreshed, and of a failed re-check. */
  onProblem?: (message: string, error: unknown) => void;
  /** Makes each model's classifier; default the engine's, on this thread (the server passes the classify pool's). */
  classifiers?: ClassifierFactory;
  /**
   * Checks stored model files and writes exports off the event loop (the server passes its
   * ModelChecker when it classifies in threads, which hold the model and decode the regression
   * themselves); default: here, the model and its regression handed to the classifier.
   */
  checker?: Pick<ModelChecker, 'check' | 'cailaExport'>;
  /**
   * Starts preparing a stored model for its classifiers (by its id, from its file), and returns
   * what ends that hold once its classifier exists, or the load failed, and, when the preparing
   * checks the file too, the model's head it gives: then the checker does not check it again
   * (the server passes the classify pool's preload; with no thread idle, the checker checks the
   * file meanwhile).
   */
  prepare?: (id: string, file: Uint8Array) => { release: () => void; head?: Promise<ModelHead | undefined> };
}

/**
 * The models a server serves, by name: those of its store, loaded on their first request and
 * kept in memory under a budget (least recently used evicted first), and models added to memory
 * only (`add`, or uploads when there is no store). A replaced model is swapped in one assignment:
 * requests that already hold the old entry finish on it, later ones get the new one. Compiling
 * and writing happen before the swap, so a source that fails changes nothing. The registry hears
 * of changes other processes make to the store (store.watch, and a periodic re-check) and swaps
 * those in the same way.
 */
export class ModelRegistry {
  readonly store: ModelStore | undefined;
  readonly metrics: ModelMetrics;
  /** Models added to memory only: never evicted, never read from the store. */
  private readonly memoryOnly = new Map<string, ModelEntry>();
  /** What the store holds, as this process last saw it. */
  private readonly catalog = new Map<string, StoredModelInfo>();
  private readonly cache: ModelCache<ModelEntry>;
  /** Loads in progress: a second request for the same model waits for the same load. */
  private readonly loading = new Map<string, Promise<ModelEntry | undefined>>();
  /**
   * Stored models that could not be loaded (damaged, or over the budget), with the revision read:
   * until that revision changes, a request gets the same error without reading and checking the
   * file again (a damaged file named by every request would cost a read and a check each).
   */
  private readonly unloadable = new Map<string, { revision: string; error: StsError }>();
  /** Bumped whenever a name's model is installed or removed: a load that read before it is stale. */
  private readonly generations = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private recheckTimer?: NodeJS.Timeout;
  /** The periodic re-check in progress: the next waits for it rather than reading the store beside it. */
  private rechecking?: Promise<void>;
  private readonly onProblem: (message: string, error: unknown) => void;
  private readonly classifierOf: ClassifierFactory;
  private readonly checker: RegistryOptions['checker'];
  private readonly prepare: RegistryOptions['prepare'];
  /** Whether entries keep their model: only when the classifiers are this thread's, which hold it anyway. */
  private readonly keepsModels: boolean;

  constructor(
    /** Where uploads are written and models are loaded from: a store, a folder (the folder store), or none (memory only). */
    store: ModelStore | string | undefined,
    public defaultName: string | undefined,
    private readonly clock: () => Date = () => new Date(),
    private readonly compileSource: UploadCompiler = async (upload) => compileUpload(upload),
    options: RegistryOptions = {},
  ) {
    this.store = typeof store === 'string' ? new FolderStore(store) : store;
    this.cache = new ModelCache(options.memoryBudgetBytes ?? Infinity);
    this.onProblem = options.onProblem ?? (() => undefined);
    // Given no model, the file is one this build wrote or checked (a compile worker's, a checked store file's).
    this.classifierOf = options.classifiers ?? ((_head, { model, regression, file }) => createClassifier(model ?? modelOfChecked(fileText(file)), { regression }));
    this.keepsModels = options.classifiers === undefined;
    this.checker = options.checker;
    this.prepare = options.prepare;
    this.metrics = createModelMetrics(() => ({
      stored: this.catalog.size,
      loaded: this.memoryOnly.size + this.cache.size,
      memoryBytes: this.cache.usedBytes,
      budgetBytes: this.cache.budgetBytes,
      storeUp: this.store && (this.store.status().up ? 1 : 0),
    }));
  }

  /**
   * Reads what the store holds, then follows its changes: as the store reports them, and by
   * reading it all again every `recheckMs` (which heals a change that was not heard of).
   */
  async open(options: { recheckMs: number }): Promise<void> {
    const store = this.store;
    if (!store) return;
    for (const info of await store.list()) this.catalog.set(info.name, info);
    store.watch((change) => void this.follow(change));
    this.recheckTimer = setInterval(() => {
      this.rechecking ??= this.recheck().finally(() => (this.rechecking = undefined));
    }, options.recheckMs);
    this.recheckTimer.unref();
  }

  /** Stops following the store and closes it. */
  async close(): Promise<void> {
    clearInterval(this.recheckTimer);
    await this.rechecking;
    await this.store?.close();
  }

  /** A model that is in memory now (marked as just used), without loading it. */
  get(name: string): ModelEntry | undefined {
    return this.memoryOnly.get(name) ?? this.cache.get(name);
  }

  /**
   * The model of a name, loaded from the store if it is not in memory (one load, whoever else
   * waits for it); undefined when there is none. A name this process has not heard of yet is
   * looked up too: a model just uploaded through another process serves at once.
   */
  async resolve(name: string): Promise<ModelEntry | undefined> {
    const entry = this.get(name);
    if (entry || !this.store || !ModelName.safeParse(name).success) return entry;
    // The store says whether the file is still the one that failed (a stat, or one query): one
    // mended or uploaded through another process serves at once, as any other would.
    const failure = await this.loadFailure(name);
    if (failure) throw failure;
    let load = this.loading.get(name);
    if (!load) {
      load = this.loadFromStore(name).finally(() => this.loading.delete(name));
      this.loading.set(name, load);
    }
    return load;
  }

  /**
   * Why a model that is not in memory cannot be loaded now: its load failed on the file the
   * store still holds (a stat, or one query, says so); undefined when none failed, or the file
   * changed since (the next request loads it again).
   */
  async loadFailure(name: string): Promise<StsError | undefined> {
    const failed = this.unloadable.get(name);
    if (!failed || !this.store || this.get(name)) return undefined;
    const now = await this.store.info(name).catch(revisionOfDamaged);
    return now?.revision === failed.revision ? failed.error : undefined;
  }

  /** The id of a model that can be served, loaded or not, as this process last saw it; undefined for a name it has not heard of. */
  idOf(name: string): string | undefined {
    return (this.peek(name)?.head ?? this.catalog.get(name))?.id;
  }

  /** Whether a model of this name can be served (in memory or in the store). */
  has(name: string): boolean {
    return this.memoryOnly.has(name) || this.catalog.has(name);
  }

  /** Every model that can be served, by name; `loadedAt` for those in memory. */
  list(): ModelListing[] {
    const listed = new Map<string, ModelListing>();
    for (const info of this.catalog.values()) {
      const entry = this.peek(info.name);
      listed.set(info.name, entry ? listingOf(entry) : { name: info.name, id: info.id, language: info.language, intents: info.intents, phrases: info.phrases });
    }
    for (const entry of this.memoryOnly.values()) listed.set(entry.name, listingOf(entry));
    return [...listed.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** How many models can be served. */
  get size(): number {
    let n = this.memoryOnly.size;
    for (const name of this.catalog.keys()) if (!this.memoryOnly.has(name)) n++;
    return n;
  }

  /** Adds a model to memory only: it is served until replaced or deleted, and never evicted. */
  add(name: string, model: Model, classifier?: ServedClassifier): ModelEntry {
    const head = headOf(model);
    const file = modelFileBytes(model);
    return this.addEntry(this.entryOf(name, head, classifier ?? this.classifierOf(head, { model, file }), file, model));
  }

  /** Serves an entry from memory only, from now on. */
  private addEntry(entry: ModelEntry): ModelEntry {
    const { name } = entry;
    this.memoryOnly.set(name, entry);
    this.bump(name);
    this.defaultName ??= name;
    return entry;
  }

  /** Compiles an upload, writes it to the store (whole or not at all), then swaps it in. */
  async put(name: string, upload: Upload): Promise<{ entry: ModelEntry; warnings: string[]; tuning?: ProbabilityTuning; crossValidation?: CrossValidation; created: boolean }> {
    return this.serialized(name, async () => {
      const compiled = await this.compileSource(upload).catch(asSourceError);
      const { warnings, tuning, crossValidation, regression } = compiled;
      // Each long step of the event loop's work in its own turn, so requests are answered between
      // them (an upload of 280,000 phrases: receiving the compile, preparing the classifier, and
      // writing the file).
      await nextTurn();
      const { model, head, file } = partsOf(compiled);
      // Prepared before it is written: if that fails, nothing is stored and the old model serves on.
      const classifier = this.classifierOf(head, { model, regression, file });
      await nextTurn();
      const created = !this.has(name);
      const entry = this.entryOf(name, head, classifier, file, model);
      if (!this.store) return { entry: this.addEntry(entry), warnings, tuning, crossValidation, created };
      const cost = memoryCost(file.byteLength);
      if (cost > this.cache.budgetBytes) throw overBudget(name, cost, this.cache.budgetBytes, 'payload_too_large');
      const info = await this.store.write(name, file, summaryOfHead(head));
      this.memoryOnly.delete(name);
      this.install(entry, info!, cost);
      this.defaultName ??= name;
      return { entry, warnings, tuning, crossValidation, created };
    });
  }

  async delete(name: string): Promise<void> {
    return this.serialized(name, async () => {
      if (!this.has(name) && !(await this.holdsDamaged(name))) throw new StsError('not_found', `no model named "${name}"`);
      if (name === this.defaultName) throw new StsError('conflict', `"${name}" is the default model and cannot be deleted`);
      await this.store?.remove(name);
      this.memoryOnly.delete(name);
      this.forget(name);
    });
  }

  /** Whether the store holds a file of this name that is not a model (unlisted, but there to delete, and to refuse as a default). */
  async holdsDamaged(name: string): Promise<boolean> {
    if (!this.store || !ModelName.safeParse(name).success) return false;
    return this.store.info(name).then(
      () => false,
      (e: unknown) => e instanceof DamagedFile,
    );
  }

  /** Reads one model from the store, checks it, prepares it and puts it in memory. */
  private async loadFromStore(name: string): Promise<ModelEntry | undefined> {
    const generation = this.generation(name);
    const started = performance.now();
    let outcome: string | undefined = 'error';
    let stored: StoredModel | undefined;
    let prepared: ReturnType<NonNullable<RegistryOptions['prepare']>> | undefined;
    // Something newer (an upload, a change heard of) was installed meanwhile: serve that, or the
    // name as it is now. That load is counted, not this one.
    const overtaken = () => {
      outcome = undefined;
      return this.get(name) ?? this.loadFromStore(name);
    };
    try {
      stored = await this.store!.read(name);
      // A change heard of may only list the name (refresh()): then it is read again, as it is now.
      if (this.generation(name) !== generation) return overtaken();
      if (!stored) {
        outcome = 'not_found';
        this.forget(name);
        return undefined;
      }
      const cost = memoryCost(stored.info.bytes);
      if (cost > this.cache.budgetBytes) throw overBudget(name, cost, this.cache.budgetBytes, 'model_too_large');
      // Prepared in an idle classify thread, which checks it as it does and gives its head; with
      // none idle, checked by the checker meanwhile. The file is parsed and checked once either way.
      if (this.checker) prepared = this.prepare?.(stored.info.id, stored.file);
      // Without a checker, the model and its regression are decoded once, here, and handed to the classifier.
      const { head, model, regression } = this.checker ? { head: await checkedElsewhere(name, stored.file, this.checker, prepared?.head), model: undefined, regression: undefined } : loadedHere(name, stored.file);
      if (this.generation(name) !== generation) return overtaken();
      const entry = this.entryOf(name, head, this.classifierOf(head, { model, regression, file: stored.file }), stored.file, model);
      this.install(entry, stored.info, cost);
      outcome = 'ok';
      return entry;
    } catch (caught) {
      if (this.generation(name) !== generation) return overtaken();
      const e = caught instanceof DamagedFile ? unloadable(name, caught.message, caught) : caught;
      // The same file would fail the same way: until it changes, its error is answered without it.
      const revision = stored?.info.revision ?? (caught instanceof DamagedFile ? caught.revision : undefined);
      if (revision !== undefined && causedByFile(e)) {
        this.unloadable.set(name, { revision, error: e });
      }
      throw e;
    } finally {
      prepared?.release();
      if (outcome) this.metrics.loads.inc({ outcome });
      if (outcome === 'ok') this.metrics.loadSeconds.observe((performance.now() - started) / 1000);
    }
  }

  /** Serves an entry of the store's model from now on, evicting the least recently used to keep under the budget. */
  private install(entry: ModelEntry, info: StoredModelInfo, cost: number): void {
    this.catalog.set(entry.name, info);
    this.unloadable.delete(entry.name);
    this.bump(entry.name);
    const evicted = this.cache.set(entry.name, entry, cost);
    if (evicted.length > 0) this.metrics.evictions.inc(evicted.length);
  }

  /** Drops a name that the store no longer holds. */
  private forget(name: string): void {
    const known = this.catalog.delete(name);
    this.unloadable.delete(name);
    // Counted only for known names: lookups of names that never existed leave nothing behind.
    if (this.cache.delete(name) || known) this.bump(name);
  }

  /** A model as the JSON text of a Caila project export (written by the checker's thread when there is one). */
  cailaExport(entry: ModelEntry): Promise<string> {
    if (entry.model) return Promise.resolve(cailaProjectText(entry.model, entry.name));
    if (this.checker) return this.checker.cailaExport(entry.file, entry.name);
    return Promise.resolve(cailaProjectText(modelOfChecked(fileText(entry.file)), entry.name));
  }

  private entryOf(name: string, head: ModelHead, classifier: ServedClassifier, file: Uint8Array, model: Model | undefined): ModelEntry {
    return { name, head, classifier, file, ...(this.keepsModels && model && { model }), loadedAt: this.clock() };
  }

  /** A change in the store, as the store reported it: that name, or everything. */
  private async follow(change: StoreChange): Promise<void> {
    if (change.name === undefined) return this.recheck();
    await this.refresh(change.name, change.revision).catch((e: unknown) => this.onProblem(`cannot follow a change of model "${change.name}" in the store: ${reasonOf(e)}`, e));
  }

  /** Reads the whole store again and follows every difference (what the periodic re-check does). */
  async recheck(): Promise<void> {
    const store = this.store;
    if (!store) return;
    let infos: StoredModelInfo[];
    try {
      infos = await store.list();
    } catch (e) {
      this.onProblem(`cannot re-check the model store: ${reasonOf(e)}`, e);
      return;
    }
    const stored = new Set(infos.map((i) => i.name));
    const changed = infos.filter((i) => this.catalog.get(i.name)?.revision !== i.revision).map((i) => i.name);
    const removed = [...this.catalog.keys()].filter((name) => !stored.has(name));
    await Promise.all([...changed, ...removed].map((name) => this.follow({ name })));
  }

  /**
   * Brings one name up to date with the store: dropped if the store no longer has it, loaded
   * again if it is in memory and changed (the old version serves until the new one is ready),
   * else just listed. After uploads of the same name, so this never undoes a newer one.
   *
   * A file damaged in the store (by hand: not a model, or no longer matching its id) never
   * takes away the version in memory: that one serves on, listed as it was, until the file is
   * mended or removed. Each damaged version is read, and told of, once.
   */
  private refresh(name: string, revision?: string): Promise<void> {
    return this.serialized(name, async () => {
      if (this.memoryOnly.has(name)) return;
      const known = this.catalog.get(name);
      if (revision !== undefined && known?.revision === revision) return;
      const info = await this.store!.info(name).catch((e: unknown) => {
        if (e instanceof DamagedFile) return e;
        throw e;
      });
      if (info instanceof DamagedFile) {
        // The store told of the file; a version in memory serves on, and a name with none is not listed.
        if (!this.cache.has(name)) this.forget(name);
        return;
      }
      if (!info) return this.forget(name);
      if (known?.revision === info.revision) return;
      if (!this.cache.has(name)) {
        this.catalog.set(name, info);
        this.bump(name);
        return;
      }
      if (this.unloadable.get(name)?.revision === info.revision) return;
      await this.loadFromStore(name);
    });
  }

  /** The entry in memory, without marking it as used. */
  private peek(name: string): ModelEntry | undefined {
    return this.memoryOnly.get(name) ?? this.cache.peek(name);
  }

  private generation(name: string): number {
    return this.generations.get(name) ?? 0;
  }

  private bump(name: string): void {
    this.generations.set(name, this.generation(name) + 1);
  }

  /** Changes to one name run one after another, so two uploads cannot interleave their writes. */
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

/** What GET /v1/models lists of a model in memory. */
export function listingOf(entry: ModelEntry): ModelListing {
  return { name: entry.name, ...summaryOfHead(entry.head), loadedAt: entry.loadedAt };
}

/** An upload's model (when this thread has it), head and file (the compile worker's, else made here). */
function partsOf(compiled: CompiledUpload): { model?: Model; head: ModelHead; file: Uint8Array } {
  if ('head' in compiled) return { model: compiled.model, head: compiled.head, file: compiled.file };
  const { model } = compiled;
  return { model, head: headOf(model), file: modelFileBytes(model) };
}

/** A stored model file as a model; one that does not parse or check is the server's problem (500), named. */
function parseStoredModel(name: string, file: Uint8Array): LoadedModel {
  try {
    return checkModelText(fileText(file));
  } catch (e) {
    throw unloadable(name, reasonOf(e), e);
  }
}

/** A stored model file checked here: the model, its head and its decoded regression. */
function loadedHere(name: string, file: Uint8Array): LoadedModel & { head: ModelHead } {
  const loaded = parseStoredModel(name, file);
  return { ...loaded, head: headOf(loaded.model) };
}

/**
 * parseStoredModel() in another thread, which gives the model's head: the classify thread that
 * prepared the model, or, if none did (or it ended first), the checker.
 */
async function checkedElsewhere(name: string, file: Uint8Array, checker: Pick<ModelChecker, 'check'>, prepared?: Promise<ModelHead | undefined>): Promise<ModelHead> {
  try {
    return (await prepared) ?? (await checker.check(file));
  } catch (e) {
    throw unloadable(name, reasonOf(e), e);
  }
}

/**
 * Whether a load failed for what the file holds, so that the same file would fail the same way:
 * over the budget, or refused by the model check (not JSON, damaged, or a format version this
 * build cannot read). Not a store that failed to read it, nor a checker thread that died meanwhile.
 */
function causedByFile(e: unknown): e is StsError {
  if (!(e instanceof StsError)) return false;
  if (e.code === 'model_too_large') return true;
  const cause = e.cause;
  return e.code === 'io_error' && cause instanceof StsError && (cause.code === 'invalid_model' || cause.code === 'model_version');
}

/** The revision of a damaged file (resolve() compares it with the one that failed); other errors: none. */
function revisionOfDamaged(e: unknown): { revision: string } | undefined {
  return e instanceof DamagedFile ? { revision: e.revision } : undefined;
}

function unloadable(name: string, reason: string, cause: unknown): StsError {
  return new StsError('io_error', `model "${name}" in the store cannot be loaded: ${reason}`, [], { cause });
}

const MB = 1024 * 1024;

function overBudget(name: string, cost: number, budget: number, code: 'payload_too_large' | 'model_too_large'): StsError {
  const needs = `model "${name}" needs about ${Math.ceil(cost / MB)} MB of memory once loaded, more than the model memory budget of ${Math.floor(budget / MB)} MB (STS_MODEL_MEMORY_MB)`;
  return new StsError(code, code === 'payload_too_large' ? `${needs}; upload a smaller model, or raise the budget` : `${needs}; raise the budget to serve it`);
}

/** Settings that do not compile are the uploader's mistake in the content: 422 invalid_source, not 400. */
function asSourceError(e: unknown): never {
  if (e instanceof StsError && e.code === 'invalid_settings') throw new StsError('invalid_source', e.message, e.details);
  throw e;
}
