/**
 * Resuming an interrupted run: the same plan minus the timed repetitions already recorded. A resumed variant
 * gets a fresh session, so the warm-ups of every cell that still has timed work run again (WebGPU compiles
 * per shape), and the first untimed trial of each variant is that session's cold run.
 */
import type { Quantization } from '../model/config';
import type { TrialRecord } from '../results/trial';
import type { PlanItem } from './plan';

type TrialItem = Extract<PlanItem, { kind: 'trial' }>;

function timedKey(
  item: Pick<TrialItem, 'quantization' | 'promptTokens' | 'depthTokens' | 'repetition' | 'syncMode'>,
): string {
  return `${cellKey(item)}|${item.repetition}|${item.syncMode}`;
}

function cellKey(item: Pick<TrialItem, 'quantization' | 'promptTokens' | 'depthTokens'>): string {
  return `${item.quantization}|${item.promptTokens}|d${item.depthTokens}`;
}

export function planResume(plan: readonly PlanItem[], done: readonly TrialRecord[]): PlanItem[] {
  const measured = new Set(done.filter((trial) => trial.phase === 'warm').map(timedKey));
  const missingTimed = plan.filter(
    (item): item is TrialItem =>
      item.kind === 'trial' && item.phase === 'warm' && !measured.has(timedKey(item)),
  );
  const cellsWithWork = new Set(missingTimed.map(cellKey));
  const variantsWithWork = new Set<Quantization>(missingTimed.map((item) => item.quantization));

  const kept = plan.filter((item) => {
    if (item.kind !== 'trial') return variantsWithWork.has(item.quantization);
    if (item.phase === 'warm') return !measured.has(timedKey(item));
    return cellsWithWork.has(cellKey(item));
  });

  // Relabel the untimed runs: the first of each variant is its new session's cold run.
  const coldSeen = new Set<Quantization>();
  const warmupCount = new Map<string, number>();
  return kept.map((item) => {
    if (item.kind !== 'trial' || item.phase === 'warm') return item;
    if (!coldSeen.has(item.quantization)) {
      coldSeen.add(item.quantization);
      return { ...item, phase: 'cold', repetition: 1 };
    }
    const key = cellKey(item);
    const repetition = (warmupCount.get(key) ?? 0) + 1;
    warmupCount.set(key, repetition);
    return { ...item, phase: 'warmup', repetition };
  });
}
