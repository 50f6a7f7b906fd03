import { useCallback, useEffect, useState } from 'react';
import { RunStore, type LoadedRun, type RunSummary } from '../results/run-store';
import { RUN_LOCK_PREFIX } from './useSweep';
import { errorMessage } from '../error-message';

/** Runs live in some tab right now: they hold their Web Lock. Without the Locks API, none is known live. */
async function liveRunIds(): Promise<Set<string>> {
  const held = (await navigator.locks?.query())?.held ?? [];
  return new Set(
    held.flatMap((lock) =>
      lock.name?.startsWith(RUN_LOCK_PREFIX) === true ? [lock.name.slice(RUN_LOCK_PREFIX.length)] : [],
    ),
  );
}

/**
 * Opens the run store, marks runs that a reload or crash cut short as interrupted, lists them, and loads,
 * renames and deletes them.
 */
export function useRunHistory() {
  const [store, setStore] = useState<RunStore | undefined>(undefined);
  const [runs, setRuns] = useState<readonly RunSummary[]>([]);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    let opened: RunStore | undefined;
    void (async () => {
      try {
        opened = await RunStore.open();
        await opened.markInterrupted(await liveRunIds());
        const listed = await opened.list();
        if (!live) return;
        setStore(opened);
        setRuns(listed);
      } catch (error) {
        if (live) {
          setProblem(
            `Run history is not available (${errorMessage(error)}); ` +
              'results are kept only until the page is closed. Private windows may block IndexedDB.',
          );
        }
      }
    })();
    return () => {
      live = false;
      opened?.close();
    };
  }, []);

  const refresh = useCallback(() => {
    void store?.list().then(setRuns, () => undefined);
  }, [store]);

  // What the last open or resume could not read; the store's own problem comes first.
  const [loadNote, setLoadNote] = useState<string | undefined>(undefined);
  const load = useCallback(
    async (runId: string): Promise<LoadedRun | undefined> => {
      const loaded = await store?.load(runId);
      if (loaded === undefined) {
        setLoadNote("That run could not be read from this browser's storage.");
        return undefined;
      }
      setLoadNote(
        loaded.skipped > 0 ? `${loaded.skipped} damaged records of that run were skipped.` : undefined,
      );
      return loaded;
    },
    [store],
  );
  const rename = useCallback(
    (runId: string, name: string) => void store?.rename(runId, name).then(refresh),
    [store, refresh],
  );
  const remove = useCallback((runId: string) => void store?.delete(runId).then(refresh), [store, refresh]);

  return { store, runs, problem: problem ?? loadNote, refresh, load, rename, remove };
}
