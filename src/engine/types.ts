/** Types the engine's modules share (the sweep runner, the load and trial steps, the worker that hosts them). */
import type { SweepProgress } from '../bench/progress';
import type { SweepConfig } from '../config/sweep-config';
import type { RunEnvironment, TrialRecord, VariantLoadRecord } from '../results/trial';
import type { DecoderIo } from '../source/decoder-io';
import type { ModelSource } from '../source/model-source';
import type { TextTokenizer } from '../tokenizer/tokenizer';

/** A source ready to measure (see providerFromSource): its tokenizer built, each session checked against its config. */
export interface ModelProvider extends ModelSource {
  readonly tokenizer: TextTokenizer;
  /** Throws a message naming the mismatch when the graph disagrees with the model's config. */
  checkDecoderIo(io: DecoderIo): void;
}

export interface SweepCallbacks {
  onProgress(progress: SweepProgress): void;
  onTrial(trial: TrialRecord): void;
  onLoad(load: VariantLoadRecord): void;
}

export type SweepOutcome = 'done' | 'cancelled';

/** A run to measure: what (config, model), where (device, environment), and whom to tell. */
export interface SweepRequest {
  readonly config: SweepConfig;
  /** The app's device, which onnxruntime runs on and the barrier waits on. */
  readonly device: GPUDevice;
  /** Copied into every trial record. */
  readonly environment: RunEnvironment;
  readonly provider: ModelProvider;
  readonly callbacks: SweepCallbacks;
  readonly signal: AbortSignal;
  /** The run's id; resumed runs keep theirs. A new one is made when absent. */
  readonly runId?: string;
  /** Trials this run already recorded (an interrupted run): their timed repetitions are not measured again. */
  readonly resumeFrom?: readonly TrialRecord[];
}
