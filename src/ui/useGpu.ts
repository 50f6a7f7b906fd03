import { useEffect, useRef, useState } from 'react';
import { gpuBufferAccounting } from '../engine/gpu-buffer-accounting';
import { acquireGpuDevice } from '../engine/gpu-device';
import type { GpuState } from './AdapterPanel';

/** After this many losses in one page the GPU is not trusted any more: the user should reload or check it. */
const MAX_DEVICE_LOSSES = 3;

/**
 * Creates the app's GPUDevice on mount (it stays out of React state: it is not renderable) and a new one
 * whenever it is lost, so a lost device costs the current run, not the page. `deviceLoss` says what happened.
 */
export function useGpu(): {
  readonly gpu: GpuState;
  readonly deviceRef: React.RefObject<GPUDevice | null>;
  readonly deviceLoss: string | undefined;
} {
  const [gpu, setGpu] = useState<GpuState>({ kind: 'probing' });
  const [deviceLoss, setDeviceLoss] = useState<string | undefined>(undefined);
  const deviceRef = useRef<GPUDevice | null>(null);
  useEffect(() => {
    let live = true;
    let losses = 0;
    const acquire = () => {
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
        const device = acquired.device;
        window.ttftBenchGpuBuffers = () => gpuBufferAccounting(device);
        setGpu({ kind: 'ready', adapter: acquired.adapter });
        void acquired.device.lost.then((info) => {
          if (!live) return;
          deviceRef.current = null;
          losses++;
          const what = `The GPU device was lost (${info.reason}${info.message === '' ? '' : `: ${info.message}`}).`;
          setDeviceLoss(what);
          if (losses >= MAX_DEVICE_LOSSES) {
            setGpu({
              kind: 'unavailable',
              reason: `${what} It was lost ${losses} times; reload the page, and check the GPU driver (chrome://gpu).`,
            });
            return;
          }
          setGpu({ kind: 'probing' });
          acquire();
        });
      });
    };
    acquire();
    return () => {
      live = false;
      deviceRef.current?.destroy();
      deviceRef.current = null;
    };
  }, []);
  return { gpu, deviceRef, deviceLoss };
}
