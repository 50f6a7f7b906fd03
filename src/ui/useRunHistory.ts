import { useCallback, useEffect, useState } from 'react';
import { RunStore, type DeletedRun, type LoadedRun, type RunSummary } from '../results/run-store';
import { deleteUnlessLive, liveRunIds } from './run-deletion';
import { errorMessage } from '../error-message';

function sameIds(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

/** What the last Delete removed, kept in memory for Undo until the next one. */
export interface DeletedRuns {
  readonly message: string;
  readonly runs: readonly DeletedRun[];
}

/**
 * Opens the run store, marks runs that a reload or crash cut short as interrupted, lists them, and loads,
 * renames and deletes them (never a live one: runs being measured in any tab hold their Web Lock).
 */
export function useRunHistory() {
  const [store, setStore] = useState<RunStore | undefined>(undefined);
  const [runs, setRuns] = useState<readonly RunSummary[]>([]);
  // Runs being measured in some tab (this one or another): they cannot be deleted.
  const [live, setLive] = useState<ReadonlySet<string>>(new Set());
  const [problem, setProblem] = useState<string | undefined>(undefined);

  useEffect(() => {
    let mounted = true;
    let opened: RunStore | undefined;
    void (async () => {
      try {
        opened = await RunStore.open();
        await opened.markInterrupted(await liveRunIds());
        const listed = await opened.list();
        if (!mounted) return;
        setStore(opened);
        setRuns(listed);
      } catch (error) {
        if (mounted) {
          setProblem(
            `Run history is not available (${errorMessage(error)}); ` +
              'results are kept only until the page is closed. Private windows may block IndexedDB.',
          );
        }
      }
    })();
    return () => {
      mounted = false;
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

  // What the last open, resume or delete could not do; the store's own problem comes first.
  const [note, setNote] = useState<string | undefined>(undefined);
  const load = useCallback(
    async (runId: string): Promise<LoadedRun | undefined> => {
      const loaded = await store?.load(runId);
      if (loaded === undefined) {
        setNote("That run could not be read from this browser's storage.");
        return undefined;
      }
      setNote(loaded.skipped > 0 ? `${loaded.skipped} damaged records of that run were skipped.` : undefined);
      return loaded;
    },
    [store],
  );
  const rename = useCallback(
    (runId: string, name: string) => void store?.rename(runId, name).then(refresh),
    [store, refresh],
  );

  const [deleted, setDeleted] = useState<DeletedRuns | undefined>(undefined);
  const deleteRuns = useCallback(
    async (runIds: readonly string[]) => {
      if (store === undefined) return;
      const results = await Promise.all(runIds.map((runId) => deleteUnlessLive(store, runId)));
      const removed = results.flatMap((result) => (result.kind === 'deleted' ? [result.deleted] : []));
      const refusedLive = results.filter((result) => result.kind === 'live').length;
      setDeleted(
        removed.length === 0
          ? undefined
          : {
              message: `Deleted ${removed.length === 1 ? '1 run' : `${removed.length} runs`}.`,
              runs: removed,
            },
      );
      setNote(
        refusedLive === 0
          ? undefined
          : `${refusedLive === 1 ? 'A run is' : `${refusedLive} runs are`} being measured (in this tab or another), so ${refusedLive === 1 ? 'it was' : 'they were'} not deleted.`,
      );
      refresh();
    },
    [store, refresh],
  );
  const undoDelete = useCallback(() => {
    if (deleted === undefined) return;
    setDeleted(undefined);
    void Promise.all(deleted.runs.map((run) => store?.restore(run))).then(refresh);
  }, [deleted, store, refresh]);

  return {
    store,
    runs,
    live,
    problem: problem ?? note,
    refresh,
    load,
    rename,
    deleteRuns,
    deleted,
    undoDelete,
  };
}
