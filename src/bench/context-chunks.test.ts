import { describe, expect, it } from 'vitest';
import { largestPrefillPasses, PREFIX_CHUNK_TOKENS } from './context-chunks';

describe('the largest prefill passes of a run', () => {
  it('is the prompt alone for fresh prompts', () => {
    expect(largestPrefillPasses(128, 0)).toEqual([{ tokens: 128, contextTokens: 0 }]);
  });

  it('adds the prefix chunk that sees the most context: the last one, when it is a full chunk', () => {
    expect(PREFIX_CHUNK_TOKENS).toBe(512);
    expect(largestPrefillPasses(16, 1024)).toEqual([
      { tokens: 16, contextTokens: 1024 },
      { tokens: 512, contextTokens: 512 },
    ]);
    expect(largestPrefillPasses(16, 256)).toEqual([
      { tokens: 16, contextTokens: 256 },
      { tokens: 256, contextTokens: 0 },
    ]);
  });

  it('and the full chunk before a short last one (wider, with less context)', () => {
    // 1100 = 512 + 512 + 76: the last chunk is 76 tokens on 1024, the one before it 512 on 512.
    expect(largestPrefillPasses(16, 1100)).toEqual([
      { tokens: 16, contextTokens: 1100 },
      { tokens: 76, contextTokens: 1024 },
      { tokens: 512, contextTokens: 512 },
    ]);
  });
});
