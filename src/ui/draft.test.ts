import { describe, expect, it } from 'vitest';
import { configToDraft, draftToConfig, INITIAL_DRAFT } from './draft';

describe('benchmark form', () => {
  it('starts on the issue defaults: 16..1024 tokens, 2 warm-ups, 5 repetitions', () => {
    const check = draftToConfig(INITIAL_DRAFT);
    expect(check).toMatchObject({
      ok: true,
      config: {
        promptLengths: [16, 64, 128, 256, 512, 1024],
        warmupRuns: 2,
        repetitions: 5,
        modelPreset: 'tiny',
      },
    });
  });

  it('says what to fix instead of running a bad sweep', () => {
    expect(draftToConfig({ ...INITIAL_DRAFT, quantizations: [] })).toEqual({
      ok: false,
      message: 'Pick at least one quantization level.',
    });
    expect(draftToConfig({ ...INITIAL_DRAFT, lengthsText: '16, x' })).toMatchObject({ ok: false });
    expect(draftToConfig({ ...INITIAL_DRAFT, repetitions: 0 })).toMatchObject({ ok: false });
    expect(draftToConfig({ ...INITIAL_DRAFT, useCustomPrompt: true, customPrompt: '   ' })).toEqual({
      ok: false,
      message: 'The custom prompt is empty.',
    });
  });

  it('uses the custom prompt instead of lengths when asked', () => {
    const check = draftToConfig({ ...INITIAL_DRAFT, useCustomPrompt: true, customPrompt: 'Hello there' });
    expect(check).toMatchObject({ ok: true, config: { customPrompt: 'Hello there', promptLengths: [] } });
  });
});

describe('filling the form from a configuration', () => {
  it('round-trips through the form unchanged', () => {
    const check = draftToConfig({
      ...INITIAL_DRAFT,
      lengthsText: '8, 32',
      syncModes: ['barrier', 'none'],
      order: 'sequential',
    });
    if (!check.ok) throw new Error(check.message);
    expect(draftToConfig(configToDraft(check.config))).toEqual(check);
  });
});
