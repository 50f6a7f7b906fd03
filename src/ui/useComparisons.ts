import { useCallback, useRef, useState } from 'react';
import { formatBytes } from '../format-bytes';
import { importRunFile, type ComparedRun } from '../report/compared-run';
import type { ReferenceChoice } from '../report/reference-run';
import { fetchReference } from './reference-fetch';

/** Imports are read whole into memory; a run of thousands of trials is a few MiB. */
const MAX_IMPORT_BYTES = 64 << 20;

/** Fetching a shipped reference run: nothing asked yet (or it arrived), under way, or failed with a message. */
export type ReferenceLoad =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed'; readonly message: string };

/** Other runs overlaid on this one: a shared run once it is re-run here, imported files, shipped references. */
export function useComparisons() {
  const [runs, setRuns] = useState<readonly ComparedRun[]>([]);
  const [importError, setImportError] = useState<string | undefined>(undefined);
  const [referenceLoad, setReferenceLoad] = useState<ReferenceLoad>({ kind: 'idle' });
  const nextId = useRef(0);

  const importFiles = useCallback((files: readonly File[]) => {
    void Promise.all(
      files.map(async (file) => {
        const id = `file-${nextId.current++}`;
        if (file.size > MAX_IMPORT_BYTES) {
          return {
            ok: false as const,
            message: `${file.name}: larger than ${formatBytes(MAX_IMPORT_BYTES)}.`,
          };
        }
        return importRunFile(file.name, await file.text(), id);
      }),
    ).then((imported) => {
      const added = imported.flatMap((result) => (result.ok ? [result.run] : []));
      const problems = imported.flatMap((result) => (result.ok ? [] : [result.message]));
      setRuns((current) => [...current, ...added]);
      setImportError(problems.length === 0 ? undefined : problems.join(' '));
    });
  }, []);

  /** Puts a run first, replacing an earlier one with its id (the shared run, re-run here). */
  const showFirst = useCallback((run: ComparedRun) => {
    setRuns((current) => [run, ...current.filter((other) => other.id !== run.id)]);
  }, []);

  /** Adds a shipped reference run after the others, replacing the same reference loaded earlier. */
  const compareReference = useCallback((choice: ReferenceChoice) => {
    setReferenceLoad({ kind: 'loading' });
    void fetchReference(choice).then((loaded) => {
      if (!loaded.ok) {
        setReferenceLoad({ kind: 'failed', message: loaded.message });
        return;
      }
      setRuns((current) => [...current.filter((other) => other.id !== loaded.run.id), loaded.run]);
      setReferenceLoad({ kind: 'idle' });
    });
  }, []);

  const remove = useCallback((id: string) => {
    setRuns((current) => current.filter((run) => run.id !== id));
  }, []);

  return { runs, importError, importFiles, showFirst, remove, referenceLoad, compareReference };
}
