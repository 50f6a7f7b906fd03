import { useEffect, useRef, useState } from 'react';
import { acquireGpuDevice } from '../engine/gpu-device';
import type { GpuState } from './AdapterPanel';

/** Creates the app's one GPUDevice on mount; the device stays out of React state (it is not renderable). */
export function useGpu(): { readonly gpu: GpuState; readonly deviceRef: React.RefObject<GPUDevice | null> } {
  const [gpu, setGpu] = useState<GpuState>({ kind: 'probing' });
  const deviceRef = useRef<GPUDevice | null>(null);
  useEffect(() => {
    let live = true;
    void acquireGpuDevice().then((acquired) => {
      if (!live) {
        if (acquired.kind === 'ready') acquired.device.destroy();
        return;
      }
      if (acquired.kind === 'unavailable') {
        setGpu(acquired);
        return;
      }
      deviceRef.current = acquired.device;
      setGpu({ kind: 'ready', adapter: acquired.adapter });
      void acquired.device.lost.then((info) => {
        if (live && info.reason !== 'destroyed') {
          setGpu({
            kind: 'unavailable',
            reason: `The GPU device was lost: ${info.message}. Reload the page.`,
          });
        }
      });
    });
    return () => {
      live = false;
    };
  }, []);
  return { gpu, deviceRef };
}
