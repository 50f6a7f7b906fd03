import { describe, expect, it } from 'vitest';
import { planRaceRuns } from './race-plan';

describe('planRaceRuns', () => {
  it('runs every contender once per round, warm-ups first, rotating who goes first', () => {
    const runs = planRaceRuns(3, 1, 3);
    expect(runs.map((run) => `${run.phase[0]}${run.round}:${run.contender}`)).toEqual([
      'w0:0',
      'w0:1',
      'w0:2',
      't0:1',
      't0:2',
      't0:0',
      't1:2',
      't1:0',
      't1:1',
      't2:0',
      't2:1',
      't2:2',
    ]);
  });

  it('puts each contender first equally often over a multiple of the contender count', () => {
    const timed = planRaceRuns(3, 0, 6).filter((run) => run.phase === 'timed');
    const firsts = [0, 1, 2].map((c) => timed.filter((run, i) => i % 3 === 0 && run.contender === c).length);
    expect(firsts).toEqual([2, 2, 2]);
  });

  it('plans nothing to warm up when asked for none, and one run for a lone contender', () => {
    expect(planRaceRuns(1, 0, 1)).toEqual([{ contender: 0, phase: 'timed', round: 0 }]);
  });
});
