import { describe, expect, it } from 'vitest';
import { loadNodeTokenizer } from '../../e2e/node-tokenizer';
import { buildContinuationOfLength, buildPromptOfLength, measureCustomPrompt } from './prompt';

describe.each(['llama3', 'llama2'] as const)('prompts of exact length with the real %s tokenizer', (id) => {
  it.each([2, 16, 64, 128, 256, 512, 1024, 2048, 4096])('%i tokens', async (length) => {
    const tokenizer = await loadNodeTokenizer(id);
    const prompt = buildPromptOfLength(tokenizer, length);
    const reencoded = tokenizer.encode(prompt.text);
    expect(reencoded).toHaveLength(length);
    expect(prompt.tokenIds).toEqual(reencoded);
    expect(prompt.promptTokens).toBe(length);
    expect(prompt.text.startsWith('The')).toBe(true);
  });
});

describe.each(['llama3', 'llama2'] as const)('continuations (a prompt at a context depth), %s', (id) => {
  it.each([1, 16, 512])('%i tokens, without a second BOS', async (length) => {
    const tokenizer = await loadNodeTokenizer(id);
    const prompt = buildContinuationOfLength(tokenizer, length);
    expect(tokenizer.encodeContinuation(prompt.text)).toEqual(prompt.tokenIds);
    expect(prompt.tokenIds).toHaveLength(length);
    const bos = id === 'llama2' ? 1 : 128000;
    expect(prompt.tokenIds).not.toContain(bos);
    // Llama-2 would start a fresh prompt with BOS; the continuation is the same text without it.
    if (id === 'llama2') expect(tokenizer.encode(prompt.text)).toEqual([1, ...prompt.tokenIds]);
  });
});

describe('special tokens', () => {
  it('Llama-2 prepends BOS <s> (id 1), which counts toward the length', async () => {
    const tokenizer = await loadNodeTokenizer('llama2');
    expect(tokenizer.encode('Hello')[0]).toBe(1);
    expect(() => buildPromptOfLength(tokenizer, 1)).toThrow(/adds 1 special token/);
  });

  it('the shipped Llama-3 tokenizer adds no BOS, so one token is a valid prompt', async () => {
    const tokenizer = await loadNodeTokenizer('llama3');
    expect(tokenizer.encode('')).toEqual([]);
    expect(buildPromptOfLength(tokenizer, 1).tokenIds).toHaveLength(1);
  });
});

describe('custom prompts', () => {
  it('measures the user text as the tokenizer sees it', async () => {
    const tokenizer = await loadNodeTokenizer('llama3');
    const prompt = measureCustomPrompt(tokenizer, 'The quick brown fox jumps over the lazy dog.');
    expect(prompt.promptTokens).toBe(10);
    expect(prompt.tokenIds[0]).toBe(791);
  });

  it('rejects an empty prompt with a clear message', async () => {
    const tokenizer = await loadNodeTokenizer('llama3');
    expect(() => measureCustomPrompt(tokenizer, '   ')).toThrow('the custom prompt is empty');
  });
});
