import { constants as bufferConstants } from 'node:buffer';
import { constants, watch, type FSWatcher, type BigIntStats } from 'node:fs';
import { link, lstat, open, readdir, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { StsError } from '../errors.js';
import { tempPathOf, writeFileAtomic } from '../model/io.js';
import { DamagedFile, type ModelStore, type ModelSummary, type StoreChange, type StoredModel, type StoredModelInfo, type StoreStatus } from './store.js';
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
  /**
   * Summaries already read, by name, with the revision they were read at (or why that version is
   * not a model): a re-check reads only changed files, and a damaged one is not read again.
   */
  private readonly summaries = new Map<string, Summarised>();
  /** Summaries being read, by name, with the revision: reads of one version at a time share one. */
  private readonly summarising = new Map<string, { revision: string; summary: Promise<Summarised> }>();
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
      // A file that is not a model (said once when read), or cannot be read (no permission, a socket, a link loop), is left out, not the listing.
      const info = await this.info(name).catch((e: unknown) => void (e instanceof DamagedFile || this.unreadableOnce(name, e)));
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
      return this.cannotRead(name, e);
    });
    if (!stats) return undefined;
    const cached = this.summaries.get(name);
    if (cached?.revision === revisionOf(stats)) return infoOf(name, stats, summaryOrThrow(cached));
    return (await this.read(name))?.info;
  }

  async read(name: string): Promise<StoredModel | undefined> {
    const where = this.fileOf(name);
    // The revision is the opened file's own, so it matches the bytes even if a write lands meanwhile.
    // Opened without blocking: a named pipe put there would hold the open (and a libuv thread) until written to.
    const handle = await open(where, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      return this.cannotRead(name, e);
    });
    if (!handle) return undefined;
    try {
      const stats = await handle.stat({ bigint: true });
      const revision = revisionOf(stats);
      // A version already found damaged is not read again: every request for its name would.
      const known = this.summaries.get(name);
      if (known?.revision === revision && known.problem) throw new DamagedFile(known.problem, revision);
      const unread = unreadable(stats);
      const file = unread === undefined ? await handle.readFile() : undefined;
      // A version of the file already summarised (listed, or written here) is not parsed again:
      // for a large model that parse is tens of ms of the event loop, and loading checks it anyway.
      const summary = summaryOrThrow(known?.revision === revision ? known : await this.summarised(name, revision, file, unread));
      if (!file) throw new DamagedFile(unread!, revision);
      return { info: infoOf(name, stats, summary), file };
    } finally {
      await handle.close();
    }
  }

  /**
   * A file that is there but cannot be opened or followed: DamagedFile when the file is why (no
   * permission, a socket, a link loop), told once per version; an io_error otherwise (too many
   * open files, a disk error), which the next read tries again.
   */
  private async cannotRead(name: string, e: NodeJS.ErrnoException): Promise<never> {
    const failed = new StsError('io_error', `cannot read model "${name}" in the models folder (${e.code})`, [], { cause: e });
    if (!FILE_ERRORS.has(e.code ?? '')) throw failed;
    const stats = await lstat(this.fileOf(name), { bigint: true }).catch(() => undefined);
    if (!stats) throw failed;
    const read = { revision: revisionOf(stats), problem: `cannot be read (${e.code})` };
    const known = this.summaries.get(name);
    if (known?.revision !== read.revision || known.problem !== read.problem) {
      this.summaries.set(name, read);
      this.onProblem(this.fileOf(name), `${read.problem}: not served`);
    }
    throw new DamagedFile(read.problem, read.revision);
  }

  /**
   * The summary of one version of a file, read once however many reads ask for it meanwhile (a
   * re-check and a change heard of), and told once if the file is not a model.
   */
  private summarised(name: string, revision: string, file: Uint8Array | undefined, unread: string | undefined): Promise<Summarised> {
    const running = this.summarising.get(name);
    if (running?.revision === revision) return running.summary;
    const before = this.summaries.get(name);
    const summary = (async (): Promise<Summarised> => {
      const found = file ? await this.summaryOf(file) : { failed: unread! };
      const result: Summarised = 'failed' in found ? { revision, problem: found.failed } : { revision, summary: found };
      if (result.problem) this.onProblem(this.fileOf(name), `${result.problem}: not served`);
      // A write that landed meanwhile left the newer version's summary: kept.
      if (this.summaries.get(name) === before) this.summaries.set(name, result);
      return result;
    })().finally(() => {
      if (this.summarising.get(name)?.summary === summary) this.summarising.delete(name);
    });
    this.summarising.set(name, { revision, summary });
    return summary;
  }

  /**
   * The summariser's answer, or why there is none. A thread that died (out of memory on this very
   * file, say) is replaced, so it is asked once more. If that fails too, this version of the file
   * is left out as a damaged one would be: reading it here instead could take the server's own
   * heap past its limit, and a version in memory serves on.
   */
  private async summaryOf(file: Uint8Array): Promise<ModelSummary | { failed: string }> {
    for (let tries = 1; ; tries++) {
      try {
        return (await this.summarise(file)) ?? { failed: NOT_A_MODEL };
      } catch (e) {
        if (tries === 2) return { failed: `its summary could not be read: the summariser failed twice (${(e as Error).message ?? String(e)})` };
      }
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
      if (await isDirectory(where)) {
        throw new StsError('conflict', `cannot write model "${name}": the models folder holds a directory under its name; remove it by hand (or DELETE the model, if it is empty)`, [], { cause: e });
      }
      // The server's file paths are not the client's business; the cause stays for the log.
      throw new StsError('io_error', `cannot write model "${name}" to the models folder`, [], { cause: e });
    }
    const stats = await stat(where, { bigint: true });
    this.summaries.set(name, { revision: revisionOf(stats), summary });
    return infoOf(name, stats, summary);
  }

  async remove(name: string): Promise<boolean> {
    const removed = await this.removeFile(name);
    this.summaries.delete(name);
    return removed;
  }

  /** Unlinks a model's file; false when there was none. A directory put there by hand is removed if empty: what it holds is not the server's to delete. */
  private async removeFile(name: string): Promise<boolean> {
    const where = this.fileOf(name);
    try {
      await unlink(where);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return false;
      if (!(await isDirectory(where))) throw new StsError('io_error', `cannot delete the file of model "${name}" (${code})`, [], { cause: e });
      try {
        await rmdir(where);
        return true;
      } catch (r) {
        const why = (r as NodeJS.ErrnoException).code;
        if (why === 'ENOENT') return false;
        if (why === 'ENOTEMPTY' || why === 'EEXIST') {
          throw new StsError('conflict', `the models folder holds a directory named for model "${name}" that is not empty; remove it by hand`, [], { cause: r });
        }
        throw new StsError('io_error', `cannot delete the directory named for model "${name}" (${why})`, [], { cause: r });
      }
    }
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

const NOT_A_MODEL = 'not an sts-classifier model (damaged, or another kind of JSON)';

/** One version of a file as the store read it: its summary, or why it is not a model. */
type Summarised = { revision: string; summary: ModelSummary; problem?: undefined } | { revision: string; problem: string; summary?: undefined };

/** The summary of a version read, or DamagedFile with why it is not a model. */
function summaryOrThrow(read: Summarised): ModelSummary {
  if (read.problem === undefined) return read.summary;
  throw new DamagedFile(read.problem, read.revision);
}

/** What a model file lists as (summary.ts summaryOfFile()), or undefined when the file is not a model. */
export type Summariser = (file: Uint8Array) => ModelSummary | undefined | Promise<ModelSummary | undefined>;

/**
 * A file's revision: a rename (every write) gives a new inode, an edit in place a new mtime or
 * size, and a change of its permissions a new ctime (a file that could not be read may be now).
 */
function revisionOf(stats: BigIntStats): string {
  return `${stats.ino}:${stats.mtimeNs}:${stats.ctimeNs}:${stats.size}`;
}

/** Whether a directory stands at this path (not following a link). */
async function isDirectory(where: string): Promise<boolean> {
  return (await lstat(where).catch(() => undefined))?.isDirectory() ?? false;
}

/** Errors of opening or following a file that are the file's own doing: the next read would fail the same way until it changes. */
const FILE_ERRORS = new Set(['EACCES', 'EPERM', 'ENXIO', 'ELOOP', 'ENOTDIR', 'EISDIR']);

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
