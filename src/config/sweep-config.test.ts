import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG } from './sweep-config';
import { parseSweepConfig } from './sweep-config-schema';
import { DEFAULT_HUB_URL } from './model-ref';

describe('the graph form of a sweep configuration', () => {
  it('builds the fused graph unless told otherwise', () => {
    expect(DEFAULT_SWEEP_CONFIG.graph).toBe('fused');
    expect(parseSweepConfig(DEFAULT_SWEEP_CONFIG)).toMatchObject({ ok: true, config: { graph: 'fused' } });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, graph: 'plain' })).toMatchObject({
      ok: true,
      config: { graph: 'plain' },
    });
  });

  it('reads links and configurations made before the option as the plain graph they measured', () => {
    const older: Record<string, unknown> = { ...DEFAULT_SWEEP_CONFIG };
    delete older['graph'];
    expect(parseSweepConfig(older)).toMatchObject({ ok: true, config: { graph: 'plain' } });
  });

  it('names a form it does not know', () => {
    const parsed = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, graph: 'flash' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/^invalid sweep configuration: graph: /);
  });
});

describe('the 4-bit accuracy level of a sweep configuration', () => {
  it("writes onnxruntime's default (0) unless told to quantize activations (4)", () => {
    expect(DEFAULT_SWEEP_CONFIG.accuracyLevel).toBe(0);
    expect(parseSweepConfig(DEFAULT_SWEEP_CONFIG)).toMatchObject({ ok: true, config: { accuracyLevel: 0 } });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, accuracyLevel: 4 })).toMatchObject({
      ok: true,
      config: { accuracyLevel: 4 },
    });
  });

  it('reads links and configurations made before the option as level 0, what they built', () => {
    const older: Record<string, unknown> = { ...DEFAULT_SWEEP_CONFIG, accuracyLevel: 4 };
    delete older['accuracyLevel'];
    expect(parseSweepConfig(older)).toMatchObject({ ok: true, config: { accuracyLevel: 0 } });
  });

  it('refuses the levels the builder does not write, and the level as text', () => {
    for (const accuracyLevel of [1, 2, 3, 5, -1, '4', null]) {
      const parsed = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, accuracyLevel });
      expect(parsed.ok, String(accuracyLevel)).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/^invalid sweep configuration: accuracyLevel: /);
    }
  });
});

describe('graph capture in a sweep configuration', () => {
  const hubModel = {
    kind: 'hub',
    id: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    revision: 'main',
    hubUrl: DEFAULT_HUB_URL,
  } as const;

  it('is off unless asked for, and reads links and configurations made before the option as off', () => {
    expect(DEFAULT_SWEEP_CONFIG.graphCapture).toBe(false);
    const older: Record<string, unknown> = { ...DEFAULT_SWEEP_CONFIG, graphCapture: true };
    delete older['graphCapture'];
    expect(parseSweepConfig(older)).toMatchObject({ ok: true, config: { graphCapture: false } });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, graphCapture: true })).toMatchObject({
      ok: true,
      config: { graphCapture: true },
    });
  });

  it('refuses it where it cannot run, at the graphCapture field, with the reason', () => {
    const onHub = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, model: hubModel, graphCapture: true });
    expect(onHub).toEqual({
      ok: false,
      message:
        'invalid sweep configuration: graphCapture: Graph capture needs a built-in model: it runs the static-KV graph the app builds itself.',
    });
    // The same hub model without capture is a valid configuration: the refusal is capture's alone.
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, model: hubModel })).toMatchObject({ ok: true });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, graph: 'plain', graphCapture: true })).toEqual({
      ok: false,
      message:
        'invalid sweep configuration: graphCapture: Graph capture needs the fused graph form (GroupQueryAttention).',
    });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, depths: [0, 1024], graphCapture: true })).toEqual({
      ok: false,
      message:
        'invalid sweep configuration: graphCapture: Graph capture measures fresh prompts only: set the context depth to 0.',
    });
  });

  it('takes only a boolean', () => {
    for (const graphCapture of ['true', 1, null]) {
      const parsed = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, graphCapture });
      expect(parsed.ok, String(graphCapture)).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/^invalid sweep configuration: graphCapture: /);
    }
  });
});

