import {
  adapterIdentityDetails,
  adapterIdentityLabel,
  softwareAdapterReason,
} from '../bench/adapter-identity';
import type { GpuBufferAccounting } from '../engine/gpu-buffer-accounting';
import type { GpuState } from '../worker/engine-client';
import { formatBytes } from '../format-bytes';

export function AdapterPanel({
  gpu,
  restarting = false,
  deviceLoss,
  buffers,
}: {
  readonly gpu: GpuState;
  /** A device existed before: the engine is being restarted (after a forced cancel or a lost device). */
  readonly restarting?: boolean;
  /** What happened to the previous device, when one was lost. */
  readonly deviceLoss?: string | undefined;
  /** GPU buffers the device holds now (the app's own accounting, onnxruntime's buffers included). */
  readonly buffers?: GpuBufferAccounting | undefined;
}) {
  if (gpu.kind === 'probing') {
    return (
      <section className="panel" aria-live="polite" data-testid="gpu-probing">
        {restarting ? 'Starting the engine again on a fresh GPU device…' : 'Looking for a WebGPU adapter…'}
      </section>
    );
  }
  if (gpu.kind === 'unavailable') {
    return (
      <section className="panel error" role="alert" data-testid="no-webgpu">
        <strong>WebGPU is not available.</strong> {gpu.reason}
      </section>
    );
  }
  const { adapter } = gpu;
  const softwareReason = softwareAdapterReason(adapter);
  return (
    <section className="panel" data-testid="adapter">
      <strong>GPU:</strong> <span data-testid="adapter-label">{adapterIdentityLabel(adapter)}</span>
      {softwareReason !== undefined && (
        <div className="notice" role="status" data-testid="software-adapter">
          <strong>Numbers from a CPU, not a GPU:</strong> {softwareReason}, so WebGPU runs in software here.
          Compare ratios within a run, never times with another machine. To measure the GPU, check
          chrome://gpu (a blocklisted or missing driver falls back to software).
        </div>
      )}
      <div className="hint" data-testid="adapter-identity">
        {adapterIdentityDetails(adapter).join(' · ')}
      </div>
      <div className="hint">
        shader-f16: {adapter.hasShaderF16 ? 'yes' : 'no'} · timestamp-query:{' '}
        {adapter.hasTimestampQuery ? 'yes' : 'no'} · max buffer {formatBytes(adapter.maxBufferSizeBytes)} ·
        max storage binding {formatBytes(adapter.maxStorageBufferBindingSizeBytes)}
      </div>
      {buffers !== undefined && (
        <div className="hint" data-testid="gpu-buffers" data-live-bytes={buffers.liveBytes}>
          GPU buffers held: {buffers.liveBuffers} ({formatBytes(buffers.liveBytes)}; peak{' '}
          {formatBytes(buffers.peakBytes)})
        </div>
      )}
      {deviceLoss !== undefined && (
        <div className="hint" data-testid="device-loss">
          {deviceLoss} This is a new device.
        </div>
      )}
      <details>
        <summary className="hint">All {adapter.features.length} features</summary>
        <div className="hint">{adapter.features.join(', ')}</div>
      </details>
    </section>
  );
}
