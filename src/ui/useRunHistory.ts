import { useCallback, useEffect, useState } from 'react';
import { RunStore, type RunSummary } from '../results/run-store';
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

/** Opens the run store, marks runs that a reload or crash cut short as interrupted, and lists them. */
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

  return { store, runs, problem, refresh };
}
