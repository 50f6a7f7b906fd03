import type { Quantization } from '../model/config';
import type { FilesOrigin } from '../source/model-source';
import type { KernelProfileReport } from './kernel-profile';
import type { PlacementReport } from './node-placement';
import type { TrialFieldsOf, TrialRecord } from './trial-fields';

export type { TrialRecord } from './trial-fields';

/**
 * `cold`: the first inference a fresh session ever runs (shader compilation, first uploads).
 * `warmup`: the other untimed runs. `warm`: timed repetitions; statistics use only these.
 */
export type TrialPhase = TrialRecord['phase'];

/** What a trial measured itself: timings, the first token, decode; the sweep runner adds the rest. */
export type TrialMeasurement = TrialFieldsOf<'measurement'>;

/** Loading one quantization variant: building or fetching the model and creating its session. */
export interface VariantLoadRecord {
  readonly runId: string;
  readonly model: string;
  readonly quantization: Quantization;
  readonly modelBytes: number;
  readonly modelSha256: string;
  /** Where the files came from: built in a worker, downloaded, read from Cache Storage, or from disk. */
  readonly filesFrom: FilesOrigin;
  /** Building, downloading or reading the files, until their bytes are in memory. */
  readonly prepareMs: number;
  readonly sessionCreateMs: number;
  /**
   * Graph nodes in one decoder layer (the most common count over the layers; onnxruntime turns each into one
   * or more kernels, before its own fusions). Absent in older records, and where node names do not say their layer.
   */
  readonly nodesPerLayer?: number;
  /** Where onnxruntime placed the nodes (read while checking the variant); absent in older runs. */
  readonly placement?: PlacementReport;
  /** The variant's check (CPU match and placement), before its session was created; absent in older runs. */
  readonly checkMs?: number;
  /** Where each prompt length's GPU time went, kernel by kernel, when the run asked for it; absent otherwise. */
  readonly kernelProfile?: KernelProfileReport;
}

/** What every result carries about where it was measured: shared numbers are meaningless without it. */
export type RunEnvironment = TrialFieldsOf<'environment'>;
