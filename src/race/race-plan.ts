/**
 * The order of a race's first-token runs at one prompt length. Contenders alternate run by run, and the
 * order rotates every round, so drift (heat, caches, background work) lands on all of them alike.
 */
export interface RaceRun {
  readonly contender: number;
  readonly phase: 'warmup' | 'timed';
  /** Round number within its phase, from 0. */
  readonly round: number;
}

export function planRaceRuns(contenders: number, warmupRuns: number, repetitions: number): RaceRun[] {
  const runs: RaceRun[] = [];
  const rounds = (phase: RaceRun['phase'], count: number, offset: number) => {
    for (let round = 0; round < count; round++) {
      for (let slot = 0; slot < contenders; slot++) {
        runs.push({ contender: (slot + round + offset) % contenders, phase, round });
      }
    }
  };
  rounds('warmup', warmupRuns, 0);
  // Timed rounds continue the rotation where the warm-ups left it.
  rounds('timed', repetitions, warmupRuns);
  return runs;
}
