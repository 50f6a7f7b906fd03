import { describe, expect, it } from 'vitest';
import { forgetToken, readSavedToken, saveToken } from './token-storage';

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

describe('token storage', () => {
  it('remembers a token, reads it back and forgets it', () => {
    const storage = memoryStorage();
    expect(readSavedToken(storage)).toBeUndefined();
    expect(saveToken(storage, 'hf_abc123')).toBe(true);
    expect([...storage.items.values()]).toEqual(['hf_abc123']);
    expect(readSavedToken(storage)).toBe('hf_abc123');
    forgetToken(storage);
    expect(storage.items.size).toBe(0);
    expect(readSavedToken(storage)).toBeUndefined();
  });

  it('saving an empty token forgets the stored one', () => {
    const storage = memoryStorage();
    saveToken(storage, 'hf_abc123');
    expect(saveToken(storage, '')).toBe(true);
    expect(storage.items.size).toBe(0);
  });

  it('ignores what is not a token, and never stores one', () => {
    const storage = memoryStorage({ 'ttft-bench:hub-token': '<img src=x onerror=alert(1)>' });
    expect(readSavedToken(storage)).toBeUndefined();
    expect(saveToken(storage, 'two words')).toBe(false);
    expect(saveToken(storage, 'x'.repeat(513))).toBe(false);
    expect(storage.items.get('ttft-bench:hub-token')).toBe('<img src=x onerror=alert(1)>');
  });

  it('survives storage that throws or does not exist', () => {
    expect(readSavedToken(failing)).toBeUndefined();
    expect(saveToken(failing, 'hf_abc123')).toBe(false);
    expect(() => forgetToken(failing)).not.toThrow();
    expect(readSavedToken(undefined)).toBeUndefined();
    expect(saveToken(undefined, 'hf_abc123')).toBe(false);
  });
});
