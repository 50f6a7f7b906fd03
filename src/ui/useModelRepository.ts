import { useCallback, useRef, useState } from 'react';
import type { ModelRef } from '../config/model-ref';
import { openHubRepository, type HubAccess } from '../hub/hub-repository';
import { openLocalFolder, type LocalFileEntry } from '../hub/local-folder';
import { hubBlockedByPolicy } from '../security/csp';
import { inspectRepository, type InspectedModel, type ModelRepository } from '../hub/repository';
import { errorMessage } from '../error-message';

/** Looking a repository up before a sweep: its variants, sizes and config, shown before any download. */
export type RepositoryState =
  | { readonly kind: 'none' }
  | { readonly kind: 'inspecting'; readonly what: string }
  | { readonly kind: 'ready'; readonly inspected: InspectedModel }
  | { readonly kind: 'failed'; readonly message: string };

/** The Content-Security-Policy the build put into index.html (none on the dev server). */
function pagePolicy(): string | undefined {
  return (
    document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? undefined
  );
}

export function useModelRepository() {
  const [state, setState] = useState<RepositoryState>({ kind: 'none' });
  const current = useRef<AbortController | null>(null);

  const inspect = useCallback(
    async (what: string, open: (signal: AbortSignal) => Promise<ModelRepository>) => {
      current.current?.abort();
      const abort = new AbortController();
      current.current = abort;
      setState({ kind: 'inspecting', what });
      try {
        const repository = await open(abort.signal);
        const inspected = await inspectRepository(repository, abort.signal);
        if (!abort.signal.aborted) setState({ kind: 'ready', inspected });
      } catch (error) {
        if (!abort.signal.aborted) setState({ kind: 'failed', message: errorMessage(error) });
      }
    },
    [],
  );

  const lookUpHub = useCallback(
    (ref: Extract<ModelRef, { kind: 'hub' }>, access: HubAccess) =>
      inspect(`${ref.id} on ${ref.hubUrl}`, async (signal) => {
        const blocked = hubBlockedByPolicy(pagePolicy(), ref.hubUrl, window.location.origin);
        if (blocked !== undefined) throw new Error(blocked);
        return openHubRepository(ref, access, signal);
      }),
    [inspect],
  );

  const openFolder = useCallback(
    (folderName: string, entries: readonly LocalFileEntry[]) =>
      inspect(`folder ${folderName}`, async () => openLocalFolder(folderName, entries)),
    [inspect],
  );

  const reset = useCallback(() => {
    current.current?.abort();
    setState({ kind: 'none' });
  }, []);

  /** Stops a look-up in progress (the user's Cancel); a finished one stays. */
  const cancelLookUp = useCallback(() => {
    const running = current.current;
    if (running === null || running.signal.aborted) return;
    running.abort();
    setState((state) =>
      state.kind === 'inspecting' ? { kind: 'failed', message: 'The look-up was cancelled.' } : state,
    );
  }, []);

  return { repository: state, lookUpHub, openFolder, reset, cancelLookUp };
}
