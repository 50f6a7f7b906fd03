/**
 * The sweep a first visit starts with, chosen from the adapter: on a software adapter (a CPU) one that
 * finishes in about a minute, on a GPU one worth its time (a real model shape at real prompt lengths) that
 * this adapter can hold. Only the page's untouched initial form follows it; a configuration the user typed,
 * a share link or an autorun gave is never replaced.
 */
import {
  DEFAULT_GRAPH_FORM,
  type DecodeLoop,
  type FirstTokenArgmax,
  type LmHead,
} from '../config/sweep-config';
import type { AccuracyLevel } from '../model/accuracy-level';
import { PRESETS, type PresetId } from '../model/config';
import type { GraphForm } from '../model/graph-form';
import { activationBytes, type BuiltInQuantization } from '../model/quantization';
import type { AdapterLimits } from './admission';
import { builtInFootprint, builtInModelShape } from './builtin-footprint';
import { activationTensors, variantOwnRefusals } from './run-admission';

/** What of the adapter the choice reads. */
export interface AdapterProfile extends AdapterLimits {
  /** A CPU implementation of WebGPU (softwareAdapterReason, src/bench/adapter-identity.ts). */
  readonly software: boolean;
}

export interface AdapterDefaults {
  readonly preset: PresetId;
  readonly quantizations: readonly BuiltInQuantization[];
  readonly promptLengths: readonly number[];
  readonly warmupRuns: number;
  readonly repetitions: number;
  /**
   * Which positions the LM head computes. Measured both ways (docs/benchmarks.md): on an NVIDIA H200 the last
   * position alone is faster (Llama-3.2-1B q4 pp512 65.8 vs 78.9 ms, pp2048 240 vs 312 ms); on SwiftShader q4's
   * single-row kernel is slow enough that every position wins at short prompts, and the CPU check scores every
   * position in one run.
   */
  readonly lmHead: LmHead;
  /**
   * The built-in 4-bit graphs' MatMulNBits accuracy_level. Measured on an NVIDIA H200 (docs/benchmarks.md): level 4
   * (activations quantized to int8, onnxruntime's DP4A kernels where the device has subgroups) cut Llama-3.2-1B
   * q4's TTFT to 0.79× at 128 tokens, 0.67× at 512 and 0.61× at 2048 with the same first tokens, at the cost of
   * decode steps ~1.4× slower; TTFT is what this app measures. A software adapter keeps 0: the app requests no
   * subgroups there, so onnxruntime would not take those kernels anyway.
   */
  readonly accuracyLevel: AccuracyLevel;
  /**
   * The decode loop when decode is switched on. Measured on an NVIDIA H200 (docs/benchmarks.md, jobs h200-m/n):
   * `pipelined` decoded Llama-3.2-1B q4 (level 0, after 128 tokens) at 126–136 tokens/s against `synced`'s
   * 95–105, and with graph capture at 184–201 against 85, the same tokens in every trial. On SwiftShader the
   * GPU is the same two cores onnxruntime records on, and one trial each of tiny (16 tokens, 6 steps) ran 1.2–1.3×
   * slower pipelined, so a software adapter keeps `synced` (a step's latency).
   */
  readonly decodeLoop: DecodeLoop;
  /**
   * Where the first token is picked. On an NVIDIA H200 (docs/benchmarks.md, jobs h200-r) `gpu` took pp128 TTFT to
   * 0.91–0.98 of `cpu`'s (Llama-3.2-1B q4 and SmolLM2-135M fp32, captured, two rounds each), with the same tokens:
   * the logits row stays on the GPU and only the id is read back, as `argmax().item()` does natively. A software
   * adapter keeps `cpu`, what its earlier runs measured.
   */
  readonly firstTokenArgmax: FirstTokenArgmax;
  /** Why this sweep, in one line for the form. */
  readonly reason: string;
}

/**
 * On SwiftShader (2-core CI machine, tiny model): fp32 takes ~1.8 s a trial at 16 tokens and ~3.2 s at 64, q4
 * ~0.6 and ~1.2 s; with both sessions' creation this sweep (16 trials) took about a minute. Two levels, so
 * the page still compares something; one warm-up and three repetitions, so each cell has a median.
 */
export const SOFTWARE_DEFAULTS: AdapterDefaults = {
  preset: 'tiny',
  quantizations: ['fp32', 'q4'],
  promptLengths: [16, 64],
  warmupRuns: 1,
  repetitions: 3,
  lmHead: 'all',
  accuracyLevel: 0,
  decodeLoop: 'synced',
  firstTokenArgmax: 'cpu',
  reason:
    'This adapter runs WebGPU on the CPU, so the default is a short sweep of the tiny model (about a minute ' +
    'on a 2-core machine); its times are a CPU’s, not a GPU’s: compare the levels’ ratios, not the times.',
};

