/** Parses the prompt-length field ("16, 64 128") into sorted, de-duplicated positive integers. */
export type LengthsParse =
  | { readonly ok: true; readonly lengths: readonly number[] }
  | { readonly ok: false; readonly message: string };

export const MAX_PROMPT_TOKENS = 32768;

export function parsePromptLengths(text: string): LengthsParse {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) return { ok: false, message: 'Enter at least one prompt length.' };
  const lengths = new Set<number>();
  for (const part of parts) {
    if (!/^\d+$/.test(part)) return { ok: false, message: `"${part}" is not a whole number of tokens.` };
    const value = Number(part);
    if (value < 1 || value > MAX_PROMPT_TOKENS) {
      return { ok: false, message: `${value} is outside 1..${MAX_PROMPT_TOKENS} tokens.` };
    }
    lengths.add(value);
  }
  return { ok: true, lengths: [...lengths].sort((a, b) => a - b) };
}

export function formatPromptLengths(lengths: readonly number[]): string {
  return lengths.join(', ');
}
