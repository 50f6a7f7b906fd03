/**
 * CPU match: does a variant on WebGPU compute what onnxruntime's wasm (CPU) backend computes from the same
 * files? The CPU greedily continues one fixed prompt by CONTINUATION_TOKENS tokens; then both backends score
 * that same token sequence (teacher forcing: each position sees the CPU's tokens before it, so one early
 * divergence does not hide the positions after it) and their logits rows are compared here.
 */
import { formatBytes } from '../format-bytes';
import type { Quantization } from '../model/config';
import type { TrialRecord } from '../results/trial';

/** A fixed prompt with an obvious continuation, so a real model's top-1 margins are wide. */
export const CPU_MATCH_PROMPT =
  'The capital of France is Paris. The capital of Italy is Rome. The capital of Germany is';

/** Greedy tokens the CPU generates after the prompt; the first is the prompt's next token. */
export const CPU_MATCH_TOKENS = 8;

/** onnxruntime-web's wasm heap is wasm32: 4 GiB at most; leave room for what else lives in it. */
export const WASM_HEAP_BUDGET_BYTES = 3.5 * 2 ** 30;
/**
 * Measured in Node with onnxruntime-web 1.30 (the wasm heap after creating and running a session on the
 * built-in tiny model): 3.7× the model's bytes for fp32, 3.1× q4, 3.0× int8 (the model is copied in, parsed,
 * and its weights pre-packed). Rounded up.
 */
const HEAP_BYTES_PER_MODEL_BYTE = 4;
const HEAP_BASE_BYTES = 64 * 2 ** 20;

export function estimateCpuHeapBytes(modelBytes: number): number {
  return HEAP_BYTES_PER_MODEL_BYTE * modelBytes + HEAP_BASE_BYTES;
}

/** Why the CPU side cannot run a model of this size, or undefined when it fits. */
export function cpuHeapProblem(modelBytes: number): string | undefined {
  const needed = estimateCpuHeapBytes(modelBytes);
  if (needed <= WASM_HEAP_BUDGET_BYTES) return undefined;
  return `the ${formatBytes(modelBytes, { unit: 'GiB' })} model needs about ${formatBytes(needed, { unit: 'GiB' })} of onnxruntime's wasm heap on the CPU; wasm32 gives it at most 4 GiB`;
}

/** Indexes of the k largest values, largest first (ties: the lower index first). */
export function topK(row: Float32Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < row.length; i++) {
    const value = row[i]!;
    if (Number.isNaN(value)) continue;
    if (best.length === k && value <= row[best[k - 1]!]!) continue;
    let at = best.length;
    while (at > 0 && value > row[best[at - 1]!]!) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
}

function argmax(row: Float32Array): number {
  return topK(row, 1)[0] ?? 0;
}

export interface CpuMatchMetrics {
  /** WebGPU's argmax at the prompt's last position equals the CPU's. */
  readonly firstTokenSame: boolean;
  /** Positions compared (the first token and the continuation after it). */
  readonly positions: number;
  /** Positions where the argmaxes agree. */
  readonly agreeingPositions: number;
  /** agreeingPositions / positions, in percent. */
  readonly continuationPct: number;
  /** Mean of |top-5 CPU ∩ top-5 WebGPU| / 5 over the positions, in percent. */
  readonly top5OverlapPct: number;
  /** Largest |Δ logit| over every position and vocabulary entry; infinite where only one side is finite. */
  readonly maxAbsLogitDelta: number;
}

/**
 * Compares the two backends' logits rows for the same positions: row i holds the logits after the prompt and
 * the first i forced tokens.
 */
export function compareLogitRows(
  cpu: readonly Float32Array[],
  gpu: readonly Float32Array[],
): CpuMatchMetrics {
  if (cpu.length === 0 || cpu.length !== gpu.length) {
    throw new Error(`cannot compare ${cpu.length} CPU rows with ${gpu.length} WebGPU rows`);
  }
  let agreeing = 0;
  let overlap = 0;
  let maxDelta = 0;
  for (let position = 0; position < cpu.length; position++) {
    const a = cpu[position]!;
    const b = gpu[position]!;
    if (a.length !== b.length) {
      throw new Error(`position ${position}: ${a.length} CPU logits, ${b.length} WebGPU logits`);
    }
    if (argmax(a) === argmax(b)) agreeing++;
    const k = Math.min(5, a.length);
    const top = new Set(topK(a, k));
    overlap += topK(b, k).filter((index) => top.has(index)).length / k;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (Number.isFinite(x) !== Number.isFinite(y)) maxDelta = Number.POSITIVE_INFINITY;
      else if (Number.isFinite(x)) maxDelta = Math.max(maxDelta, Math.abs(x - y));
    }
  }
  return {
    firstTokenSame: argmax(cpu[0]!) === argmax(gpu[0]!),
    positions: cpu.length,
    agreeingPositions: agreeing,
    continuationPct: (100 * agreeing) / cpu.length,
    top5OverlapPct: (100 * overlap) / cpu.length,
    maxAbsLogitDelta: maxDelta,
  };
}

