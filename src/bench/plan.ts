/**
 * The order of work in a sweep. Per quantization level: load it, then per prompt length the warm-up runs and
 * the timed repetitions. Warm-ups run at every length because WebGPU kernels are compiled per shape.
 */
import type { Quantization } from '../model/config';
import type { TrialPhase } from '../results/trial';
import type { SweepConfig, SyncMode } from './sweep-config';

export type PlanItem =
  | { readonly kind: 'load'; readonly quantization: Quantization }
  | {
      readonly kind: 'trial';
      readonly quantization: Quantization;
      readonly promptTokens: number;
      readonly phase: TrialPhase;
      /** 1-based within the phase at this variant and length; cold is warm-up 1 of its length. */
      readonly repetition: number;
      /** 1-based position among all untimed runs at this variant and length (cold included). */
      readonly warmupRun: number;
      /** Warm-ups always use the barrier; timed runs cycle through the configured modes. */
      readonly syncMode: SyncMode;
    };

export function planSweep(config: SweepConfig, promptLengths: readonly number[]): PlanItem[] {
  const plan: PlanItem[] = [];
  for (const quantization of config.quantizations) {
    plan.push({ kind: 'load', quantization });
    let firstInference = true;
    for (const promptTokens of promptLengths) {
      let warmupRepetition = 0;
      for (let run = 1; run <= config.warmupRuns; run++) {
        // The session's very first inference compiles shaders and uploads weights: that is the cold TTFT.
        const phase: TrialPhase = firstInference ? 'cold' : 'warmup';
        firstInference = false;
        plan.push({
          kind: 'trial',
          quantization,
          promptTokens,
          phase,
          repetition: phase === 'cold' ? 1 : ++warmupRepetition,
          warmupRun: run,
          syncMode: 'barrier',
        });
      }
      for (let repetition = 1; repetition <= config.repetitions; repetition++) {
        for (const syncMode of config.syncModes) {
          firstInference = false;
          plan.push({
            kind: 'trial',
            quantization,
            promptTokens,
            phase: 'warm',
            repetition,
            warmupRun: 0,
            syncMode,
          });
        }
      }
    }
  }
  return plan;
}

export function countTrials(plan: readonly PlanItem[]): number {
  return plan.filter((item) => item.kind === 'trial').length;
}
