/** What a sweep measures: the configuration the form, share links, autorun and the bench CLI all produce. */
import { DEFAULT_ACCURACY_LEVEL, type AccuracyLevel } from '../model/accuracy-level';
import type { GraphForm, QkvProjection } from '../model/graph-form';
import type { Quantization } from '../model/quantization';
import type { ModelRef } from './model-ref';

export const SWEEP_ORDERS = ['interleaved', 'sequential'] as const;
export type SweepOrder = (typeof SWEEP_ORDERS)[number];

/**
 * How a trial waits for the GPU before stopping the clock.
 * `barrier`: `device.queue.onSubmittedWorkDone()`, then read the last logits row (the honest default).
 * `readback`: no barrier; awaiting the logits copy waits for the work queued before it.
 * `none`: the clock stops when `session.run` returns, as naive timing does; it shows what a barrier prevents.
 */
export const SYNC_MODES = ['barrier', 'readback', 'none'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

/**
 * How decode steps (after the first token) follow each other.
 * `synced`: each step is closed like a trial (barrier, the logits row read back, argmax on the CPU); its time is
 * one token's latency.
 * `pipelined`: the argmax runs on the GPU and feeds the next step there (src/engine/pipelined-decode.ts), so
 * onnxruntime records a step while the GPU still runs the one before, as a generation loop that samples on
 * the GPU does; one barrier and readback after the last step, and tokens/s is the loop's throughput.
 */
export const DECODE_LOOPS = ['synced', 'pipelined'] as const;
export type DecodeLoop = (typeof DECODE_LOOPS)[number];

/**
 * Where the first token's greedy pick runs. `cpu`: the last position's logits row is read back and its argmax taken
 * on the CPU (what every run measured before the option). `gpu`: a WGSL argmax (src/engine/gpu-argmax.ts) runs on
 * onnxruntime's device after the prefill and only the 8-byte token id is read back, as an app that samples on the
 * GPU would; the row never leaves the GPU.
 */
export const FIRST_TOKEN_ARGMAXES = ['cpu', 'gpu'] as const;
export type FirstTokenArgmax = (typeof FIRST_TOKEN_ARGMAXES)[number];

/**
 * When a `barrier` trial asks for its first token's bytes (the logits row, or the token id). `after-barrier`: once
 * `onSubmittedWorkDone()` has resolved, a second round trip to the GPU process (what every run measured before
 * the option). `with-barrier`: the copy is submitted and mapped as soon as `session.run` returns and the barrier is
 * awaited beside it, so both come back in one round trip, as `logits.argmax().item()` syncs once natively. The
 * barrier still closes every trial; `readback` and `none` trials have no barrier and ignore this.
 */
export const TOKEN_READBACKS = ['after-barrier', 'with-barrier'] as const;
export type TokenReadback = (typeof TOKEN_READBACKS)[number];

/** What the user asked to measure. Everything else (order, counts) is derived by the plan. */
export interface SweepConfig {
  readonly model: ModelRef;
  readonly quantizations: readonly Quantization[];
  /** Prompt lengths in tokens; ignored when `customPrompt` is set. */
  readonly promptLengths: readonly number[];
  /** When set, measure this text instead of generated prompts; its token count is the length. */
  readonly customPrompt?: string;
  /** Untimed runs before the timed ones, per prompt length; the very first per variant is the cold TTFT. */
  readonly warmupRuns: number;
  readonly repetitions: number;
  /** `interleaved`: all levels loaded, round-robin per repetition; `sequential`: one level at a time. */
  readonly order: SweepOrder;
  /** Timed repetitions run once per mode, interleaved, so the modes see the same conditions. */
  readonly syncModes: readonly SyncMode[];
  /** Greedy tokens to decode after the first one (KV cache on the GPU), 0 for TTFT only. Default when on: 32. */
  readonly decodeTokens: number;
  /** How decode steps follow each other (see DecodeLoop). */
  readonly decodeLoop: DecodeLoop;
  /** Where the first token's argmax runs (see FirstTokenArgmax). */
  readonly firstTokenArgmax: FirstTokenArgmax;
  /** When a barrier trial reads its first token back (see TokenReadback). */
  readonly tokenReadback: TokenReadback;
  /** Seed for the built-in model's weights (recorded, unused, for hub and local models). */
  readonly weightSeed: number;
  /**
   * Compute the LM head for the last position only (`last`, what generation needs) or for every position
   * (`all`, as most exported graphs do). Built-in graphs are built so; downloaded ones are rewritten
   * (src/hub/repository-source.ts), and one the rewrite cannot prove safe stops the run with the reason.
   */
  readonly lmHead: LmHead;
  /** How onnxruntime-web runs (see RuntimeOptions). */
  readonly runtime: RuntimeOptions;
  /**
   * Context depths in tokens: for each, that many tokens are prefilled untimed and kept in the KV cache on the
   * GPU, and every prompt length is measured on top of them (llama-bench's `-d`). 0 is a fresh prompt.
   */
  readonly depths: readonly number[];
  /**
   * Check each variant against onnxruntime-web's wasm (CPU) backend before its trials: the same files, one
   * fixed prompt and 8 greedy tokens. Costs a CPU session and a second WebGPU session per variant.
   */
  readonly cpuMatch: boolean;
  /**
   * How the built-in builder writes the graph: `fused` (onnxruntime's contrib ops, as WebGPU exports are) or
   * `plain` (standard ONNX ops). Hub and folder models run the graph their file holds; every trial records it.
   */
  readonly graph: GraphForm;
  /**
   * How the built-in builder writes the fused graph's q/k/v projections: `packed` (one projection for float and
   * int8 weights, as onnxruntime-genai's WebGPU exports are) or `separate`; 4-bit weights and the plain graph keep three either way
   * (src/model/graph-form.ts QkvProjection). Hub and folder models run what their file holds; every trial records
   * what the graph measured held.
   */
  readonly qkv: QkvProjection;
  /**
   * onnxruntime's MatMulNBits `accuracy_level` the built-in builder writes on every 4-bit linear: 0 (its default)
   * or 4 (activations quantized to int8 per block; onnxruntime takes its DP4A kernels where the GPU has
   * subgroups; see src/model/accuracy-level.ts). Hub and folder models run what their file holds; every trial
   * records the level read from the graph measured.
   */
  readonly accuracyLevel: AccuracyLevel;
  /**
   * Graph capture (built-in models, fused form): onnxruntime records each prompt length's GPU commands on its
   * first run and replays them after, with a static KV cache (src/engine/captured-decoder.ts). Off by default:
   * it needs a session per prompt length, and a replay is what an app that captures its shapes would measure.
   */
  readonly graphCapture: boolean;
  /**
   * Profile each variant's kernels at each prompt length before its trials (src/engine/kernel-profile-run.ts):
   * onnxruntime's own per-dispatch GPU timestamps, in a session of its own on a device of its own. Off by
   * default: it costs a session and six runs per prompt length, and needs `timestamp-query`.
   */
  readonly kernelProfile: boolean;
}

/**
 * How onnxruntime-web runs, for every session of a run (these settings belong to the WebGPU context of a device,
 * so one run uses one set). `ortBuild`: the same WebGPU EP compiled with Asyncify (`asyncify`, onnxruntime-web's
 * `/webgpu` entry) or with JS Promise Integration (`jspi`: smaller wasm, no Asyncify instrumentation).
 * `validationMode`: `basic` (onnxruntime's default) checks each kernel's buffers and waits at the end of every
 * run for a GPU-process error scope; `wgpuOnly` leaves validation to WebGPU, whose errors this app catches anyway.
 * `bufferCache`: onnxruntime's storage-buffer cache, `bucket` (default; buffers over its largest bucket, 160 MiB,
 * are created and destroyed every run) or `simple` (every size kept until the session ends).
 */
export const ORT_BUILDS = ['asyncify', 'jspi'] as const;
export type OrtBuild = (typeof ORT_BUILDS)[number];
export const VALIDATION_MODES = ['basic', 'wgpuOnly'] as const;
export type ValidationMode = (typeof VALIDATION_MODES)[number];
export const BUFFER_CACHE_MODES = ['bucket', 'simple'] as const;
export type BufferCacheMode = (typeof BUFFER_CACHE_MODES)[number];

export interface RuntimeOptions {
  readonly ortBuild: OrtBuild;
  readonly validationMode: ValidationMode;
  readonly bufferCache: BufferCacheMode;
}

/** onnxruntime-web's own defaults: what every run measured before these options existed. */
export const ORT_DEFAULT_RUNTIME: RuntimeOptions = {
  ortBuild: 'asyncify',
  validationMode: 'basic',
  bufferCache: 'bucket',
};

export const LM_HEADS = ['last', 'all'] as const;
export type LmHead = (typeof LM_HEADS)[number];

/** How many tokens to decode when the user turns decode on. */
export const DEFAULT_DECODE_TOKENS = 32;

/**
 * The graph form the app builds unless told otherwise: fused, like the exports people deploy on WebGPU, with no
 * [heads, T, T] score tensor (src/bench/buffer-cliff.ts). Configurations from before the option measured `plain`.
 */
export const DEFAULT_GRAPH_FORM: GraphForm = 'fused';
export const GRAPH_FORM_BEFORE_OPTION: GraphForm = 'plain';

/** One projection instead of three: fewer kernels for the same function (docs/benchmarks.md). */
export const DEFAULT_QKV_PROJECTION: QkvProjection = 'packed';
/** What the builder wrote before the option. */
export const QKV_PROJECTION_BEFORE_OPTION: QkvProjection = 'separate';

/** One round trip instead of two for the same barrier (docs/benchmarks.md: about 1 ms on the H200). */
export const DEFAULT_TOKEN_READBACK: TokenReadback = 'with-barrier';
/** What every trial measured before the option. */
export const TOKEN_READBACK_BEFORE_OPTION: TokenReadback = 'after-barrier';

export const DEFAULT_PROMPT_LENGTHS = [16, 64, 128, 256, 512, 1024] as const;

export const DEFAULT_SWEEP_CONFIG: SweepConfig = {
  model: { kind: 'builtin', preset: 'tiny' },
  quantizations: ['fp32', 'q4'],
  promptLengths: DEFAULT_PROMPT_LENGTHS,
  warmupRuns: 2,
  repetitions: 5,
  order: 'interleaved',
  syncModes: ['barrier'],
  decodeTokens: 0,
  decodeLoop: 'synced',
  firstTokenArgmax: 'cpu',
  tokenReadback: DEFAULT_TOKEN_READBACK,
  weightSeed: 1,
  // Like exported models; `last` is faster for fp32 here but not for q4 at short prompts (docs/benchmarks.md).
  lmHead: 'all',
  runtime: ORT_DEFAULT_RUNTIME,
  depths: [0],
  cpuMatch: true,
  graph: DEFAULT_GRAPH_FORM,
  qkv: DEFAULT_QKV_PROJECTION,
  accuracyLevel: DEFAULT_ACCURACY_LEVEL,
  graphCapture: false,
  kernelProfile: false,
};
