import { describe, expect, it } from 'vitest';
import { configToDraft, draftToConfig, INITIAL_DRAFT, shownDraft, type ModelChoice } from './draft';

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
        accuracyLevel: 0,
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
        accuracyLevel: 4,
      },
      TINY,
    );
    if (!check.ok) throw new Error(check.message);
    expect(check.config.accuracyLevel).toBe(4);
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

  it('reads context depths and the CPU check; a custom prompt is measured fresh', () => {
    expect(INITIAL_DRAFT).toMatchObject({ depthsText: '0', cpuMatch: true });
    const check = draftToConfig({ ...INITIAL_DRAFT, depthsText: '1024, 0', cpuMatch: false }, TINY);
    expect(check).toMatchObject({ ok: true, config: { depths: [0, 1024], cpuMatch: false } });
    if (check.ok)
      expect(configToDraft(check.config)).toMatchObject({ depthsText: '0, 1024', cpuMatch: false });
    expect(draftToConfig({ ...INITIAL_DRAFT, depthsText: 'deep' }, TINY)).toEqual({
      ok: false,
      message: '"deep" is not a whole number of tokens.',
    });
    const custom = draftToConfig(
      { ...INITIAL_DRAFT, depthsText: '256', useCustomPrompt: true, customPrompt: 'Hi' },
      TINY,
    );
    expect(custom).toMatchObject({ ok: true, config: { depths: [0], customPrompt: 'Hi' } });
  });
});

describe('the form follows the adapter only while untouched', () => {
  const GiB = 2 ** 30;
  const swiftShader = {
    software: true,
    maxBufferSizeBytes: GiB,
    maxStorageBufferBindingSizeBytes: GiB,
    hasShaderF16: false,
  };
  const bigGpu = { ...swiftShader, software: false, maxBufferSizeBytes: 4 * GiB, hasShaderF16: true };

  it('shows the built-in defaults until the adapter is known, then its defaults with their reason', () => {
    expect(shownDraft({ kind: 'initial' }, undefined)).toEqual({ draft: INITIAL_DRAFT, defaults: undefined });
    const software = shownDraft({ kind: 'initial' }, swiftShader);
    expect(software.draft).toMatchObject({
      modelKind: 'builtin',
      modelPreset: 'tiny',
      quantizations: ['fp32', 'q4'],
      lengthsText: '16, 64',
      warmupRuns: 1,
      repetitions: 3,
    });
    expect(software.defaults?.reason).toContain('CPU');
    expect(shownDraft({ kind: 'initial' }, bigGpu).draft).toMatchObject({
      modelPreset: 'llama-3.2-1b',
      quantizations: ['q4'],
      lengthsText: '128, 256, 512, 1024, 2048',
    });
  });

  it('never replaces what the user typed or a link gave, whatever the adapter', () => {
    const typed = { ...INITIAL_DRAFT, lengthsText: '8, 4096', repetitions: 9 };
    for (const kind of ['edited', 'given'] as const) {
      for (const adapter of [undefined, swiftShader, bigGpu]) {
        expect(shownDraft({ kind, draft: typed }, adapter)).toEqual({ draft: typed, defaults: undefined });
      }
    }
  });

  it("the defaults' draft runs: it parses into the configuration it shows", () => {
    const { draft } = shownDraft({ kind: 'initial' }, swiftShader);
    expect(draftToConfig(draft, TINY)).toMatchObject({
      ok: true,
      config: { promptLengths: [16, 64], warmupRuns: 1, repetitions: 3, quantizations: ['fp32', 'q4'] },
    });
  });
});

describe('graph capture in the form', () => {
  const HUB: ModelChoice = {
    ok: true,
    model: { kind: 'hub', id: 'org/model', revision: 'main', hubUrl: 'http://127.0.0.1:9' },
  };

  it('is off by default and carried to the configuration and back for a built-in fused model', () => {
    expect(INITIAL_DRAFT.graphCapture).toBe(false);
    const check = draftToConfig({ ...INITIAL_DRAFT, graphCapture: true }, TINY);
    expect(check).toMatchObject({ ok: true, config: { graphCapture: true, graph: 'fused' } });
    if (!check.ok) throw new Error(check.message);
    expect(configToDraft(check.config).graphCapture).toBe(true);
  });

  it('is off where the form does not offer it: the plain graph, a hub model', () => {
    expect(draftToConfig({ ...INITIAL_DRAFT, graphCapture: true, graph: 'plain' }, TINY)).toMatchObject({
      ok: true,
      config: { graphCapture: false },
    });
    expect(draftToConfig({ ...INITIAL_DRAFT, graphCapture: true, modelKind: 'hub' }, HUB)).toMatchObject({
      ok: true,
      config: { graphCapture: false },
    });
  });

  it('refuses a context depth with a message, and takes a custom prompt (measured fresh)', () => {
    expect(draftToConfig({ ...INITIAL_DRAFT, graphCapture: true, depthsText: '0, 1024' }, TINY)).toEqual({
      ok: false,
      message: 'Graph capture measures fresh prompts only: set the context depth to 0.',
    });
    expect(
      draftToConfig(
        {
          ...INITIAL_DRAFT,
          graphCapture: true,
          depthsText: '1024',
          useCustomPrompt: true,
          customPrompt: 'Hi',
        },
        TINY,
      ),
    ).toMatchObject({ ok: true, config: { graphCapture: true, depths: [0] } });
  });
});

