import { describe, expect, it } from 'vitest';
import { graphCaptureProblem } from './graph-capture';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from './sweep-config';
import { DEFAULT_HUB_URL, type ModelRef } from './model-ref';

const HUB_MODEL: ModelRef = {
  kind: 'hub',
  id: 'HuggingFaceTB/SmolLM2-135M-Instruct',
  revision: 'main',
  hubUrl: DEFAULT_HUB_URL,
};
const LOCAL_MODEL: ModelRef = { kind: 'local', folderName: 'smollm2' };

/** What graph capture can run: a built-in model, its fused graph, fresh prompts. */
const capturable: SweepConfig = { ...DEFAULT_SWEEP_CONFIG, graphCapture: true };

describe('when graph capture can be asked for', () => {
  it('has nothing to say while it is off, whatever the rest asks', () => {
    expect(DEFAULT_SWEEP_CONFIG.graphCapture).toBe(false);
    for (const config of [
      DEFAULT_SWEEP_CONFIG,
      { ...DEFAULT_SWEEP_CONFIG, model: HUB_MODEL, graph: 'plain' as const, depths: [0, 4096] },
      { ...DEFAULT_SWEEP_CONFIG, model: LOCAL_MODEL },
    ]) {
      expect(graphCaptureProblem(config)).toBeUndefined();
    }
  });

  it('runs a built-in model in the fused form on fresh prompts', () => {
    expect(capturable).toMatchObject({ model: { kind: 'builtin' }, graph: 'fused', depths: [0] });
    expect(graphCaptureProblem(capturable)).toBeUndefined();
    expect(graphCaptureProblem({ ...capturable, model: { kind: 'builtin', preset: 'llama-3.2-1b' } })).toBe(
      undefined,
    );
  });

  it.each([
    ['a hub model', HUB_MODEL],
    ['a local folder', LOCAL_MODEL],
  ] as const)('refuses %s: only the app builds the static-KV graph', (_, model) => {
    expect(graphCaptureProblem({ ...capturable, model })).toBe(
      'Graph capture needs a built-in model: it runs the static-KV graph the app builds itself.',
    );
  });

  it('refuses the plain graph form', () => {
    expect(graphCaptureProblem({ ...capturable, graph: 'plain' })).toBe(
      'Graph capture needs the fused graph form (GroupQueryAttention).',
    );
  });

  it.each([[[4096]], [[0, 1024]], [[0, 1, 4096]]])(
    'refuses context depths %j: fresh prompts only',
    (depths) => {
      expect(graphCaptureProblem({ ...capturable, depths })).toBe(
        'Graph capture measures fresh prompts only: set the context depth to 0.',
      );
    },
  );
});
