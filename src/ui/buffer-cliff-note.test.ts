import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { trial } from '../results/trial-fixture';
import { BufferCliffNote } from './BufferCliffNote';

const plain = (promptTokens: number, gpuBuffersCreated: number, graph: 'plain' | 'fused' = 'plain') =>
  trial({ quantization: 'q4', promptTokens, gpuBuffersCreated, graph, ortBufferCache: 'bucket' });

describe('the buffer-cliff note under the chart', () => {
  it("names a built-in preset's cliff and the buffers measured on both sides of it", () => {
    const markup = renderToStaticMarkup(
      createElement(BufferCliffNote, {
        trials: [plain(3238, 4), plain(3239, 12)],
        model: { kind: 'builtin', preset: 'tiny' },
        decoder: undefined,
      }),
    );
    expect(markup).toContain('data-cliff-tokens="3239"');
    expect(markup).toContain('q4, plain graph: from 3239 tokens the attention-score tensor [1, 4, T, T]');
    expect(markup).toContain(
      'Measured: 12 GPU buffers created per prefill at 3239 tokens, against 4 at 3238 tokens',
    );
  });

  it('says nothing for the fused graph, or for a repository whose config was not read', () => {
    const fused = [plain(4096, 12, 'fused')];
    const model = { kind: 'builtin', preset: 'tiny' } as const;
    expect(
      renderToStaticMarkup(createElement(BufferCliffNote, { trials: fused, model, decoder: undefined })),
    ).toBe('');
    const hub = { kind: 'hub', id: 'org/name', revision: 'main', hubUrl: 'https://huggingface.co' } as const;
    const markup = renderToStaticMarkup(
      createElement(BufferCliffNote, { trials: [plain(4096, 12)], model: hub, decoder: undefined }),
    );
    expect(markup).toBe('');
  });
});
