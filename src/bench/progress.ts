import { formatBytes } from '../format-bytes';
import type { Quantization } from '../model/config';

/** What the sweep is doing right now; drives the progress bar. */
export type SweepStep =
  | { readonly kind: 'preparing'; readonly detail: string }
  | { readonly kind: 'building'; readonly quantization: Quantization }
  | {
      readonly kind: 'downloading';
      readonly quantization: Quantization;
      readonly loadedBytes: number;
      readonly totalBytes: number;
      readonly bytesPerSecond: number;
    }
  | { readonly kind: 'checking'; readonly quantization: Quantization; readonly cpuMatch: boolean }
  | { readonly kind: 'profiling'; readonly quantization: Quantization }
  | { readonly kind: 'compiling'; readonly quantization: Quantization }
  | { readonly kind: 'context'; readonly quantization: Quantization; readonly depthTokens: number }
  | {
      readonly kind: 'warmup';
      readonly quantization: Quantization;
      readonly promptTokens: number;
      readonly depthTokens: number;
      readonly run: number;
      readonly of: number;
    }
  | {
      readonly kind: 'measuring';
      readonly quantization: Quantization;
      readonly promptTokens: number;
      readonly depthTokens: number;
      readonly repetition: number;
      readonly of: number;
    };

export interface SweepProgress {
  readonly step: SweepStep;
  /** Trials finished so far, and in the whole plan. */
  readonly completedTrials: number;
  readonly totalTrials: number;
}

/** The lifecycle of one sweep, as the page shows it. */
export type SweepStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly progress: SweepProgress }
  | { readonly kind: 'done' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly message: string };

export function describeStep(step: SweepStep): string {
  switch (step.kind) {
    case 'preparing':
      return step.detail;
    case 'building':
      return `Building ${step.quantization} model`;
    case 'downloading':
      return `Fetching ${step.quantization} model: ${formatBytes(step.loadedBytes)} of ${formatBytes(step.totalBytes)} at ${formatBytes(step.bytesPerSecond)}/s`;
    case 'checking':
      return step.cpuMatch
        ? `Checking ${step.quantization} against the CPU (wasm) and reading its node placement`
        : `Reading the ${step.quantization} model's node placement`;
    case 'profiling':
      return `Profiling the ${step.quantization} model's GPU kernels (a session of its own, untimed)`;
    case 'compiling':
      return `Creating ${step.quantization} session (shader compilation, weight upload)`;
    case 'context':
      return `${step.quantization}: prefilling ${step.depthTokens} tokens of context (untimed)`;
    case 'warmup':
      return `${step.quantization}: warm-up ${step.run} of ${step.of} at ${step.promptTokens} tokens${atDepth(step.depthTokens)}`;
    case 'measuring':
      return `${step.quantization}: length ${step.promptTokens}${atDepth(step.depthTokens)}, rep ${step.repetition} of ${step.of}`;
  }
}

function atDepth(depthTokens: number): string {
  return depthTokens > 0 ? ` @ depth ${depthTokens}` : '';
}
