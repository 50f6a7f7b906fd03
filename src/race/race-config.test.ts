import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import { describe, expect, it } from 'vitest';
import { parseRaceConfig } from './race-config';

const good = {
  hubUrl: 'http://127.0.0.1:8080/',
  modelId: 'ttft-race/tiny-llama-ONNX',
  quantizations: ['q4', 'fp32'],
  promptLengths: [64, 512],
  warmupRuns: 1,
  repetitions: 3,
};

describe('parseRaceConfig', () => {
  it("accepts a race and fills in the revision, all three contenders and the app's onnxruntime settings", () => {
    const parsed = parseRaceConfig(good);
    expect(parsed).toEqual({
      ok: true,
      config: {
        ...good,
        hubUrl: 'http://127.0.0.1:8080',
        revision: 'main',
        contenders: ['engine', 'floor', 'transformers.js'],
        engineLmHead: 'all',
        runtime: DEFAULT_SWEEP_CONFIG.runtime,
      },
    });
  });

  it.each([
    [{ ...good, modelId: '../../etc' }, 'modelId'],
    [{ ...good, hubUrl: 'javascript:alert(1)' }, 'hubUrl'],
    [{ ...good, quantizations: ['q4', 'q4'] }, 'quantization levels repeat'],
    [{ ...good, quantizations: ['q3'] }, 'quantizations.0'],
    [{ ...good, promptLengths: [1] }, 'promptLengths.0'],
    [{ ...good, repetitions: 0 }, 'repetitions'],
    [{ ...good, contenders: ['engine', 'llama.cpp'] }, 'contenders.1'],
    [{ ...good, extra: true }, 'extra'],
    [{ ...good, engineLmHead: 'first' }, 'engineLmHead'],
    ['not an object', 'expected object'],
  ])('rejects %j with a message naming the problem', (input, named) => {
    const parsed = parseRaceConfig(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toMatch(/^Invalid race configuration: /);
      expect(parsed.message).toContain(named);
    }
  });
});
