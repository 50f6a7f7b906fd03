/**
 * Prompts of an exact token count. BPE merges across a cut can change the count when the text is re-encoded,
 * so every candidate is re-encoded and adjusted until the tokenizer itself agrees on the length.
 */
import { customPromptSizeProblem, MAX_PROMPT_TOKENS } from '../config/lengths';
import type { TextTokenizer } from '../tokenizer/tokenizer';
import { PROMPT_CORPUS } from './prompt-corpus';

export interface Prompt {
  readonly text: string;
  readonly tokenIds: readonly number[];
  readonly promptTokens: number;
}

type Encode = (text: string) => number[];

function corpusIds(encode: Encode, minimumTokens: number): number[] {
  let text = PROMPT_CORPUS;
  let ids = encode(text);
  while (ids.length < minimumTokens + 64) {
    text += PROMPT_CORPUS;
    ids = encode(text);
  }
  return ids;
}

/** Counts tokens the tokenizer adds on its own (e.g. Llama-2's BOS), which are part of every prompt. */
function specialTokenCount(tokenizer: TextTokenizer): number {
  return tokenizer.encode('').length;
}

/**
 * Real English text that encodes to exactly `promptTokens` tokens, the special tokens the tokenizer adds
 * included: that is what the model sees, so that is the length measured.
 */
export function buildPromptOfLength(tokenizer: TextTokenizer, promptTokens: number): Prompt {
  if (!Number.isInteger(promptTokens) || promptTokens < 1) {
    throw new Error(`a prompt needs a whole number of tokens of at least 1, not ${promptTokens}`);
  }
  const special = specialTokenCount(tokenizer);
  if (promptTokens <= special) {
    throw new Error(
      `this tokenizer adds ${special} special token(s) to every prompt; ask for more than ${special}`,
    );
  }
  return exactLength(tokenizer, (text) => tokenizer.encode(text), special, promptTokens);
}

/**
 * Text that follows a context already in the KV cache and encodes to exactly `promptTokens` tokens without
 * special tokens (no second BOS): the new turn measured at a context depth.
 */
export function buildContinuationOfLength(tokenizer: TextTokenizer, promptTokens: number): Prompt {
  if (!Number.isInteger(promptTokens) || promptTokens < 1) {
    throw new Error(`a prompt needs a whole number of tokens of at least 1, not ${promptTokens}`);
  }
  return exactLength(tokenizer, (text) => tokenizer.encodeContinuation(text), 0, promptTokens);
}

function exactLength(
  tokenizer: TextTokenizer,
  encode: Encode,
  special: number,
  promptTokens: number,
): Prompt {
  const ids = corpusIds(encode, promptTokens);
  // Corpus ids include the leading special tokens; content tokens follow them.
  const contentIds = ids.slice(special);
  let wanted = promptTokens - special;
  for (let attempt = 0; attempt < 64; attempt++) {
    const text = tokenizer.decode(contentIds.slice(0, wanted));
    const encoded = encode(text);
    if (encoded.length === promptTokens) return { text, tokenIds: encoded, promptTokens };
    // Adjust the cut by how far the re-encoding missed, at least one token per attempt.
    const miss = encoded.length - promptTokens;
    wanted -= Math.sign(miss) * Math.max(1, Math.abs(miss) >> 1);
    if (wanted < 1) wanted = 1;
  }
  throw new Error(
    `could not build a prompt of exactly ${promptTokens} tokens with the ${tokenizer.id} tokenizer`,
  );
}

/** The user's own prompt: its token count (special tokens included) becomes the measured length. */
export function measureCustomPrompt(tokenizer: TextTokenizer, text: string): Prompt {
  if (text.trim() === '') throw new Error('the custom prompt is empty');
  // Bounded by bytes before tokenizing (a megabyte would block the tokenizer), then by tokens, as lengths are.
  const tooLarge = customPromptSizeProblem(text);
  if (tooLarge !== undefined) throw new Error(tooLarge);
  const tokenIds = tokenizer.encode(text);
  if (tokenIds.length > MAX_PROMPT_TOKENS) {
    throw new Error(
      `The custom prompt is ${tokenIds.length.toLocaleString('en-US')} tokens; prompts are limited to ` +
        `${MAX_PROMPT_TOKENS.toLocaleString('en-US')} tokens, as prompt lengths are. Shorten it.`,
    );
  }
  return { text, tokenIds, promptTokens: tokenIds.length };
}
