import type { SharedCell } from './share-link';

/** A plausible summarized cell (share links, compared runs); override what the test is about. */
export function sharedCell(overrides: Partial<SharedCell>): SharedCell {
  return {
    quantization: 'q4',
    promptTokens: 16,
    depthTokens: 0,
    syncMode: 'barrier',
    n: 3,
    medianMs: 10,
    p10Ms: 9,
    p90Ms: 11,
    meanMs: 10,
    stdDevMs: 1,
    ...overrides,
  };
}