/** How a variant's check ended. */
export type CpuMatchOutcome =
  | { readonly kind: 'measured'; readonly metrics: CpuMatchMetrics }
  | { readonly kind: 'off' }
  | { readonly kind: 'not measured'; readonly reason: string };

export type CpuMatchFields = Pick<
  TrialRecord,
  | 'cpuMatch'
  | 'cpuMatchFirstToken'
  | 'cpuMatchContinuationPct'
  | 'cpuMatchTop5OverlapPct'
  | 'cpuMatchMaxAbsLogitDelta'
>;

/** The `cpu_match` column's limit: a reason is an error message, and records stay small and valid. */
export const CPU_MATCH_TEXT_MAX = 600;

/** Text cut to `max` characters, with an ellipsis where it was cut. */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The `cpu_match_*` columns every trial of the variant carries. */
export function cpuMatchFields(outcome: CpuMatchOutcome): CpuMatchFields {
  if (outcome.kind !== 'measured') {
    return {
      cpuMatch:
        outcome.kind === 'off' ? 'off' : clipText(`not measured: ${outcome.reason}`, CPU_MATCH_TEXT_MAX),
      cpuMatchFirstToken: null,
      cpuMatchContinuationPct: null,
      cpuMatchTop5OverlapPct: null,
      cpuMatchMaxAbsLogitDelta: null,
    };
  }
  const { metrics } = outcome;
  return {
    cpuMatch: 'measured',
    cpuMatchFirstToken: metrics.firstTokenSame ? 'same' : 'different',
    cpuMatchContinuationPct: metrics.continuationPct,
    cpuMatchTop5OverlapPct: metrics.top5OverlapPct,
    cpuMatchMaxAbsLogitDelta: metrics.maxAbsLogitDelta,
  };
}

/** A measured check whose tokens differ anywhere: shown as a warning, never hidden. */
export function cpuMatchDisagrees(fields: CpuMatchFields): boolean {
  return (
    fields.cpuMatch === 'measured' &&
    (fields.cpuMatchFirstToken !== 'same' || (fields.cpuMatchContinuationPct ?? 0) < 100)
  );
}

function formatDelta(delta: number): string {
  if (!Number.isFinite(delta)) return '∞ (a logit is NaN or infinite on one side only)';
  return delta === 0 || delta >= 0.01 ? delta.toFixed(3) : delta.toExponential(1);
}

/** One line for the table and the CLI: "first token same; continuation 100% (8/8); top-5 100%; max |Δ logit| 7.2e-6". */
export function describeCpuMatch(fields: CpuMatchFields): string {
  if (fields.cpuMatch !== 'measured') return fields.cpuMatch;
  const continuation = fields.cpuMatchContinuationPct ?? 0;
  const agreeing = Math.round((continuation / 100) * CPU_MATCH_TOKENS);
  return [
    `first token ${fields.cpuMatchFirstToken ?? '?'}`,
    `continuation ${continuation.toFixed(0)}% (${agreeing}/${CPU_MATCH_TOKENS})`,
    `top-5 ${(fields.cpuMatchTop5OverlapPct ?? 0).toFixed(0)}%`,
    `max |Δ logit| ${formatDelta(fields.cpuMatchMaxAbsLogitDelta ?? 0)}`,
  ].join('; ');
}

/** Each variant's check, as its trials recorded it (every trial of a variant carries the same one). */
export function cpuMatchOfVariants(trials: readonly TrialRecord[]): Map<Quantization, CpuMatchFields> {
  const byVariant = new Map<Quantization, CpuMatchFields>();
  for (const trial of trials) {
    byVariant.set(trial.quantization, {
      cpuMatch: trial.cpuMatch,
      cpuMatchFirstToken: trial.cpuMatchFirstToken,
      cpuMatchContinuationPct: trial.cpuMatchContinuationPct,
      cpuMatchTop5OverlapPct: trial.cpuMatchTop5OverlapPct,
      cpuMatchMaxAbsLogitDelta: trial.cpuMatchMaxAbsLogitDelta,
    });
  }
  return byVariant;
}
