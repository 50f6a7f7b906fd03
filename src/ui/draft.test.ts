import { describe, expect, it } from 'vitest';
import { configToDraft, draftToConfig, INITIAL_DRAFT, type ModelChoice } from './draft';

const TINY: ModelChoice = { ok: true, model: { kind: 'builtin', preset: 'tiny' } };

describe('benchmark form', () => {
  it('starts on the issue defaults: 16..1024 tokens, 2 warm-ups, 5 repetitions', () => {
    const check = draftToConfig(INITIAL_DRAFT, TINY);
    expect(check).toMatchObject({
      ok: true,
      config: {
        promptLengths: [16, 64, 128, 256, 512, 1024],
        warmupRuns: 2,
        repetitions: 5,
        model: { kind: 'builtin', preset: 'tiny' },
        graph: 'fused',
      },
    });
  });

  it('says what to fix instead of running a bad sweep', () => {
    expect(draftToConfig({ ...INITIAL_DRAFT, quantizations: [] }, TINY)).toEqual({
      ok: false,
      message: 'Pick at least one quantization level.',
    });
    expect(draftToConfig({ ...INITIAL_DRAFT, lengthsText: '16, x' }, TINY)).toMatchObject({ ok: false });
    expect(draftToConfig({ ...INITIAL_DRAFT, repetitions: 0 }, TINY)).toMatchObject({ ok: false });
    expect(draftToConfig({ ...INITIAL_DRAFT, useCustomPrompt: true, customPrompt: '   ' }, TINY)).toEqual({
      ok: false,
      message: 'The custom prompt is empty.',
    });
  });

  it('uses the custom prompt instead of lengths when asked', () => {
    const check = draftToConfig(
      { ...INITIAL_DRAFT, useCustomPrompt: true, customPrompt: 'Hello there' },
      TINY,
    );
    expect(check).toMatchObject({ ok: true, config: { customPrompt: 'Hello there', promptLengths: [] } });
  });
});

describe('filling the form from a configuration', () => {
  it('round-trips through the form unchanged', () => {
    const check = draftToConfig(
      {
        ...INITIAL_DRAFT,
        lengthsText: '8, 32',
        syncModes: ['barrier', 'none'],
        order: 'sequential',
        graph: 'plain',
      },
      TINY,
    );
    if (!check.ok) throw new Error(check.message);
    expect(draftToConfig(configToDraft(check.config), TINY)).toEqual(check);
  });

  it("keeps a hub model's id, revision and hub URL", () => {
    const model = { kind: 'hub', id: 'org/name', revision: 'v1.0', hubUrl: 'http://127.0.0.1:9' } as const;
    const check = draftToConfig(INITIAL_DRAFT, { ok: true, model });
    if (!check.ok) throw new Error(check.message);
    expect(configToDraft(check.config)).toMatchObject({
      modelKind: 'hub',
      hubId: 'org/name',
      hubRevision: 'v1.0',
      hubUrl: 'http://127.0.0.1:9',
    });
  });

  it('asks for the model first when none is ready', () => {
    expect(draftToConfig(INITIAL_DRAFT, { ok: false, message: 'Look up the model first.' })).toEqual({
      ok: false,
      message: 'Look up the model first.',
    });
  });
});
