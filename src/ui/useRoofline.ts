import { useCallback, useState, type RefObject } from 'react';
import { errorMessage } from '../error-message';
import type { DevicePeaks } from '../roofline/prefill-flops';
import type { EngineClient } from '../worker/engine-client';

export type PeaksState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'measuring' }
  | { readonly kind: 'ready'; readonly peaks: DevicePeaks }
  | { readonly kind: 'failed'; readonly message: string };

/** This GPU's achievable peaks, measured on the engine's device when the user asks (never during a run). */
export function useRoofline(engineRef: RefObject<EngineClient | null>) {
  const [state, setState] = useState<PeaksState>({ kind: 'idle' });
  const measure = useCallback(async () => {
    const engine = engineRef.current;
    if (engine === null) return;
    setState({ kind: 'measuring' });
    try {
      setState({ kind: 'ready', peaks: await engine.measurePeaks() });
    } catch (error) {
      setState({ kind: 'failed', message: `The peak measurement failed: ${errorMessage(error)}` });
    }
  }, [engineRef]);
  return { peaks: state, measurePeaks: measure };
}