describe('kernel profiles in the configuration', () => {
  it('are off unless asked for, and links made before the option read as off', () => {
    expect(DEFAULT_SWEEP_CONFIG.kernelProfile).toBe(false);
    const older: Record<string, unknown> = { ...DEFAULT_SWEEP_CONFIG, kernelProfile: true };
    delete older['kernelProfile'];
    expect(parseSweepConfig(older)).toMatchObject({ ok: true, config: { kernelProfile: false } });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, kernelProfile: true })).toMatchObject({
      ok: true,
      config: { kernelProfile: true },
    });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, kernelProfile: 'yes' })).toMatchObject({ ok: false });
  });

  it('are refused with graph capture, at the kernelProfile field, with the reason', () => {
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, graphCapture: true, kernelProfile: true })).toEqual({
      ok: false,
      message:
        'invalid sweep configuration: kernelProfile: Kernel profiles time onnxruntime’s kernels one by one: turn graph capture off to profile.',
    });
  });
});

describe('the decode loop in the configuration', () => {
  it('is synced unless asked for, and links made before the option read as synced', () => {
    expect(DEFAULT_SWEEP_CONFIG.decodeLoop).toBe('synced');
    const older: Record<string, unknown> = { ...DEFAULT_SWEEP_CONFIG, decodeLoop: 'pipelined' };
    delete older['decodeLoop'];
    expect(parseSweepConfig(older)).toMatchObject({ ok: true, config: { decodeLoop: 'synced' } });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, decodeLoop: 'pipelined' })).toMatchObject({
      ok: true,
      config: { decodeLoop: 'pipelined' },
    });
    const wrong = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, decodeLoop: 'eager' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toMatch(/^invalid sweep configuration: decodeLoop: /);
  });
});

describe('the q/k/v projections in the configuration', () => {
  it('are packed unless asked otherwise, and links made before the option read as separate', () => {
    expect(DEFAULT_SWEEP_CONFIG.qkv).toBe('packed');
    const older: Record<string, unknown> = { ...DEFAULT_SWEEP_CONFIG };
    delete older['qkv'];
    expect(parseSweepConfig(older)).toMatchObject({ ok: true, config: { qkv: 'separate' } });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, qkv: 'separate' })).toMatchObject({
      ok: true,
      config: { qkv: 'separate' },
    });
    const wrong = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, qkv: 'interleaved' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toMatch(/^invalid sweep configuration: qkv: /);
  });
});

describe('where the first token is picked, in the configuration', () => {
  it('on the CPU unless asked, and links made before the option read as the CPU', () => {
    expect(DEFAULT_SWEEP_CONFIG.firstTokenArgmax).toBe('cpu');
    const older: Record<string, unknown> = { ...DEFAULT_SWEEP_CONFIG, firstTokenArgmax: 'gpu' };
    delete older['firstTokenArgmax'];
    expect(parseSweepConfig(older)).toMatchObject({ ok: true, config: { firstTokenArgmax: 'cpu' } });
    expect(parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, firstTokenArgmax: 'gpu' })).toMatchObject({
      ok: true,
      config: { firstTokenArgmax: 'gpu' },
    });
    const wrong = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, firstTokenArgmax: 'npu' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toMatch(/^invalid sweep configuration: firstTokenArgmax: /);
  });
});

describe('when a barrier trial reads its first token back, in the configuration', () => {
  it('beside the barrier unless asked, and links made before the option read as after it', () => {
    expect(DEFAULT_SWEEP_CONFIG.tokenReadback).toBe('with-barrier');
    const older: Record<string, unknown> = { ...DEFAULT_SWEEP_CONFIG };
    delete older['tokenReadback'];
    expect(parseSweepConfig(older)).toMatchObject({ ok: true, config: { tokenReadback: 'after-barrier' } });
    expect(parseSweepConfig(DEFAULT_SWEEP_CONFIG)).toMatchObject({
      ok: true,
      config: { tokenReadback: 'with-barrier' },
    });
    const wrong = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, tokenReadback: 'before-barrier' });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toMatch(/^invalid sweep configuration: tokenReadback: /);
  });
});
