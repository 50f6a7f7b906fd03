/**
 * The trial record's one source of truth: every field's CSV column, unit, meaning, the record version that
 * added it and the value older records (without its column) have, and how its cell is written and read.
 * The TrialRecord type, the CSV header, writer, reader and schema, the JSON rows and the saved history are all
 * derived from this table, as llama-bench's one `test` record drives every printer. A new measured field is
 * one entry here, the code that measures it, and a test.
 */
import { z } from 'zod';
import {
  BUFFER_CACHE_MODES,
  DECODE_LOOPS,
  FIRST_TOKEN_ARGMAXES,
  LM_HEADS,
  ORT_BUILDS,
  SYNC_MODES,
  TOKEN_READBACK_BEFORE_OPTION,
  TOKEN_READBACKS,
  VALIDATION_MODES,
} from '../config/sweep-config';
import { QUANTIZATIONS } from '../model/config';
import { GRAPH_FORMS, QKV_PROJECTIONS } from '../model/graph-form';
import { MAX_ACCURACY_LEVEL } from '../model/accuracy-level';
import { neutralizeFormula } from './spreadsheet';

/**
 * The record version this app writes. 1: the first release; 2: `lm_head`; 3: onnxruntime's settings, the GPU
 * work of each prefill, the adapter's identity, `overlapped` and the graph form; 4: `depth_tokens` and the
 * `cpu_match_*` columns; 5: `accuracy_level`; 6: `graph_capture`; 7: `decode_loop`; 8: `qkv` and
 * `first_token_argmax`; 9: `token_readback`. Files and saved runs of an older version load with each newer
 * field's `olderDefault`.
 */
export const TRIAL_RECORD_VERSION = 9;

/**
 * Who fills a field: the run (same for every trial), the plan (which trial this is), the loaded variant, the
 * trial's own measurement, or the environment (adapter, browser, versions; same for every trial of a run).
 */
export type FieldGroup = 'run' | 'trial' | 'variant' | 'measurement' | 'environment';

export type FieldUnit =
  'ms' | 'tokens' | 'tokens/s' | 'bytes' | 'count' | 'percent' | 'logit' | 'text' | 'id' | 'flag';

/** A CSV cell (JSON rows carry the same values, numbers as numbers). */
export type Cell = string | number;

/** How one field's value becomes a cell and is read back (from a CSV string or a JSON value). */
export interface CellCodec<T> {
  readonly schema: z.ZodType<T>;
  write(value: T): Cell;
}

export interface TrialField<T, G extends FieldGroup = FieldGroup> {
  readonly column: string;
  readonly group: G;
  readonly unit: FieldUnit;
  readonly description: string;
  /** The record version that added this field (see TRIAL_RECORD_VERSION). */
  readonly since: number;
  /**
   * What records from before `since` mean by the field's absence; required when `since` > 1. Not used to infer
   * T, so a choice field keeps its union type instead of widening to string.
   */
  readonly olderDefault?: NoInfer<T>;
  readonly codec: CellCodec<T>;
}

function field<T, G extends FieldGroup>(spec: TrialField<T, G>): TrialField<T, G> {
  return spec;
}

/** Free text from the run or the machine: neutralized so a spreadsheet never runs it as a formula. */
function text(limits: { readonly min?: number; readonly max?: number } = {}): CellCodec<string> {
  let schema = z.string();
  if (limits.min !== undefined) schema = schema.min(limits.min);
  if (limits.max !== undefined) schema = schema.max(limits.max);
  return { schema, write: neutralizeFormula };
}

/** Text this app writes itself in a known shape (no formula can start it). */
function plainText(schema: z.ZodType<string> = z.string()): CellCodec<string> {
  return { schema, write: (value) => value };
}

function choice<const V extends readonly [string, ...string[]]>(values: V): CellCodec<V[number]> {
  return { schema: z.enum(values), write: (value) => value };
}

function count(min = 0): CellCodec<number> {
  return { schema: z.coerce.number().int().min(min), write: (value) => value };
}

/** `true` or `false` in a cell; JSON rows may carry the boolean itself. */
const flag: CellCodec<boolean> = {
  schema: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]),
  write: (value) => (value ? 'true' : 'false'),
};

/**
 * Durations are written to the microsecond: performance.now() is 5 µs-grained at best (100 µs without
 * cross-origin isolation), so more digits are float noise (`9802.01000000001`).
 */
