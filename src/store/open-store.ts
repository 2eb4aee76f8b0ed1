import { StsError } from '../errors.js';
import { FolderStore } from './folder-store.js';
import type { ModelStore } from './store.js';

/** What STS_STORE names: the models folder (unset) or a PostgreSQL database (a postgres:// URL). */
export type StoreSpec = { kind: 'folder'; dir: string } | { kind: 'postgres'; url: string };

export interface OpenStoreOptions {
  /** Told of files that are not models, of a store that goes down or comes back. */
  onProblem?: (message: string) => void;
}

/**
 * Opens a store. PostgreSQL's client (`pg`) is an optional peer dependency, loaded only when a
 * postgres:// store is asked for: a library user does not install a database client.
 */
export async function openStore(spec: StoreSpec, options: OpenStoreOptions = {}): Promise<ModelStore> {
  const onProblem = options.onProblem ?? (() => undefined);
  if (spec.kind === 'folder') return new FolderStore(spec.dir, (file, message) => onProblem(`${file}: ${message}`));
  const { PostgresStore } = await import('./postgres-store.js').catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new StsError('store_unavailable', 'STS_STORE names a PostgreSQL database, but its client is not installed: run `npm install pg` beside sts-classifier', [], { cause: e });
  });
  return PostgresStore.open(spec.url, { onProblem });
}
