/**
 * A race's results per quantization × prompt length: each contender's median TTFT, and this engine's ratio
 * to the others (below 1: the engine is faster). Ratios are of medians, and also the median of the ratios of
 * runs in the same round, which cancels drift that affects a whole round.
 */
import { summarize, type Summary } from '../bench/statistics';
import type { Quantization } from '../model/config';
import type { ContenderName } from './race-config';

export interface RaceTrial {
  readonly contender: ContenderName;
  readonly quantization: Quantization;
  readonly promptTokens: number;
  readonly phase: 'warmup' | 'timed';
  readonly round: number;
  readonly ttftMs: number;
  readonly firstTokenId: number;
  readonly beforeRunMs?: number;
}

export interface ContenderCell {
  readonly contender: ContenderName;
  readonly ttft: Summary;
}

export interface RaceRatio {
  /** The engine's median over the other's median. */
  readonly ofMedians: number;
  /** Median over rounds of engine / other in the same round. */
  readonly pairedMedian: number;
}

export interface RaceCell {
  readonly quantization: Quantization;
  readonly promptTokens: number;
  readonly contenders: readonly ContenderCell[];
  readonly engineOverFloor: RaceRatio | undefined;
  readonly engineOverTransformersJs: RaceRatio | undefined;
  /** Median of the engine's tokenizing and input building, timed inside its trials. */
  readonly engineBeforeRunMs: number | undefined;
  /** Every timed and warm-up run of every contender picked the same first token. */
  readonly sameFirstToken: boolean;
}

function ratio(timed: readonly RaceTrial[], other: ContenderName): RaceRatio | undefined {
  const engine = timed.filter((trial) => trial.contender === 'engine');
  const theirs = timed.filter((trial) => trial.contender === other);
  if (engine.length === 0 || theirs.length === 0) return undefined;
  const paired = engine.flatMap((mine) => {
    const partner = theirs.find((trial) => trial.round === mine.round);
    return partner === undefined ? [] : [mine.ttftMs / partner.ttftMs];
  });
  return {
    ofMedians:
      summarize(engine.map((trial) => trial.ttftMs)).median /
      summarize(theirs.map((trial) => trial.ttftMs)).median,
    pairedMedian: paired.length === 0 ? Number.NaN : summarize(paired).median,
  };
}

function medianOf(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : summarize(values).median;
}

export function summarizeRace(trials: readonly RaceTrial[], order: readonly ContenderName[]): RaceCell[] {
  const keys = new Map<string, { quantization: Quantization; promptTokens: number }>();
  for (const trial of trials) {
    keys.set(`${trial.quantization}|${trial.promptTokens}`, trial);
  }
  return [...keys.values()].map(({ quantization, promptTokens }) => {
    const cell = trials.filter(
      (trial) => trial.quantization === quantization && trial.promptTokens === promptTokens,
    );
    const timed = cell.filter((trial) => trial.phase === 'timed');
    const contenders = order.flatMap((contender): ContenderCell[] => {
      const values = timed.filter((trial) => trial.contender === contender).map((trial) => trial.ttftMs);
      return values.length === 0 ? [] : [{ contender, ttft: summarize(values) }];
    });
    return {
      quantization,
      promptTokens,
      contenders,
      engineOverFloor: ratio(timed, 'floor'),
      engineOverTransformersJs: ratio(timed, 'transformers.js'),
      engineBeforeRunMs: medianOf(
        timed.flatMap((trial) => (trial.beforeRunMs === undefined ? [] : [trial.beforeRunMs])),
      ),
      sameFirstToken: new Set(cell.map((trial) => trial.firstTokenId)).size <= 1,
    };
  });
}
