/**
 * The order of work in a sweep. Warm-ups run at every prompt length (and context depth) because WebGPU kernels
 * are compiled per shape; a session's very first inference is its cold TTFT. Depths are the outer loop, so
 * each variant's prefix KV cache for one depth is prefilled once and dropped before the next depth's.
 *
 * `interleaved` (default): every level is loaded first, then each repetition visits the levels in turn
 * (round-robin), so drift and heat do not bias one of them. `sequential`: one level at a time, released before
 * the next, for models too large to hold together.
 */
import type { Quantization } from '../model/config';
import type { TrialPhase } from '../results/trial';
import type { SweepConfig, SyncMode } from '../config/sweep-config';

export type PlanItem =
  | { readonly kind: 'load'; readonly quantization: Quantization }
  | { readonly kind: 'release'; readonly quantization: Quantization }
  | {
      readonly kind: 'trial';
      readonly quantization: Quantization;
      readonly promptTokens: number;
      /** Tokens already in the KV cache (0: a fresh prompt). */
      readonly depthTokens: number;
      readonly phase: TrialPhase;
      /** 1-based within the phase at this variant, length and sync mode; cold is warm-up 1 of its length. */
      readonly repetition: number;
      /** 1-based position among all untimed runs at this variant and length (cold included). */
      readonly warmupRun: number;
      /** Warm-ups always use the barrier; timed runs cycle through the configured modes. */
      readonly syncMode: SyncMode;
    };

type TrialItem = Extract<PlanItem, { kind: 'trial' }>;

/** One cell's place in the sweep: which prompt length at which depth. */
interface Cell {
  readonly promptTokens: number;
  readonly depthTokens: number;
}

function cellsOf(config: SweepConfig, promptLengths: readonly number[]): Cell[] {
  return config.depths.flatMap((depthTokens) =>
    promptLengths.map((promptTokens) => ({ promptTokens, depthTokens })),
  );
}

function warmups(
  config: SweepConfig,
  quantization: Quantization,
  cell: Cell,
  coldDone: Set<Quantization>,
): TrialItem[] {
  const items: TrialItem[] = [];
  let warmupRepetition = 0;
  for (let run = 1; run <= config.warmupRuns; run++) {
    const phase: TrialPhase = coldDone.has(quantization) ? 'warmup' : 'cold';
    coldDone.add(quantization);
    items.push({
      kind: 'trial',
      quantization,
      ...cell,
      phase,
      repetition: phase === 'cold' ? 1 : ++warmupRepetition,
      warmupRun: run,
      syncMode: 'barrier',
    });
  }
  return items;
}

function timed(config: SweepConfig, quantization: Quantization, cell: Cell, repetition: number): TrialItem[] {
  return config.syncModes.map((syncMode) => ({
    kind: 'trial',
    quantization,
    ...cell,
    phase: 'warm',
    repetition,
    warmupRun: 0,
    syncMode,
  }));
}

export function planSweep(config: SweepConfig, promptLengths: readonly number[]): PlanItem[] {
  const plan: PlanItem[] = [];
  const coldDone = new Set<Quantization>();
  const cells = cellsOf(config, promptLengths);
  if (config.order === 'sequential') {
    for (const quantization of config.quantizations) {
      plan.push({ kind: 'load', quantization });
      for (const cell of cells) {
        plan.push(...warmups(config, quantization, cell, coldDone));
        for (let repetition = 1; repetition <= config.repetitions; repetition++) {
          plan.push(...timed(config, quantization, cell, repetition));
        }
      }
      plan.push({ kind: 'release', quantization });
    }
    return plan;
  }
  for (const quantization of config.quantizations) plan.push({ kind: 'load', quantization });
  for (const cell of cells) {
    for (const quantization of config.quantizations) {
      plan.push(...warmups(config, quantization, cell, coldDone));
    }
    for (let repetition = 1; repetition <= config.repetitions; repetition++) {
      // Rotate the starting level each repetition so no level always runs first (or last) after a pause.
      const offset = (repetition - 1) % config.quantizations.length;
      const rotated = [...config.quantizations.slice(offset), ...config.quantizations.slice(0, offset)];
      for (const quantization of rotated) plan.push(...timed(config, quantization, cell, repetition));
    }
  }
  for (const quantization of config.quantizations) plan.push({ kind: 'release', quantization });
  return plan;
}

export function countTrials(plan: readonly PlanItem[]): number {
  return plan.filter((item) => item.kind === 'trial').length;
}
