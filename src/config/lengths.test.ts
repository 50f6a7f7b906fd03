import { describe, expect, it } from 'vitest';
import { parseDepths, parsePromptLengths } from './lengths';

describe('prompt length field', () => {
  it('accepts commas and spaces, sorts and removes duplicates', () => {
    expect(parsePromptLengths(' 512, 16 64;16 ')).toEqual({ ok: true, lengths: [16, 64, 512] });
  });

  it('rejects fractions, words, zero and huge values with the offending text', () => {
    expect(parsePromptLengths('16, 6.5')).toEqual({
      ok: false,
      message: '"6.5" is not a whole number of tokens.',
    });
    expect(parsePromptLengths('abc')).toMatchObject({ ok: false });
    expect(parsePromptLengths('0')).toEqual({ ok: false, message: '0 is outside 1..32768 tokens.' });
    expect(parsePromptLengths('40000')).toMatchObject({ ok: false });
    expect(parsePromptLengths('  ')).toEqual({ ok: false, message: 'Enter at least one prompt length.' });
  });
});

describe('context depth field', () => {
  it('accepts 0 (a fresh prompt) beside deeper contexts, like llama-bench -d 0,1024,4096', () => {
    expect(parseDepths('4096, 0 1024')).toEqual({ ok: true, lengths: [0, 1024, 4096] });
    expect(parseDepths('-1')).toEqual({ ok: false, message: '"-1" is not a whole number of tokens.' });
    expect(parseDepths('')).toEqual({
      ok: false,
      message: 'Enter at least one context depth (0 for a fresh prompt).',
    });
  });
});
