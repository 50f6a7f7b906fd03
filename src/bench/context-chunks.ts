/**
 * Long context prefixes are prefilled in chunks, each on the cache of the ones before: the same cache as one
 * run (causal attention), without one run's [tokens × vocabulary] logits (2 GiB at 4096 tokens of Llama-3).
 * The engine prefills this way; the admission check sizes a run's tensors by it.
 */
export const PREFIX_CHUNK_TOKENS = 512;

/** One prefill pass: `tokens` new positions attending to `contextTokens` cached ones. */
export interface PrefillPass {
  readonly tokens: number;
  readonly contextTokens: number;
}

/**
 * The prefill passes whose tensors are largest in a run: its longest prompt on top of its deepest context, and
 * (with a context) the prefix's last chunk, which attends to all the chunks before it.
 */
export function largestPrefillPasses(
  longestPromptTokens: number,
  deepestContextTokens: number,
): PrefillPass[] {
  const passes = [{ tokens: longestPromptTokens, contextTokens: deepestContextTokens }];
  if (deepestContextTokens > 0) {
    const lastChunk = deepestContextTokens % PREFIX_CHUNK_TOKENS || PREFIX_CHUNK_TOKENS;
    // Every full chunk is as wide as the last full one; the last one sees the most context.
    const widest = Math.min(PREFIX_CHUNK_TOKENS, deepestContextTokens);
    passes.push({ tokens: lastChunk, contextTokens: deepestContextTokens - lastChunk });
    if (widest !== lastChunk)
      passes.push({ tokens: widest, contextTokens: deepestContextTokens - lastChunk - widest });
  }
  return passes;
}
