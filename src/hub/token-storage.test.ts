import { describe, expect, it } from 'vitest';
import {
  forgetTokens,
  hubOriginOf,
  NO_TOKENS,
  readSavedTokens,
  saveTokens,
  tokenElsewhereNote,
  tokenForHub,
  withHubToken,
} from './token-storage';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const failing = {
  getItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem: () => {
    throw new DOMException('full', 'QuotaExceededError');
  },
  removeItem: () => {
    throw new DOMException('denied', 'SecurityError');
  },
};

const HF = 'https://huggingface.co';
const MIRROR = 'http://127.0.0.1:8911';

describe('tokens stay with their hub', () => {
  it('are kept per origin and given only to that origin', () => {
    const tokens = withHubToken(NO_TOKENS, 'https://huggingface.co/', 'hf_abc123');
    expect(tokenForHub(tokens, HF)).toBe('hf_abc123');
    expect(tokenForHub(tokens, 'https://huggingface.co/some/path')).toBe('hf_abc123');
    // Anything else is another origin, however alike it looks.
    for (const other of [
      'http://huggingface.co',
      'https://huggingface.co:8443',
      'https://huggingface.co.evil.example',
      'https://evil.example/?https://huggingface.co',
      MIRROR,
      'not a url',
      'javascript:alert(1)',
    ]) {
      expect(tokenForHub(tokens, other), other).toBeUndefined();
    }
  });

  it('keeps one token per hub, and forgets one when it is cleared', () => {
    let tokens = withHubToken(NO_TOKENS, HF, 'hf_a');
    tokens = withHubToken(tokens, MIRROR, 'mirror_b');
    expect(tokenForHub(tokens, HF)).toBe('hf_a');
    expect(tokenForHub(tokens, MIRROR)).toBe('mirror_b');
    tokens = withHubToken(tokens, MIRROR, '');
    expect([...tokens.keys()]).toEqual([HF]);
    expect(withHubToken(tokens, 'not a url', 'x')).toBe(tokens);
  });

  it('says when a link names a hub the token is not for', () => {
    const tokens = withHubToken(NO_TOKENS, HF, 'hf_a');
    expect(tokenElsewhereNote(tokens, MIRROR)).toBe(
      `This link names the hub ${MIRROR}, which is not the one your access token is for (${HF}); ` +
        `the token is not sent to ${MIRROR}.`,
    );
    expect(tokenElsewhereNote(tokens, HF)).toBeUndefined();
    expect(tokenElsewhereNote(NO_TOKENS, MIRROR)).toBeUndefined();
  });

  it('origins are what URL says they are', () => {
    expect(hubOriginOf('https://HuggingFace.co/x')).toBe(HF);
    expect(hubOriginOf('ftp://example.com')).toBeUndefined();
  });
});

describe('token storage', () => {
  it('remembers tokens by hub, reads them back and forgets them', () => {
    const storage = memoryStorage();
    expect(readSavedTokens(storage).size).toBe(0);
    const tokens = withHubToken(withHubToken(NO_TOKENS, HF, 'hf_abc123'), MIRROR, 'm_1');
    expect(saveTokens(storage, tokens)).toBe(true);
    expect(readSavedTokens(storage)).toEqual(tokens);
    forgetTokens(storage);
    expect(storage.items.size).toBe(0);
    expect(readSavedTokens(storage).size).toBe(0);
  });

  it('saving no tokens forgets the stored ones', () => {
    const storage = memoryStorage();
    saveTokens(storage, withHubToken(NO_TOKENS, HF, 'hf_abc123'));
    expect(saveTokens(storage, NO_TOKENS)).toBe(true);
    expect(storage.items.size).toBe(0);
  });

  it("reads a token stored by an older version as the default hub's, and moves it", () => {
    const storage = memoryStorage({ 'ttft-bench:hub-token': 'hf_old' });
    const tokens = readSavedTokens(storage);
    expect([...tokens]).toEqual([[HF, 'hf_old']]);
    saveTokens(storage, tokens);
    expect([...storage.items.keys()]).toEqual(['ttft-bench:hub-tokens']);
  });

  it('ignores what is not a token or not an origin, and never stores one', () => {
    const storage = memoryStorage({
      'ttft-bench:hub-token': '<img src=x onerror=alert(1)>',
      'ttft-bench:hub-tokens': JSON.stringify({
        [HF]: 'two words',
        'https://ok.example': 'ok_1',
        'https://ok.example/path': 'x_1',
        __proto__: 'y_1',
      }),
    });
    expect([...readSavedTokens(storage)]).toEqual([['https://ok.example', 'ok_1']]);
    expect(saveTokens(storage, new Map([[HF, 'x'.repeat(513)]]))).toBe(false);
    expect(readSavedTokens(memoryStorage({ 'ttft-bench:hub-tokens': '[1,2]' })).size).toBe(0);
    expect(readSavedTokens(memoryStorage({ 'ttft-bench:hub-tokens': '{' })).size).toBe(0);
  });

  it('survives storage that throws or does not exist', () => {
    expect(readSavedTokens(failing).size).toBe(0);
    expect(saveTokens(failing, withHubToken(NO_TOKENS, HF, 'hf_abc123'))).toBe(false);
    expect(() => forgetTokens(failing)).not.toThrow();
    expect(readSavedTokens(undefined).size).toBe(0);
    expect(saveTokens(undefined, withHubToken(NO_TOKENS, HF, 'hf_abc123'))).toBe(false);
  });
});
