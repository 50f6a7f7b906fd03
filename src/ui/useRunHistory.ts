import { useCallback, useEffect, useState } from 'react';
import { RunStore, type RunSummary } from '../results/run-store';
import { liveRunIds } from './run-deletion';
import { errorMessage } from '../error-message';

function sameIds(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

/** Opens the run store, marks runs that a reload or crash cut short as interrupted, and lists them. */
export function useRunHistory() {
  const [store, setStore] = useState<RunStore | undefined>(undefined);
  const [runs, setRuns] = useState<readonly RunSummary[]>([]);
  // Runs being measured in some tab (this one or another): they cannot be deleted.
  const [live, setLive] = useState<ReadonlySet<string>>(new Set());
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
    void liveRunIds().then(setLive, () => undefined);
  }, [store]);

  // Another tab's runs start and end without telling this one: ask the Locks API now and then (cheap; the
  // list itself is read again when this tab's runs change).
  useEffect(() => {
    const timer = setInterval(() => {
      void liveRunIds().then(
        (ids) => setLive((current) => (sameIds(current, ids) ? current : ids)),
        () => undefined,
      );
    }, 2000);
    return () => clearInterval(timer);
  }, []);

  return { store, runs, live, problem, refresh };
}
