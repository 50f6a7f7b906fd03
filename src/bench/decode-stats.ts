import type { TrialMeasurement } from '../results/trial';
import { summarize } from './statistics';

/** A trial's decode fields from its per-step wall-clock times and tokens (all zero when decode is off). */
export function decodeMeasurement(
  stepMs: readonly number[],
  tokenIds: readonly number[],
): Pick<
  TrialMeasurement,
  | 'decodeTokens'
  | 'decodeMsPerTokenMedian'
  | 'decodeMsPerTokenP90'
  | 'decodeTokensPerSecond'
  | 'decodedTokenIds'
> {
  const stats = stepMs.length === 0 ? undefined : summarize(stepMs);
  return {
    decodeTokens: tokenIds.length,
    decodeMsPerTokenMedian: stats?.median ?? 0,
    decodeMsPerTokenP90: stats?.p90 ?? 0,
    decodeTokensPerSecond: stats === undefined ? 0 : 1000 / stats.mean,
    decodedTokenIds: tokenIds.join(' '),
  };
}
