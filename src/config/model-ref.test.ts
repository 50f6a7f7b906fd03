import { describe, expect, it } from 'vitest';
import { parseSweepConfig } from './sweep-config-schema';
import { DEFAULT_SWEEP_CONFIG } from './sweep-config';
import { normalizeHubUrl, repoIdProblem, revisionProblem } from './model-ref';

describe('model ids, revisions and hub URLs from users', () => {
  it('accepts real hub ids and rejects the rest with a message', () => {
    for (const id of [
      'onnx-community/Llama-3.2-1B-Instruct-ONNX',
      'HuggingFaceTB/SmolLM2-135M-Instruct',
      'Xenova/TinyLlama-1.1B-Chat-v1.0',
      'gpt2',
    ]) {
      expect(repoIdProblem(id)).toBeUndefined();
    }
    for (const id of [
      '',
      'a/b/c',
      '../etc',
      'org/na me',
      'org/-x',
      'org/x--y',
      'https://huggingface.co/org/x',
    ]) {
      expect(repoIdProblem(id)).toBeDefined();
    }
  });

  it('accepts branches, tags and commits, not traversal', () => {
    expect(revisionProblem('main')).toBeUndefined();
    expect(revisionProblem('refs/pr/12')).toBeUndefined();
    expect(revisionProblem('0123456789abcdef0123456789abcdef01234567')).toBeUndefined();
    expect(revisionProblem('../main')).toBeDefined();
    expect(revisionProblem('a b')).toBeDefined();
  });

  it('normalizes hub URLs and keeps credentials out of them', () => {
    expect(normalizeHubUrl('https://huggingface.co/')).toEqual({ ok: true, url: 'https://huggingface.co' });
    expect(normalizeHubUrl('http://127.0.0.1:8080/mirror/')).toEqual({
      ok: true,
      url: 'http://127.0.0.1:8080/mirror',
    });
    expect(normalizeHubUrl('ftp://x')).toMatchObject({ ok: false });
    expect(normalizeHubUrl('https://user:hf_secret@huggingface.co')).toMatchObject({ ok: false });
    expect(normalizeHubUrl('not a url')).toMatchObject({ ok: false });
  });
});

describe('sweep configuration with models', () => {
  it('takes a hub model with defaults for revision and hub', () => {
    const parsed = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, model: { kind: 'hub', id: 'org/name' } });
    expect(parsed).toMatchObject({
      ok: true,
      config: { model: { kind: 'hub', id: 'org/name', revision: 'main', hubUrl: 'https://huggingface.co' } },
    });
  });

  it('reads configurations written before hub models (modelPreset)', () => {
    const legacy: Record<string, unknown> = { ...DEFAULT_SWEEP_CONFIG, modelPreset: 'smollm2-135m' };
    delete legacy['model'];
    expect(parseSweepConfig(legacy)).toMatchObject({
      ok: true,
      config: { model: { kind: 'builtin', preset: 'smollm2-135m' } },
    });
  });

  it('names what is wrong with a bad model', () => {
    const bad = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, model: { kind: 'hub', id: 'a/b/c' } });
    expect(bad).toMatchObject({ ok: false });
    if (!bad.ok) expect(bad.message).toMatch(/model\.id: "a\/b\/c" is not a Hugging Face model id/);
    const token = parseSweepConfig({
      ...DEFAULT_SWEEP_CONFIG,
      model: { kind: 'hub', id: 'o/n', token: 'hf_x' },
    });
    expect(token).toMatchObject({ ok: false });
  });
});
