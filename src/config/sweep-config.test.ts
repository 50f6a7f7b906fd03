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