export function roundToMicroseconds(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Rates to two decimals: well inside their run-to-run spread. */
export function roundToHundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

const milliseconds: CellCodec<number> = {
  schema: z.coerce.number().finite().nonnegative(),
  write: roundToMicroseconds,
};

const rate: CellCodec<number> = {
  schema: z.coerce.number().finite().nonnegative(),
  write: roundToHundredths,
};

/** Empty where the count was not taken (records from before it existed). */
const optionalCount: CellCodec<number | undefined> = {
  schema: z.union([z.literal('').transform(() => undefined), z.coerce.number().int().nonnegative()]),
  write: (value) => value ?? '',
};

/** Empty where the browser does not say (or the record predates the field). */
const optionalBoolean: CellCodec<boolean | undefined> = {
  schema: z.union([
    z.literal('').transform(() => undefined),
    z.enum(['true', 'false']).transform((text) => text === 'true'),
    z.boolean(),
  ]),
  write: (value) => (value === undefined ? '' : String(value)),
};

/** Empty where the browser does not say. */
const optionalText: CellCodec<string | undefined> = {
  schema: z.union([z.literal('').transform(() => undefined), z.string().max(2000)]),
  write: (value) => (value === undefined ? '' : neutralizeFormula(value)),
};

/** Empty where the measurement does not exist on this adapter. */
const optionalMilliseconds: CellCodec<number | undefined> = {
  schema: z.union([z.literal('').transform(() => undefined), z.coerce.number().finite().nonnegative()]),
  write: (value) => (value === undefined ? '' : roundToMicroseconds(value)),
};

/** MatMulNBits' accuracy_level (0-4, as onnxruntime accepts it); empty where the graph has no MatMulNBits. */
const optionalAccuracyLevel: CellCodec<number | undefined> = {
  schema: z.union([
    z.literal('').transform(() => undefined),
    z.coerce.number().int().min(0).max(MAX_ACCURACY_LEVEL),
  ]),
  write: (value) => value ?? '',
};

/** `null` where nothing was measured (an empty cell). */
function orNothing<T>(codec: CellCodec<T>): CellCodec<T | null> {
  return {
    schema: z.union([z.literal('').transform(() => null), z.null(), codec.schema]),
    write: (value) => (value === null ? '' : codec.write(value)),
  };
}

const percent: CellCodec<number> = {
  schema: z.coerce.number().finite().min(0).max(100),
  write: (value) => value,
};

/** A non-negative number that may be infinite, written `Infinity` (JSON has no infinity). */
const nonNegativeOrInfinite: CellCodec<number> = {
  schema: z.union([
    z.literal('Infinity').transform(() => Number.POSITIVE_INFINITY),
    z.coerce.number().finite().nonnegative(),
  ]),
  write: (value) => (Number.isFinite(value) ? value : 'Infinity'),
};

export const TRIAL_FIELDS = {
  runId: field({
    column: 'run_id',
    group: 'run',
    unit: 'id',
    description: 'the run this trial belongs to',
    since: 1,
    codec: text({ min: 1 }),
  }),
  trialIndex: field({
    column: 'trial_index',
    group: 'trial',
    unit: 'count',
    description: "the trial's position in its run, from 0: the order trials ran",
    since: 1,
    codec: count(),
  }),
  model: field({
    column: 'model',
    group: 'run',
    unit: 'text',
    description: 'preset, hub id or folder name',
    since: 1,
    codec: text({ min: 1, max: 300 }),
  }),
  modelSource: field({
    column: 'model_source',
    group: 'run',
    unit: 'text',
    description: '`builtin`, `hub` or `local`',
    since: 1,
    codec: choice(['builtin', 'hub', 'local']),
  }),
  modelRevision: field({
    column: 'model_revision',
    group: 'run',
    unit: 'id',
    description: 'the hub commit the files were read at (empty for built-in and local)',
    since: 1,
    codec: text({ max: 200 }),
  }),
  quantization: field({
    column: 'quantization',
    group: 'trial',
    unit: 'text',
    description: 'the variant, named by its file suffix',
    since: 1,
    codec: choice(QUANTIZATIONS),
  }),
  promptTokens: field({
    column: 'prompt_tokens',
    group: 'measurement',
    unit: 'tokens',
    description: 'tokens fed to the model (special tokens included)',
    since: 1,
    codec: count(1),
  }),
  depthTokens: field({
    column: 'depth_tokens',
    group: 'trial',
    unit: 'tokens',
    description:
      'tokens already in the KV cache when the prompt ran (prefilled untimed, kept on the GPU); 0 for a fresh prompt',
    since: 4,
    // Records from before this column measured fresh prompts.
    olderDefault: 0,
    codec: count(),
  }),
  promptSource: field({
    column: 'prompt_source',
    group: 'run',
    unit: 'text',
    description: '`generated` (exact-length text) or `custom` (your prompt)',
    since: 1,
    codec: choice(['generated', 'custom']),
  }),
  phase: field({
    column: 'phase',
    group: 'trial',
    unit: 'text',
    description: "`cold` (a session's first inference), `warmup`, or `warm` (timed)",
    since: 1,
    codec: choice(['cold', 'warmup', 'warm']),
  }),
  repetition: field({
    column: 'repetition',
    group: 'trial',
    unit: 'count',
    description: '1-based index among the trials of the same phase, variant, length and sync mode',
    since: 1,
    codec: count(1),
  }),
  syncMode: field({
    column: 'sync_mode',
    group: 'trial',
    unit: 'text',
    description: 'how the clock waited for the GPU: `barrier`, `readback` or `none`',
    since: 1,
    codec: choice(SYNC_MODES),
  }),
  ttftMs: field({
    column: 'ttft_ms',
    group: 'measurement',
    unit: 'ms',
    description: 'start of tokenization to greedy token known on the CPU',
    since: 1,
    codec: milliseconds,
  }),
  tokenizeMs: field({
    column: 'tokenize_ms',
    group: 'measurement',
    unit: 'ms',
    description: 'tokenizer.encode',
    since: 1,
    codec: milliseconds,
  }),
  uploadMs: field({
    column: 'upload_ms',
    group: 'measurement',
    unit: 'ms',
    description: 'building input tensors (ids, mask, positions, empty KV cache) on the CPU',
    since: 1,
    codec: milliseconds,
  }),
  prefillMs: field({
    column: 'prefill_ms',
    group: 'measurement',
    unit: 'ms',
    description: '`session.run` call until it returns',
    since: 1,
    codec: milliseconds,
  }),
  gpuWaitMs: field({
    column: 'gpu_wait_ms',
    group: 'measurement',
    unit: 'ms',
    description: '`device.queue.onSubmittedWorkDone()` after that',
    since: 1,
    codec: milliseconds,
  }),
  gpuSpanMs: field({
    column: 'gpu_span_ms',
    group: 'measurement',
    unit: 'ms',
    description:
      'GPU timestamps around `session.run`: an upper bound of the prefill GPU time (empty without timestamp-query)',
    since: 1,
    codec: optionalMilliseconds,
  }),
  readbackMs: field({
    column: 'readback_ms',
    group: 'measurement',
    unit: 'ms',
    description:
      "copying the last position's logits row to the CPU (`first_token_argmax` cpu), or the 8-byte token id (gpu); with `token_readback` with-barrier, what is left of it once the barrier has resolved (plus, for cpu, issuing the copy)",
    since: 1,
    codec: milliseconds,
  }),
  samplingMs: field({
    column: 'sampling_ms',
    group: 'measurement',
    unit: 'ms',
    description:
      'argmax over the vocabulary on the CPU (`first_token_argmax` cpu), or recording and submitting the GPU argmax (gpu; its GPU time is in gpu_wait_ms)',
    since: 1,
    codec: milliseconds,
  }),
  firstTokenArgmax: field({
    column: 'first_token_argmax',
    group: 'run',
    unit: 'text',
    description:
      "where the first token's greedy pick ran: `cpu` (the logits row read back, argmax on the CPU) or `gpu` (a WGSL argmax on onnxruntime's device, only the token id read back)",
    since: 8,
    // Records from before this column read the row back and picked on the CPU.
    olderDefault: 'cpu',
    codec: choice(FIRST_TOKEN_ARGMAXES),
  }),
  tokenReadback: field({
    column: 'token_readback',
    group: 'run',
    unit: 'text',
    description:
      "when a barrier trial asked for the first token's bytes: `after-barrier` (once the barrier had resolved: two round trips) or `with-barrier` (copy and mapping requested as the run returned, awaited beside the barrier: one)",
    since: 9,
    // Records from before this column read the token back after the barrier.
    olderDefault: TOKEN_READBACK_BEFORE_OPTION,
    codec: choice(TOKEN_READBACKS),
  }),
  dispatches: field({
    column: 'dispatches',
    group: 'measurement',
    unit: 'count',
    description:
      'compute dispatches (GPU kernels) `session.run` issued for the prefill: its fixed cost on a fast GPU',
    since: 3,
    olderDefault: undefined,
    codec: optionalCount,
  }),
  submits: field({
    column: 'submits',
    group: 'measurement',
    unit: 'count',
    description: 'queue submissions `session.run` made for the prefill',
    since: 3,
    olderDefault: undefined,
    codec: optionalCount,
  }),
  gpuBuffersCreated: field({
    column: 'gpu_buffers_created',
    group: 'measurement',
    unit: 'count',
    description:
      "GPU buffers `session.run` created (0 once onnxruntime's cache is warm; tensors over its largest bucket are created every run)",
    since: 3,
    olderDefault: undefined,
    codec: optionalCount,
  }),
  firstTokenId: field({
    column: 'first_token_id',
    group: 'measurement',
    unit: 'id',
    description: 'the greedy first token',
    since: 1,
    codec: count(),
  }),
  decodeTokens: field({
    column: 'decode_tokens',
    group: 'measurement',
    unit: 'tokens',
    description: 'tokens decoded after the first (0 when decode is off)',
    since: 1,
    codec: count(),
  }),
  decodeLoop: field({
    column: 'decode_loop',
    group: 'run',
    unit: 'text',
    description:
      "`synced`: each decode step closed by the barrier, its logits row read back and its argmax taken on the CPU (a step is one token's latency); `pipelined`: the argmax on the GPU feeds the next step there, one readback after the last (steps overlap; tokens/s is the throughput, every step the mean)",
    since: 7,
    // Records from before this column closed every decode step on the CPU.
    olderDefault: 'synced',
    codec: choice(DECODE_LOOPS),
  }),
  decodeMsPerTokenMedian: field({
    column: 'decode_ms_per_token_median',
    group: 'measurement',
    unit: 'ms',
    description: "median wall-clock time of this trial's decode steps",
    since: 1,
    codec: milliseconds,
  }),
  decodeMsPerTokenP90: field({
    column: 'decode_ms_per_token_p90',
    group: 'measurement',
    unit: 'ms',
    description: "90th percentile of this trial's decode steps",
    since: 1,
    codec: milliseconds,
  }),
  decodeTokensPerSecond: field({
    column: 'decode_tokens_per_s',
    group: 'measurement',
    unit: 'tokens/s',
    description: 'decode speed of this trial (1000 / mean step ms)',
    since: 1,
    codec: rate,
  }),
  decodedTokenIds: field({
    column: 'decoded_token_ids',
    group: 'measurement',
    unit: 'id',
    description: 'the decoded tokens, space-separated',
    since: 1,
    codec: plainText(z.string().regex(/^(\d+( \d+)*)?$/)),
  }),
  weightSeed: field({
    column: 'weight_seed',
    group: 'run',
    unit: 'id',
    description: 'seed of the built-in weights',
    since: 1,
    codec: count(),
  }),
  lmHead: field({
    column: 'lm_head',
    group: 'variant',
    unit: 'text',
    description: '`last` or `all`: logits for the last prompt position only, or for every one',
    since: 2,
    // Records from before this column measured every position.
    olderDefault: 'all',
    codec: choice(LM_HEADS),
  }),
  graph: field({
    column: 'graph',
    group: 'variant',
    unit: 'text',
    description:
      "`fused` (onnxruntime's attention op, e.g. GroupQueryAttention: no [heads, T, T] tensor) or `plain` (attention as MatMul, Softmax, MatMul), read from the op types of the graph measured",
    since: 3,
    // Records from before this column measured the built-in plain graph (or a hub file not inspected).
    olderDefault: 'plain',
    codec: choice(GRAPH_FORMS),
  }),
  qkv: field({
    column: 'qkv',
    group: 'variant',
    unit: 'text',
    description:
      '`packed` (one projection whose output GroupQueryAttention splits into q, k and v) or `separate` (three projections; every plain graph), read from the graph measured',
    since: 8,
    // Records from before this column: the built-in builder wrote three projections; hub files were not read.
    olderDefault: 'separate',
    codec: choice(QKV_PROJECTIONS),
  }),
  accuracyLevel: field({
    column: 'accuracy_level',
    group: 'variant',
    unit: 'id',
    description:
      'the largest MatMulNBits `accuracy_level` in the graph measured (4: onnxruntime may quantize activations to int8, its DP4A kernels on a GPU with subgroups; 0: float activations), read from the file; empty where the graph has no MatMulNBits',
    since: 5,
    // Records from before this column: the built-in builder wrote no attribute (0); hub files were not read.
    olderDefault: 0,
    codec: optionalAccuracyLevel,
  }),
  graphCapture: field({
    column: 'graph_capture',
    group: 'variant',
    unit: 'flag',
    description:
      "whether onnxruntime replayed captured GPU commands (`true`: a session per prompt length with a static KV cache, its first run recorded; `false`: every run goes through onnxruntime's kernels)",
    since: 6,
    olderDefault: false,
    codec: flag,
  }),
  ortBuild: field({
    column: 'ort_build',
    group: 'run',
    unit: 'text',
    description: "onnxruntime-web's WebGPU build: `asyncify` or `jspi`",
    since: 3,
    olderDefault: 'asyncify',
    codec: choice(ORT_BUILDS),
  }),
  ortValidationMode: field({
    column: 'ort_validation_mode',
    group: 'run',
    unit: 'text',
    description: "onnxruntime's WebGPU validation: `basic` (its default) or `wgpuOnly`",
    since: 3,
    olderDefault: 'basic',
    codec: choice(VALIDATION_MODES),
  }),
  ortBufferCache: field({
    column: 'ort_buffer_cache',
    group: 'run',
    unit: 'text',
    description: "onnxruntime's storage-buffer cache: `bucket` (its default) or `simple`",
    since: 3,
    olderDefault: 'bucket',
    codec: choice(BUFFER_CACHE_MODES),
  }),
  modelSha256: field({
    column: 'model_sha256',
    group: 'variant',
    unit: 'id',
    description: 'SHA-256 of the `model.onnx` bytes measured',
    since: 1,
    codec: text(),
  }),
  cpuMatch: field({
    column: 'cpu_match',
    group: 'variant',
    unit: 'text',
    description:
      "the variant's check against onnxruntime-web's wasm (CPU) backend: `measured`, `off`, or `not measured: <reason>`",
    since: 4,
    olderDefault: 'not measured: recorded before this check existed',
    // bench/cpu-match.ts clips its reasons to this.
    codec: text({ min: 1, max: 600 }),
  }),
  cpuMatchFirstToken: field({
    column: 'cpu_match_first_token',
    group: 'variant',
    unit: 'text',
    description:
      "`same` or `different`: WebGPU's greedy first token for the check's prompt against the CPU's",
    since: 4,
    olderDefault: null,
    codec: orNothing(choice(['same', 'different'])),
  }),
  cpuMatchContinuationPct: field({
    column: 'cpu_match_continuation_pct',
    group: 'variant',
    unit: 'percent',
    description:
      "of the CPU's 8 greedy tokens, scored teacher-forced by both backends, the share WebGPU's argmax agrees on",
    since: 4,
    olderDefault: null,
    codec: orNothing(percent),
  }),
  cpuMatchTop5OverlapPct: field({
    column: 'cpu_match_top5_overlap_pct',
    group: 'variant',
    unit: 'percent',
    description: "mean overlap of the two backends' 5 highest logits over the same 8 positions",
    since: 4,
    olderDefault: null,
    codec: orNothing(percent),
  }),
  cpuMatchMaxAbsLogitDelta: field({
    column: 'cpu_match_max_abs_logit_delta',
    group: 'variant',
    unit: 'logit',
    description:
      'the largest |WebGPU logit − CPU logit| over the same 8 positions and the whole vocabulary (`Infinity` where one side is not finite)',
    since: 4,
    olderDefault: null,
    codec: orNothing(nonNegativeOrInfinite),
  }),
  adapter: field({
    column: 'adapter',
    group: 'environment',
    unit: 'text',
    description: 'WebGPU adapter (vendor / architecture / device / description)',
    since: 1,
    codec: text(),
  }),
  adapterFeatures: field({
    column: 'adapter_features',
    group: 'environment',
    unit: 'text',
    description: "the adapter's features, sorted, space-separated",
    since: 1,
    codec: text(),
  }),
  adapterVendor: field({
    column: 'adapter_vendor',
    group: 'environment',
    unit: 'text',
    description: 'GPUAdapterInfo.vendor (empty where the browser withholds it)',
    since: 3,
    olderDefault: '',
    codec: text(),
  }),
  adapterArchitecture: field({
    column: 'adapter_architecture',
    group: 'environment',
    unit: 'text',
    description: 'GPUAdapterInfo.architecture',
    since: 3,
    olderDefault: '',
    codec: text(),
  }),
  adapterDevice: field({
    column: 'adapter_device',
    group: 'environment',
    unit: 'text',
    description: 'GPUAdapterInfo.device',
    since: 3,
    olderDefault: '',
    codec: text(),
  }),
  adapterDescription: field({
    column: 'adapter_description',
    group: 'environment',
    unit: 'text',
    description: "GPUAdapterInfo.description (the GPU's name, where given)",
    since: 3,
    olderDefault: '',
    codec: text(),
  }),
  adapterIsFallback: field({
    column: 'adapter_is_fallback',
    group: 'environment',
    unit: 'text',
    description: 'GPUAdapterInfo.isFallbackAdapter: a software or otherwise slow adapter',
    since: 3,
    olderDefault: undefined,
    codec: optionalBoolean,
  }),
  subgroupMinSize: field({
    column: 'subgroup_min_size',
    group: 'environment',
    unit: 'text',
    description: "the adapter's smallest subgroup size",
    since: 3,
    olderDefault: undefined,
    codec: optionalCount,
  }),
  subgroupMaxSize: field({
    column: 'subgroup_max_size',
    group: 'environment',
    unit: 'text',
    description: "the adapter's largest subgroup size",
    since: 3,
    olderDefault: undefined,
    codec: optionalCount,
  }),
  webglRenderer: field({
    column: 'webgl_renderer',
    group: 'environment',
    unit: 'text',
    description:
      "WebGL's unmasked renderer (WEBGL_debug_renderer_info): the GPU's name where WebGPU withholds it",
    since: 3,
    olderDefault: undefined,
    codec: optionalText,
  }),
  crossOriginIsolated: field({
    column: 'cross_origin_isolated',
    group: 'environment',
    unit: 'text',
    description: 'whether the engine ran cross-origin isolated (timer steps of 5 µs instead of 100 µs)',
    since: 3,
    olderDefault: undefined,
    codec: optionalBoolean,
  }),
  maxBufferSizeBytes: field({
    column: 'max_buffer_size_bytes',
    group: 'environment',
    unit: 'bytes',
    description: "the adapter's maxBufferSize",
    since: 1,
    codec: count(),
  }),
  maxStorageBufferBindingSizeBytes: field({
    column: 'max_storage_buffer_binding_size_bytes',
    group: 'environment',
    unit: 'bytes',
    description: "the adapter's maxStorageBufferBindingSize",
    since: 1,
    codec: count(),
  }),
  browser: field({
    column: 'browser',
    group: 'environment',
    unit: 'text',
    description: 'brand, version and user agent',
    since: 1,
    codec: text(),
  }),
  os: field({
    column: 'os',
    group: 'environment',
    unit: 'text',
    description: 'OS from User-Agent Client Hints (else navigator.platform)',
    since: 1,
    codec: text(),
  }),
  onnxruntimeWebVersion: field({
    column: 'onnxruntime_web_version',
    group: 'environment',
    unit: 'text',
    description: "onnxruntime-web's version",
    since: 1,
    codec: text(),
  }),
  appVersion: field({
    column: 'app_version',
    group: 'environment',
    unit: 'text',
    description: "this app's version",
    since: 1,
    codec: text(),
  }),
  startedAt: field({
    column: 'started_at',
    group: 'trial',
    unit: 'text',
    description: 'ISO 8601 time the trial started',
    since: 1,
    codec: plainText(),
  }),
  overlapped: field({
    column: 'overlapped',
    group: 'trial',
    unit: 'flag',
    description:
      '`true` when another run measured on the same GPU while this trial ran (a second tab run anyway): its time is not its own',
    since: 3,
    // Before this column, runs were not told apart; nothing says they overlapped.
    olderDefault: false,
    codec: flag,
  }),
};

type Fields = typeof TRIAL_FIELDS;
export type TrialFieldName = keyof Fields;
type ValueOf<F> = F extends TrialField<infer T, FieldGroup> ? T : never;

/** One prompt through tokenize..first token; see TRIAL_FIELDS for each field's meaning and unit. */
export type TrialRecord = { readonly [K in TrialFieldName]: ValueOf<Fields[K]> };

/** The fields one group fills (the sweep runner composes a record from these parts). */
export type TrialFieldsOf<G extends FieldGroup> = {
  readonly [K in TrialFieldName as Fields[K]['group'] extends G ? K : never]: TrialRecord[K];
};

/** Every field in table order, which is the CSV's column order. */
export const TRIAL_FIELD_NAMES = Object.keys(TRIAL_FIELDS) as TrialFieldName[];
