/**
 * Messages between the page and the engine worker. The worker owns the GPUDevice, onnxruntime and the sweep
 * runner; the page owns downloads, caches, folders and the model builder, and answers the worker's requests
 * for a variant's files. Everything here is structured-cloneable; model bytes travel as transferred buffers.
 */
import type { SweepConfig } from '../config/sweep-config';
import type { SweepProgress } from '../bench/progress';
import type { Quantization } from '../model/config';
import type { DevicePeaks } from '../roofline/prefill-flops';
import type { RunEnvironment, TrialRecord, VariantLoadRecord } from '../results/trial';
import type { GpuBufferAccounting } from '../engine/gpu-buffer-accounting';
import type { AdapterSummary } from '../engine/gpu-device';
import type { FetchProgress, ProviderDescription, VariantFiles } from '../source/model-source';
import type { SweepOutcome } from '../engine/types';

/** Page → worker. */
export type EngineRequest =
  /** The first message: the worker creates its device once it has its options. */
  | { readonly kind: 'init'; readonly bufferCeilingBytes: number | undefined }
  | {
      readonly kind: 'start';
      readonly config: SweepConfig;
      readonly environment: RunEnvironment;
      readonly provider: ProviderDescription;
      readonly runId: string;
      readonly resumeFrom: readonly TrialRecord[];
    }
  | { readonly kind: 'cancel' }
  | {
      readonly kind: 'variant-files';
      readonly requestId: number;
      readonly result:
        | { readonly ok: true; readonly files: VariantFiles }
        | { readonly ok: false; readonly message: string };
    }
  | { readonly kind: 'fetch-progress'; readonly requestId: number; readonly progress: FetchProgress }
  | { readonly kind: 'measure-peaks'; readonly requestId: number }
  | { readonly kind: 'gpu-buffers'; readonly requestId: number }
  /** Destroys the device, as a driver reset would: how tests and users check the app survives a loss. */
  | { readonly kind: 'lose-device' };

/** Worker → page. */
export type EngineEvent =
  | { readonly kind: 'gpu-ready'; readonly adapter: AdapterSummary }
  | { readonly kind: 'gpu-unavailable'; readonly reason: string }
  | { readonly kind: 'device-lost'; readonly reason: string; readonly message: string }
  | {
      readonly kind: 'progress';
      readonly progress: SweepProgress;
      readonly buffers: GpuBufferAccounting | undefined;
    }
  | { readonly kind: 'trial'; readonly trial: TrialRecord }
  | { readonly kind: 'load'; readonly load: VariantLoadRecord }
  | {
      readonly kind: 'finished';
      readonly outcome: SweepOutcome;
      readonly buffers: GpuBufferAccounting | undefined;
    }
  | { readonly kind: 'failed'; readonly message: string; readonly buffers: GpuBufferAccounting | undefined }
  | { readonly kind: 'load-variant'; readonly requestId: number; readonly quantization: Quantization }
  | { readonly kind: 'cancel-load'; readonly requestId: number }
  | {
      readonly kind: 'peaks';
      readonly requestId: number;
      readonly result:
        { readonly ok: true; readonly peaks: DevicePeaks } | { readonly ok: false; readonly message: string };
    }
  | {
      readonly kind: 'gpu-buffers';
      readonly requestId: number;
      readonly buffers: GpuBufferAccounting | undefined;
    };

/** The distinct buffers behind a variant's files, to transfer rather than copy (a list may not repeat one). */
export function transferablesOf(files: VariantFiles): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const bytes of [files.files.modelBytes, ...files.files.externalData.map((file) => file.data)]) {
    if (bytes.buffer instanceof ArrayBuffer) buffers.add(bytes.buffer);
  }
  return [...buffers];
}
