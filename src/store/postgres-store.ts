import pg from 'pg';
import { utf8Bytes } from '../model/io.js';
import { StsError } from '../errors.js';
import { reasonOf, storeUnavailable, type ModelStore, type ModelSummary, type StoreChange, type StoredModel, type StoredModelInfo, type StoreStatus } from './store.js';

/** The channel every replica LISTENs on: a write NOTIFYs it, in its own transaction, with `{name, revision}`. */
export const CHANNEL = 'sts_models';

export interface PostgresStoreOptions {
  /** Told when the store goes down or comes back, and of connection errors. */
  onProblem?: (message: string) => void;
  /** How long a connection attempt may take before the store counts as unavailable (ms). */
  connectTimeoutMs?: number;
  /** How long one query may take (ms): a model of tens of MB takes a few seconds to write. */
  queryTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 3000;
const DEFAULT_QUERY_TIMEOUT_MS = 60_000;
/** Queries of one process at once: reads of models to load and the rare writes. */
const POOL_SIZE = 4;
/** The listening connection is tried again after this, doubling up to the most. */
const RECONNECT_MIN_MS = 200;
const RECONNECT_MAX_MS = 5000;

/**
 * One row per model: its name, what GET /v1/models lists, the revision (from a sequence, new at
 * every write) and the model file's text. PostgreSQL keeps a long text out of line (TOAST), so
 * listing reads none of the files. The advisory lock lets replicas that start together create
 * the table once.
 */
const SCHEMA = `
  SELECT pg_advisory_xact_lock(hashtext('${CHANNEL}'));
  CREATE SEQUENCE IF NOT EXISTS sts_model_revisions;
  CREATE TABLE IF NOT EXISTS sts_models (
    name text PRIMARY KEY,
    id text NOT NULL,
    language text NOT NULL,
    intents integer NOT NULL,
    phrases integer NOT NULL,
    bytes integer NOT NULL,
    revision bigint NOT NULL,
    updated_at timestamptz NOT NULL,
    model text NOT NULL
  );`;

const INFO_COLUMNS = 'name, id, language, intents, phrases, bytes, revision::text AS revision, updated_at';

interface InfoRow {
  name: string;
  id: string;
  language: string;
  intents: number;
  phrases: number;
  bytes: number;
  revision: string;
  updated_at: Date;
}

/**
 * The models of a fleet in PostgreSQL (`STS_STORE=postgres://…`). A write is one transaction:
 * the row and a NOTIFY that PostgreSQL delivers to every listening replica only once it commits,
 * so a replica killed mid-write leaves the old row, and no replica hears of a model that is not
 * there. A replica that loses its listening connection reconnects, and then re-reads everything
 * (the notifications sent meanwhile are lost).
 */
export class PostgresStore implements ModelStore {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private listener?: pg.Client;
  private onChange: (change: StoreChange) => void = () => undefined;
  private state: StoreStatus = { up: false, error: 'not connected yet', since: new Date() };
  private reconnectMs = RECONNECT_MIN_MS;
  private reconnectTimer?: NodeJS.Timeout;
  private closed = false;

  /** Connects, creates the table if needed, and starts listening; fails with store_unavailable if PostgreSQL cannot be reached. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, options);
    try {
      await store.query('creating the table', SCHEMA);
      await store.connectListener();
    } catch (e) {
      await store.close();
      throw new StsError('store_unavailable', `cannot use the model store at ${redactUrl(url)}: ${reasonOf(e)}`, [], { cause: e });
    }
    return store;
  }

  private constructor(
    private readonly url: string,
    private readonly options: PostgresStoreOptions,
  ) {
    this.pool = new pg.Pool({ ...this.clientConfig(), max: POOL_SIZE, idleTimeoutMillis: 10_000 });
    // An idle connection that breaks (PostgreSQL stopped) is dropped by the pool; the next query reconnects.
    this.pool.on('error', (e) => this.setStatus(false, e));
  }

  async list(): Promise<StoredModelInfo[]> {
    const { rows } = await this.query<InfoRow>('listing models', `SELECT ${INFO_COLUMNS} FROM sts_models ORDER BY name`);
    // The re-check that calls this also finds a listening connection that died without a word.
    void this.listener?.query('SELECT 1').catch(() => undefined);
    return rows.map(infoOf);
  }

  async info(name: string): Promise<StoredModelInfo | undefined> {
    const { rows } = await this.query<InfoRow>(`reading model "${name}"`, `SELECT ${INFO_COLUMNS} FROM sts_models WHERE name = $1`, [name]);
    return rows[0] && infoOf(rows[0]);
  }

  async read(name: string): Promise<StoredModel | undefined> {
    const { rows } = await this.query<InfoRow & { model: string }>(`reading model "${name}"`, `SELECT ${INFO_COLUMNS}, model FROM sts_models WHERE name = $1`, [name]);
    return rows[0] && { info: infoOf(rows[0]), file: utf8Bytes(rows[0].model) };
  }

  /** The file goes as bytes (bytea, binary), and PostgreSQL makes the text: the client encodes nothing. */
  async write(name: string, file: Uint8Array, summary: ModelSummary, options: { ifAbsent?: boolean } = {}): Promise<StoredModelInfo | undefined> {
    const onConflict = options.ifAbsent
      ? 'DO NOTHING'
      : 'DO UPDATE SET id = excluded.id, language = excluded.language, intents = excluded.intents, phrases = excluded.phrases, bytes = excluded.bytes, revision = excluded.revision, updated_at = excluded.updated_at, model = excluded.model';
    const rows = await this.transaction<InfoRow>(`writing model "${name}"`, async (client) => {
      const written = await client.query<InfoRow>(
        `INSERT INTO sts_models (name, id, language, intents, phrases, bytes, revision, updated_at, model)
         VALUES ($1, $2, $3, $4, $5, $6, nextval('sts_model_revisions'), now(), convert_from($7::bytea, 'UTF8'))
         ON CONFLICT (name) ${onConflict} RETURNING ${INFO_COLUMNS}`,
        [name, summary.id, summary.language, summary.intents, summary.phrases, file.byteLength, file],
      );
      if (written.rows[0]) await notify(client, { name, revision: written.rows[0].revision });
      return written.rows;
    });
    return rows[0] && infoOf(rows[0]);
  }

