import { useEffect, useRef, useState } from 'react';
import { NO_WEBGPU_HELP } from '../engine/gpu-device';
import { EngineClient, type EngineState } from '../worker/engine-client';
import { adapterCheckOf } from './automation';

const STARTING: EngineState = {
  gpu: { kind: 'probing' },
  deviceLoss: undefined,
  buffers: undefined,
  devicesAcquired: 0,
};

/**
 * Starts the engine worker (GPUDevice, onnxruntime, sweep runner) on mount and mirrors its state; the client
 * replaces the worker when its device is lost, so a lost device costs the current run, not the page.
 */
export function useEngine(): {
  readonly engine: EngineState;
  readonly engineRef: React.RefObject<EngineClient | null>;
} {
  const [engine, setEngine] = useState<EngineState>(STARTING);
  const engineRef = useRef<EngineClient | null>(null);
  useEffect(() => {
    // Workers get WebGPU where pages do; without it in the page there is nothing to start.
    if (!('gpu' in navigator) || navigator.gpu === undefined) {
      setEngine({ ...STARTING, gpu: { kind: 'unavailable', reason: NO_WEBGPU_HELP } });
      return;
    }
    const client = new EngineClient(setEngine, {
      bufferCeilingBytes: window.ttftBenchTestBufferCeilingBytes,
    });
    engineRef.current = client;
    // Hooks for headless drivers and tests: the memory benchmark reads the buffer accounting, the device-loss
    // test loses the device the way a driver reset would.
    window.ttftBenchEngine = {
      gpuBuffers: () => client.gpuBuffers(),
      loseDevice: () => client.loseDevice(),
      devicesAcquired: () => client.state.devicesAcquired,
    };
    return () => {
      client.dispose();
      engineRef.current = null;
      delete window.ttftBenchEngine;
    };
  }, []);
  // Headless drivers read which adapter the page got (and whether it is software) before they trust a run.
  useEffect(() => {
    window.ttftBenchAdapter = adapterCheckOf(engine.gpu);
  }, [engine.gpu]);
  return { engine, engineRef };
}