describe('kernel profiles in the form', () => {
  it('are off by default and carried to the configuration and back', () => {
    expect(INITIAL_DRAFT.kernelProfile).toBe(false);
    const check = draftToConfig({ ...INITIAL_DRAFT, kernelProfile: true }, TINY);
    expect(check).toMatchObject({ ok: true, config: { kernelProfile: true, graphCapture: false } });
    if (!check.ok) throw new Error(check.message);
    expect(configToDraft(check.config).kernelProfile).toBe(true);
  });

  it('are off while graph capture is on (its checkbox is disabled then), and back on without it', () => {
    expect(draftToConfig({ ...INITIAL_DRAFT, kernelProfile: true, graphCapture: true }, TINY)).toMatchObject({
      ok: true,
      config: { kernelProfile: false, graphCapture: true },
    });
    // Capture offered only for the fused form: on the plain graph the profile stands.
    expect(
      draftToConfig({ ...INITIAL_DRAFT, kernelProfile: true, graphCapture: true, graph: 'plain' }, TINY),
    ).toMatchObject({ ok: true, config: { kernelProfile: true, graphCapture: false } });
  });
});

describe('the decode loop in the form', () => {
  it('is synced by default and carried to the configuration and back', () => {
    expect(INITIAL_DRAFT.decodeLoop).toBe('synced');
    const check = draftToConfig(
      { ...INITIAL_DRAFT, decode: true, decodeTokens: 8, decodeLoop: 'pipelined' },
      TINY,
    );
    expect(check).toMatchObject({ ok: true, config: { decodeTokens: 8, decodeLoop: 'pipelined' } });
    if (!check.ok) throw new Error(check.message);
    expect(configToDraft(check.config)).toMatchObject({ decode: true, decodeLoop: 'pipelined' });
  });
});

describe('the q/k/v projections in the form', () => {
  it('are packed by default and carried to the configuration and back', () => {
    expect(INITIAL_DRAFT.qkv).toBe('packed');
    expect(draftToConfig(INITIAL_DRAFT, TINY)).toMatchObject({ ok: true, config: { qkv: 'packed' } });
    const check = draftToConfig({ ...INITIAL_DRAFT, qkv: 'separate' }, TINY);
    expect(check).toMatchObject({ ok: true, config: { qkv: 'separate' } });
    if (!check.ok) throw new Error(check.message);
    expect(configToDraft(check.config)).toMatchObject({ qkv: 'separate' });
  });
});

describe('where the first token is picked, in the form', () => {
  it('on the CPU by default and carried to the configuration and back', () => {
    expect(INITIAL_DRAFT.firstTokenArgmax).toBe('cpu');
    const check = draftToConfig({ ...INITIAL_DRAFT, firstTokenArgmax: 'gpu' }, TINY);
    expect(check).toMatchObject({ ok: true, config: { firstTokenArgmax: 'gpu' } });
    if (!check.ok) throw new Error(check.message);
    expect(configToDraft(check.config)).toMatchObject({ firstTokenArgmax: 'gpu' });
  });
});

describe('when the first token is read back, in the form', () => {
  it('beside the barrier by default and carried to the configuration and back', () => {
    expect(INITIAL_DRAFT.tokenReadback).toBe('with-barrier');
    const check = draftToConfig({ ...INITIAL_DRAFT, tokenReadback: 'after-barrier' }, TINY);
    expect(check).toMatchObject({ ok: true, config: { tokenReadback: 'after-barrier' } });
    if (!check.ok) throw new Error(check.message);
    expect(configToDraft(check.config)).toMatchObject({ tokenReadback: 'after-barrier' });
  });
});
