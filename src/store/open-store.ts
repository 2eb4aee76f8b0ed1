import { FolderStore } from './folder-store.js';
import type { ModelStore } from './store.js';

/** What STS_STORE names: the models folder (unset) or a PostgreSQL database (a postgres:// URL). */
export type StoreSpec = { kind: 'folder'; dir: string } | { kind: 'postgres'; url: string };

export interface OpenStoreOptions {
  /** Told of files that are not models, of a store that goes down or comes back. */
  onProblem?: (message: string) => void;
}

/** Opens a store; PostgreSQL's client is loaded only when a postgres:// store is asked for. */
export async function openStore(spec: StoreSpec, options: OpenStoreOptions = {}): Promise<ModelStore> {
  const onProblem = options.onProblem ?? (() => undefined);
  if (spec.kind === 'folder') return new FolderStore(spec.dir, (file, message) => onProblem(`${file}: ${message}`));
  const { PostgresStore } = await import('./postgres-store.js');
  return PostgresStore.open(spec.url, { onProblem });
}
