export type LengthsParse =
  | { readonly ok: true; readonly lengths: readonly number[] }
  | { readonly ok: false; readonly message: string };

export const MAX_PROMPT_TOKENS = 32768;

/**
 * A custom prompt's size limit before it is tokenized: 8 bytes of UTF-8 per token allowed (English runs 4–5),
 * so a prompt the token limit admits is never cut here, and a megabyte is refused without tokenizing it.
 */
export const MAX_CUSTOM_PROMPT_BYTES = 8 * MAX_PROMPT_TOKENS;

/** Why a custom prompt is too large to tokenize; undefined when it is not. */
export function customPromptSizeProblem(text: string): string | undefined {
  const bytes = new TextEncoder().encode(text).byteLength;
  if (bytes <= MAX_CUSTOM_PROMPT_BYTES) return undefined;
  return (
    `The custom prompt is ${bytes.toLocaleString('en-US')} bytes; at most ` +
    `${MAX_CUSTOM_PROMPT_BYTES.toLocaleString('en-US')} bytes (prompts are limited to ${MAX_PROMPT_TOKENS.toLocaleString('en-US')} tokens).`
  );
}

function parseTokenCounts(text: string, minimum: number, what: string): LengthsParse {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) return { ok: false, message: `Enter at least one ${what}.` };
  const lengths = new Set<number>();
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return { ok: false, message: `"${part}" is not a whole number of tokens.` };
    const value = Number(part);
    if (value < minimum || value > MAX_PROMPT_TOKENS) {
      return { ok: false, message: `${value} is outside ${minimum}..${MAX_PROMPT_TOKENS} tokens.` };
    }
    lengths.add(value);
  }
  return { ok: true, lengths: [...lengths].sort((a, b) => a - b) };
}

/** Parses the prompt-length field ("16, 64 128") into sorted, de-duplicated positive integers. */
export function parsePromptLengths(text: string): LengthsParse {
  return parseTokenCounts(text, 1, 'prompt length');
}

/** Parses the context-depth field ("0, 1024 4096"): like lengths, but 0 (a fresh prompt) is allowed. */
export function parseDepths(text: string): LengthsParse {
  return parseTokenCounts(text, 0, 'context depth (0 for a fresh prompt)');
}

export function formatPromptLengths(lengths: readonly number[]): string {
  return lengths.join(', ');
}