/** On a GPU: a real model's shape in its usual quantization, from short to long prompts. */
const GPU_LENGTHS = [128, 256, 512, 1024, 2048] as const;
/** Fewer lengths than this make no curve: try a smaller model instead. */
const MIN_GPU_LENGTHS = 3;

interface GpuCandidate {
  readonly preset: PresetId;
  readonly quantization: BuiltInQuantization;
}

/** Largest first; the first this adapter can hold at enough prompt lengths wins. */
const GPU_CANDIDATES: readonly GpuCandidate[] = [
  { preset: 'llama-3.2-1b', quantization: 'q4' },
  { preset: 'smollm2-135m', quantization: 'q4' },
];

/**
 * The largest activation buffer a prefill of this many tokens allocates in the built-in graph (the admission
 * check's activationTensors, src/bench/run-admission.ts): the logits ([T, vocab] with every position's LM head,
 * one row with the last), the MLP's [T, intermediate] activations, and in the plain graph the float32 attention
 * scores [heads, T, T] (the fused graph's flash attention has none).
 */
export function largestActivationBytes(
  preset: PresetId,
  quantization: BuiltInQuantization,
  promptTokens: number,
  { lmHead, graph }: { readonly lmHead: LmHead; readonly graph: GraphForm },
): number {
  const model = builtInModelShape(PRESETS[preset].config, graph);
  const [largest] = activationTensors(
    model,
    { tokens: promptTokens, contextTokens: 0 },
    lmHead,
    activationBytes(quantization),
  );
  return largest!.bytes;
}

/** The LM head a GPU's default sweep uses (see AdapterDefaults.lmHead). */
const GPU_LM_HEAD: LmHead = 'last';
/** The accuracy level a GPU's default sweep uses (see AdapterDefaults.accuracyLevel). */
const GPU_ACCURACY_LEVEL: AccuracyLevel = 4;
/** The decode loop a GPU's default sweep uses (see AdapterDefaults.decodeLoop). */
const GPU_DECODE_LOOP: DecodeLoop = 'pipelined';
/** Where a GPU's default sweep picks the first token (see AdapterDefaults.firstTokenArgmax). */
const GPU_FIRST_TOKEN_ARGMAX: FirstTokenArgmax = 'gpu';

/** The default sweep for this adapter; its lengths are checked with its own LM head. */
export function defaultsForAdapter(adapter: AdapterProfile): AdapterDefaults {
  if (adapter.software) return SOFTWARE_DEFAULTS;
  const lmHead = GPU_LM_HEAD;
  const bufferLimit = Math.min(adapter.maxBufferSizeBytes, adapter.maxStorageBufferBindingSizeBytes);
  for (const { preset, quantization } of GPU_CANDIDATES) {
    // The form's own verdict on the level (the adapter's limits, file sizes): a default it would disable is none.
    const levelRuns =
      variantOwnRefusals(builtInFootprint(PRESETS[preset].config, quantization, adapter)).length === 0;
    if (!levelRuns) continue;
    const lengths = GPU_LENGTHS.filter(
      (tokens) =>
        largestActivationBytes(preset, quantization, tokens, { lmHead, graph: DEFAULT_GRAPH_FORM }) <=
        bufferLimit,
    );
    if (lengths.length < MIN_GPU_LENGTHS) continue;
    const label = PRESETS[preset].label;
    return {
      preset,
      quantizations: [quantization],
      promptLengths: lengths,
      warmupRuns: 2,
      repetitions: 5,
      lmHead,
      accuracyLevel: GPU_ACCURACY_LEVEL,
      decodeLoop: GPU_DECODE_LOOP,
      firstTokenArgmax: GPU_FIRST_TOKEN_ARGMAX,
      reason:
        lengths.length === GPU_LENGTHS.length
          ? `Default for a GPU: the ${label} in ${quantization} at ${lengths[0]}–${lengths.at(-1)} tokens.`
          : `Default for this GPU: the ${label} in ${quantization} at ${lengths[0]}–${lengths.at(-1)} tokens (longer prompts would exceed its buffer limit).`,
    };
  }
  return {
    ...SOFTWARE_DEFAULTS,
    warmupRuns: 2,
    repetitions: 5,
    lmHead,
    accuracyLevel: GPU_ACCURACY_LEVEL,
    decodeLoop: GPU_DECODE_LOOP,
    firstTokenArgmax: GPU_FIRST_TOKEN_ARGMAX,
    reason:
      'This GPU’s buffer limits are too small for a real model’s shape, so the default is the tiny model.',
  };
}