  async remove(name: string): Promise<boolean> {
    const rows = await this.transaction<{ revision: string }>(`deleting model "${name}"`, async (client) => {
      const deleted = await client.query<{ revision: string }>('DELETE FROM sts_models WHERE name = $1 RETURNING revision::text AS revision', [name]);
      if (deleted.rows.length > 0) await notify(client, { name });
      return deleted.rows;
    });
    return rows.length > 0;
  }

  watch(listener: (change: StoreChange) => void): void {
    this.onChange = listener;
  }

  status(): StoreStatus {
    return this.state;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  private clientConfig(): pg.ClientConfig {
    return {
      connectionString: this.url,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      query_timeout: this.options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      keepAlive: true,
      application_name: 'sts-classifier',
    };
  }

  private async query<R extends pg.QueryResultRow>(what: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      const result = await this.pool.query<R>(sql, params);
      if (this.listener) this.setStatus(true);
      return result;
    } catch (e) {
      throw this.failure(what, e);
    }
  }

  private async transaction<R>(what: string, work: (client: pg.PoolClient) => Promise<R[]>): Promise<R[]> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.failure(what, e);
    }
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const rows = await work(client);
      await client.query('COMMIT');
      return rows;
    } catch (e) {
      broken = e;
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.failure(what, e);
    } finally {
      // A connection that failed mid-transaction is not given back to the pool.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** Any failure of PostgreSQL is a 503 for the client; a lost connection also marks the store down. */
  private failure(what: string, e: unknown): StsError {
    if (isConnectionError(e)) this.setStatus(false, e);
    return storeUnavailable(what, e);
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client(this.clientConfig());
    let lost = false;
    const onLost = (e: unknown) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.setStatus(false, e);
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost(new Error('the listening connection closed')));
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL) return;
      const change = parseChange(message.payload);
      this.onChange(change);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      lost = true;
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    this.setStatus(true);
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.connectListener().then(
        () => {
          this.reconnectMs = RECONNECT_MIN_MS;
          // Whatever changed while nobody listened was not heard: look at everything.
          this.onChange({});
        },
        (e: unknown) => {
          this.setStatus(false, e);
          this.reconnectMs = Math.min(this.reconnectMs * 2, RECONNECT_MAX_MS);
          if (!this.closed) this.scheduleReconnect();
        },
      );
    }, this.reconnectMs);
    this.reconnectTimer.unref();
  }

  private setStatus(up: boolean, error?: unknown): void {
    if (up === this.state.up) return;
    const reason = reasonOf(error);
    this.state = up ? { up, since: new Date() } : { up, error: reason, since: new Date() };
    this.options.onProblem?.(up ? 'the model store is reachable again' : `the model store is unavailable: ${reason}`);
  }
}

function infoOf(row: InfoRow): StoredModelInfo {
  return {
    name: row.name,
    id: row.id,
    language: row.language,
    intents: row.intents,
    phrases: row.phrases,
    bytes: row.bytes,
    revision: row.revision,
    updatedAt: row.updated_at,
  };
}

async function notify(client: pg.PoolClient, change: StoreChange): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(change)]);
}

/** A notification's payload; anything unreadable means "look at everything". */
function parseChange(payload: string | undefined): StoreChange {
  try {
    const value = JSON.parse(payload ?? '') as { name?: unknown; revision?: unknown };
    if (typeof value.name !== 'string') return {};
    return typeof value.revision === 'string' ? { name: value.name, revision: value.revision } : { name: value.name };
  } catch {
    return {};
  }
}

/**
 * Errors of the connection rather than of a query: refused, reset, timed out, or PostgreSQL's
 * classes 08 (connection exception) and 57 (operator intervention: shutting down).
 */
function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return /^(08|57)/.test(code) || /^E[A-Z]+$/.test(code);
  const message = e instanceof Error ? e.message : '';
  return /timeout|terminated|Connection|connect/i.test(message);
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the PostgreSQL URL';
  }
}
