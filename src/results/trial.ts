import type { LmHead, SyncMode } from '../config/sweep-config';
import type { ModelSourceKind } from '../config/model-ref';
import type { Quantization } from '../model/config';

/**
 * `cold`: the first inference a fresh session ever runs (shader compilation, first uploads).
 * `warmup`: the other untimed runs. `warm`: timed repetitions; statistics use only these.
 */
export type TrialPhase = 'cold' | 'warmup' | 'warm';

/** One prompt through tokenize..first token. Durations are milliseconds from `performance.now()`. */
export interface TrialRecord {
  readonly runId: string;
  /** Position of this trial in the run, from 0. */
  readonly trialIndex: number;
  /** The preset id, the hub repository id, or the local folder's name. */
  readonly model: string;
  readonly modelSource: ModelSourceKind;
  /** The hub commit the files were read at; '' for built-in and local models. */
  readonly modelRevision: string;
  readonly quantization: Quantization;
  readonly promptTokens: number;
  readonly promptSource: 'generated' | 'custom';
  readonly phase: TrialPhase;
  /** 1-based index among the trials of the same phase, variant, length and sync mode. */
  readonly repetition: number;
  /** How the clock waited for the GPU; see SyncMode. */
  readonly syncMode: SyncMode;
  readonly ttftMs: number;
  readonly tokenizeMs: number;
  /** Building the input tensors (ids, mask, positions, empty past) on the CPU. */
  readonly uploadMs: number;
  /** From the `session.run` call until it returns. */
  readonly prefillMs: number;
  /** `device.queue.onSubmittedWorkDone()` after `session.run` returned. */
  readonly gpuWaitMs: number;
  /**
   * GPU timestamps around `session.run` (timestamp-query): an upper bound of the prefill's GPU busy time.
   * Undefined where the adapter has no timestamp-query.
   */
  readonly gpuSpanMs: number | undefined;
  /** Copying the last position's logits to the CPU. */
  readonly readbackMs: number;
  /** Greedy argmax over the vocabulary. */
  readonly samplingMs: number;
  readonly firstTokenId: number;
  /** Tokens decoded after the first (0 when decode is off), and their per-token wall-clock statistics. */
  readonly decodeTokens: number;
  readonly decodeMsPerTokenMedian: number;
  readonly decodeMsPerTokenP90: number;
  readonly decodeTokensPerSecond: number;
  /** The greedy tokens after the first, space-separated. */
  readonly decodedTokenIds: string;
  /** Seed of the built-in model's weights (meaningless for hub and local models). */
  readonly weightSeed: number;
  /** Whether the measured graph computed the LM head for every prompt position or only the last. */
  readonly lmHead: LmHead;
  /** SHA-256 (hex) of the model.onnx bytes that were measured. */
  readonly modelSha256: string;
  readonly adapter: string;
  /** Adapter features, sorted, space-separated. */
  readonly adapterFeatures: string;
  readonly maxBufferSizeBytes: number;
  readonly maxStorageBufferBindingSizeBytes: number;
  readonly browser: string;
  /** Operating system from User-Agent Client Hints where the browser gives them, else navigator.platform. */
  readonly os: string;
  readonly onnxruntimeWebVersion: string;
  readonly appVersion: string;
  /** ISO 8601 wall-clock time the trial started. */
  readonly startedAt: string;
}

/** Loading one quantization variant: building or fetching the model and creating its session. */
export interface VariantLoadRecord {
  readonly runId: string;
  readonly model: string;
  readonly quantization: Quantization;
  readonly modelBytes: number;
  readonly modelSha256: string;
  /** Where the files came from: built in a worker, downloaded, read from Cache Storage, or from disk. */
  readonly filesFrom: 'built' | 'network' | 'cache' | 'disk';
  /** Building, downloading or reading the files, until their bytes are in memory. */
  readonly prepareMs: number;
  readonly sessionCreateMs: number;
}

/** What every result carries about where it was measured: shared numbers are meaningless without it. */
export interface RunEnvironment {
  readonly adapter: string;
  readonly adapterFeatures: string;
  readonly maxBufferSizeBytes: number;
  readonly maxStorageBufferBindingSizeBytes: number;
  readonly browser: string;
  readonly os: string;
  readonly onnxruntimeWebVersion: string;
  readonly appVersion: string;
}
