import type { FolderStore } from './folder-store.js';
import { DamagedFile, type ModelStore } from './store.js';

/**
 * Copies the models of a folder into a store that holds none yet (a fleet's first start, from
 * the models its image carries), and returns their names. Never over a model the store has:
 * replicas that start together each try, and the first write of a name wins.
 */
export async function seedStore(store: ModelStore, folder: FolderStore): Promise<string[]> {
  if ((await store.list()).length > 0) return [];
  const seeded: string[] = [];
  for (const { name } of await folder.list()) {
    // A file damaged since it was listed is left out, as the listing leaves out one damaged before.
    const stored = await folder.read(name).catch((e: unknown) => {
      if (e instanceof DamagedFile) return undefined;
      throw e;
    });
    if (stored && (await store.write(name, stored.file, stored.info, { ifAbsent: true }))) seeded.push(name);
  }
  return seeded;
}
