import { constants as bufferConstants } from 'node:buffer';
import { constants, watch, type FSWatcher, type BigIntStats } from 'node:fs';
import { link, open, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StsError } from '../errors.js';
import { tempPathOf, writeFileAtomic } from '../model/io.js';
import type { ModelStore, ModelSummary, StoreChange, StoredModel, StoredModelInfo, StoreStatus } from './store.js';
import { summaryOfFile } from './summary.js';

/** Model files of a folder end with this; the model's name is what comes before it. */
export const MODEL_SUFFIX = '.model.json';

/** Events of one file that come this close together are one change (a write is a create and a rename). */
const WATCH_SETTLE_MS = 20;

/**
 * A folder of `<name>.model.json` files: the embedded default store. Writes are a temp file
 * renamed over the old one, so a reader (or a process killed mid-write) sees the old file or the
 * new one. The processes that share the folder (the workers of `--workers`, or servers on one
 * machine) hear of each other's writes through fs.watch; the registry's periodic re-check heals
 * what a watch misses (a network file system may report nothing).
 */
export class FolderStore implements ModelStore {
  readonly kind = 'folder';
  /** Summaries already read, by name, with the revision they were read at: a re-check reads only changed files. */
  private readonly summaries = new Map<string, { revision: string; summary?: ModelSummary }>();
  /** Summaries being read, by name, with the revision: reads of one version at a time share one. */
  private readonly summarising = new Map<string, { revision: string; summary: Promise<ModelSummary | undefined> }>();
  /** Files list() could not read, with the error's code, said once. */
  private readonly failedReads = new Map<string, string>();
  private watcher?: FSWatcher;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private state: StoreStatus = { up: true, since: new Date() };

  constructor(
    readonly dir: string,
    /** Told about a file of the folder that is not a model (it is left out of list()). */
    private readonly onProblem: (file: string, message: string) => void = () => undefined,
    /**
     * Reads a file's summary: a server hands this to a thread, since parsing a large model's JSON
     * holds the event loop (a file changed by another process, or placed in the folder by hand).
     */
    private readonly summarise: Summariser = summaryOfFile,
  ) {}

