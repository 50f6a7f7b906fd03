import { useCallback, useState, type RefObject } from 'react';
import { errorMessage } from '../error-message';
import { measurePeaks } from '../roofline/measure-peaks';
import type { DevicePeaks } from '../roofline/prefill-flops';

export type PeaksState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'measuring' }
  | { readonly kind: 'ready'; readonly peaks: DevicePeaks }
  | { readonly kind: 'failed'; readonly message: string };

/** This GPU's achievable peaks, measured on the app's own device when the user asks (never during a run). */
export function useRoofline(deviceRef: RefObject<GPUDevice | null>) {
  const [state, setState] = useState<PeaksState>({ kind: 'idle' });
  const measure = useCallback(async () => {
    const device = deviceRef.current;
    if (device === null) return;
    setState({ kind: 'measuring' });
    try {
      setState({ kind: 'ready', peaks: await measurePeaks(device) });
    } catch (error) {
      setState({ kind: 'failed', message: `The peak measurement failed: ${errorMessage(error)}` });
    }
  }, [deviceRef]);
  return { peaks: state, measurePeaks: measure };
}
