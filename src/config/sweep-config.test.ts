import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG } from './sweep-config';
import { parseSweepConfig } from './sweep-config-schema';

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
