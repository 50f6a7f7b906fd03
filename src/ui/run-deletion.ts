/**
 * Deleting saved runs safely: a run being measured (in this tab or another) holds its Web Lock, so deletion
 * takes that lock first, only if it is free, and deletes while holding it — a live run is never deleted, and
 * no run can start (or resume) into a run being deleted.
 */
import type { DeletedRun, RunStore } from '../results/run-store';
import { RUN_LOCK_PREFIX } from './useSweep';

export type DeletionResult =
  | { readonly kind: 'deleted'; readonly deleted: DeletedRun }
  | { readonly kind: 'live' }
  | { readonly kind: 'missing' };

export async function deleteUnlessLive(store: RunStore, runId: string): Promise<DeletionResult> {
  const locks = navigator.locks;
  const remove = async (): Promise<DeletionResult> => {
    const deleted = await store.delete(runId);
    return deleted === undefined ? { kind: 'missing' } : { kind: 'deleted', deleted };
  };
  // Without the Locks API no tab can say its run is live; only this tab's own run is known (the caller's).
  if (locks === undefined) return remove();
  const result: DeletionResult | null = await locks.request(
    `${RUN_LOCK_PREFIX}${runId}`,
    { ifAvailable: true },
    async (lock) => (lock === null ? { kind: 'live' } : await remove()),
  );
  return result ?? { kind: 'live' };
}

/** Runs being measured right now in some tab of this browser (they hold their Web Lock). */
export async function liveRunIds(): Promise<Set<string>> {
  const held = (await navigator.locks?.query())?.held ?? [];
  return new Set(
    held.flatMap((lock) =>
      lock.name?.startsWith(RUN_LOCK_PREFIX) === true ? [lock.name.slice(RUN_LOCK_PREFIX.length)] : [],
    ),
  );
}