  async list(): Promise<StoredModelInfo[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch (e) {
      this.setUp(false, e);
      throw new StsError('io_error', `cannot read the models folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, [], { cause: e });
    }
    this.setUp(true);
    const names = files.filter((f) => f.endsWith(MODEL_SUFFIX) && !f.startsWith('.')).map((f) => f.slice(0, -MODEL_SUFFIX.length));
    const infos: StoredModelInfo[] = [];
    for (const name of names.sort()) {
      // A file that cannot be read (no permission, a socket, a link loop) is left out, not the listing.
      const info = await this.info(name).catch((e: unknown) => void this.unreadableOnce(name, e));
      if (info) {
        this.failedReads.delete(name);
        infos.push(info);
      }
    }
    return infos;
  }

  /** Tells of a file that cannot be read, once until it reads again or fails another way. */
  private unreadableOnce(name: string, e: unknown): void {
    const code = (e instanceof StsError && (e.cause as NodeJS.ErrnoException | undefined)?.code) || String(e);
    if (this.failedReads.get(name) === code) return;
    this.failedReads.set(name, code);
    this.onProblem(this.fileOf(name), `cannot be read (${code}): not served`);
  }

  async info(name: string): Promise<StoredModelInfo | undefined> {
    const file = this.fileOf(name);
    const stats = await stat(file, { bigint: true }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw new StsError('io_error', `cannot read model "${name}" in the models folder (${e.code})`, [], { cause: e });
    });
    if (!stats) return undefined;
    const cached = this.summaries.get(name);
    if (cached?.revision === revisionOf(stats)) return cached.summary && infoOf(name, stats, cached.summary);
    return (await this.read(name))?.info;
  }

  async read(name: string): Promise<StoredModel | undefined> {
    const where = this.fileOf(name);
    // The revision is the opened file's own, so it matches the bytes even if a write lands meanwhile.
    // Opened without blocking: a named pipe put there would hold the open (and a libuv thread) until written to.
    const handle = await open(where, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw new StsError('io_error', `cannot read model "${name}" in the models folder (${e.code})`, [], { cause: e });
    });
    if (!handle) return undefined;
    try {
      const stats = await handle.stat({ bigint: true });
      const unread = unreadable(stats);
      const file = unread === undefined ? await handle.readFile() : undefined;
      const revision = revisionOf(stats);
      // A version of the file already summarised (listed, or written here) is not parsed again:
      // for a large model that parse is tens of ms of the event loop, and loading checks it anyway.
      const known = this.summaries.get(name);
      const summary = known?.revision === revision ? known.summary : await this.summarised(name, revision, file, unread);
      return summary && file && { info: infoOf(name, stats, summary), file };
    } finally {
      await handle.close();
    }
  }

  /**
   * The summary of one version of a file, read once however many reads ask for it meanwhile (a
   * re-check and a change heard of), and told once if the file is not a model.
   */
  private summarised(name: string, revision: string, file: Uint8Array | undefined, unread: string | undefined): Promise<ModelSummary | undefined> {
    const running = this.summarising.get(name);
    if (running?.revision === revision) return running.summary;
    const before = this.summaries.get(name);
    const summary = (async () => {
      const found = file && (await this.summaryOf(name, file));
      if (!found) this.onProblem(this.fileOf(name), `${unread ?? 'not an sts-classifier model (damaged, or another kind of JSON)'}: not served`);
      // A write that landed meanwhile left the newer version's summary: kept.
      if (this.summaries.get(name) === before) this.summaries.set(name, { revision, summary: found });
      return found;
    })().finally(() => {
      if (this.summarising.get(name)?.summary === summary) this.summarising.delete(name);
    });
    this.summarising.set(name, { revision, summary });
    return summary;
  }

  /** The summariser's answer. If it fails (a thread that died, or closed), the file is read here rather than left out, which would unlist a model. */
  private async summaryOf(name: string, file: Uint8Array): Promise<ModelSummary | undefined> {
    try {
      return await this.summarise(file);
    } catch (e) {
      this.onProblem(this.fileOf(name), `its summary was read on the event loop: the summariser failed (${(e as Error).message ?? String(e)})`);
      return summaryOfFile(file);
    }
  }

  async write(name: string, file: Uint8Array, summary: ModelSummary, options: { ifAbsent?: boolean } = {}): Promise<StoredModelInfo | undefined> {
    const where = this.fileOf(name);
    try {
      if (options.ifAbsent) {
        if (!(await linkIfAbsent(where, file))) return undefined;
      } else {
        await writeFileAtomic(where, file);
      }
    } catch (e) {
      // The server's file paths are not the client's business; the cause stays for the log.
      throw new StsError('io_error', `cannot write model "${name}" to the models folder`, [], { cause: e });
    }
    const stats = await stat(where, { bigint: true });
    this.summaries.set(name, { revision: revisionOf(stats), summary });
    return infoOf(name, stats, summary);
  }

  async remove(name: string): Promise<boolean> {
    this.summaries.delete(name);
    return unlink(this.fileOf(name)).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return false;
        throw new StsError('io_error', `cannot delete the file of model "${name}" (${e.code})`, [], { cause: e });
      },
    );
  }

  watch(listener: (change: StoreChange) => void): void {
    try {
      this.watcher = watch(this.dir, { persistent: false }, (_event, filename) => {
        const base = filename?.toString();
        if (!base?.endsWith(MODEL_SUFFIX) || base.startsWith('.')) return;
        const name = base.slice(0, -MODEL_SUFFIX.length);
        clearTimeout(this.pending.get(name));
        this.pending.set(
          name,
          setTimeout(() => {
            this.pending.delete(name);
            listener({ name });
          }, WATCH_SETTLE_MS),
        );
      });
      // A watch that fails later (the folder removed) leaves the periodic re-check to notice.
      this.watcher.on('error', (e) => this.onProblem(this.dir, `cannot watch the folder any more (${(e as Error).message}); changes are picked up by the periodic re-check`));
    } catch (e) {
      this.onProblem(this.dir, `cannot watch the folder (${(e as Error).message}); changes are picked up by the periodic re-check`);
    }
  }

  status(): StoreStatus {
    return this.state;
  }

  async close(): Promise<void> {
    this.watcher?.close();
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  fileOf(name: string): string {
    return path.join(this.dir, name + MODEL_SUFFIX);
  }

  private setUp(up: boolean, error?: unknown): void {
    if (up === this.state.up) return;
    this.state = up ? { up, since: new Date() } : { up, error: (error as NodeJS.ErrnoException).code ?? String(error), since: new Date() };
  }
}

/** What a model file lists as (summary.ts summaryOfFile()), or undefined when the file is not a model. */
export type Summariser = (file: Uint8Array) => ModelSummary | undefined | Promise<ModelSummary | undefined>;

/** A file's revision: a rename (every write) gives a new inode, and an edit in place a new mtime or size. */
function revisionOf(stats: BigIntStats): string {
  return `${stats.ino}:${stats.mtimeNs}:${stats.size}`;
}

function infoOf(name: string, stats: BigIntStats, summary: ModelSummary): StoredModelInfo {
  return { name, ...summary, revision: revisionOf(stats), bytes: Number(stats.size), updatedAt: new Date(Number(stats.mtimeMs)) };
}

/** The most a file is read whole: the longest string V8 makes, which its JSON must become. */
const MOST_FILE_BYTES = Math.min(2 ** 31 - 1, bufferConstants.MAX_STRING_LENGTH);

/** Why a file of the folder is not read at all (not a regular file, or too large to be read), or undefined. */
function unreadable(stats: BigIntStats): string | undefined {
  if (!stats.isFile()) return 'not a regular file';
  if (stats.size > BigInt(MOST_FILE_BYTES)) return `${stats.size} bytes, more than the text a model file becomes can hold (${MOST_FILE_BYTES})`;
  return undefined;
}

/** Writes a temp file and links it to `file` only if no file has that name (link fails then): whole, and never over another. */
async function linkIfAbsent(file: string, content: Uint8Array): Promise<boolean> {
  const tmp = tempPathOf(file);
  await writeFile(tmp, content, { flag: 'wx' });
  try {
    await link(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
