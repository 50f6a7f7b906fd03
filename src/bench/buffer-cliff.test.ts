import { describe, expect, it } from 'vitest';
import { trial } from '../results/trial-fixture';
import {
  cliffEvidence,
  ORT_LARGEST_BUCKET_BYTES,
  scoreCliffNotes,
  scoreTensorBytes,
  scoreTensorCliffTokens,
} from './buffer-cliff';

const plainBucket = { graph: 'plain', bufferCache: 'bucket' } as const;

describe("the plain graph's attention scores against onnxruntime's largest buffer bucket", () => {
  it('is 160 MiB, as onnxruntime-web 1.30 ships it', () => {
    expect(ORT_LARGEST_BUCKET_BYTES).toBe(167_772_160);
  });

  it('starts where the steps measured on an H200 fell: 1145 tokens for 32 heads, 2159 for 9', () => {
    // Llama-3.2-1B (32 heads): 150 ms at 1144 tokens, 370 ms at 1145.
    expect(scoreTensorCliffTokens({ numAttentionHeads: 32, ...plainBucket })).toBe(1145);
    expect(scoreTensorBytes(32, 1144)).toBeLessThanOrEqual(ORT_LARGEST_BUCKET_BYTES);
    expect(scoreTensorBytes(32, 1145)).toBeGreaterThan(ORT_LARGEST_BUCKET_BYTES);
    // SmolLM2-135M (9 heads): 124 ms at 2150 tokens, 717 ms at 2170.
    expect(scoreTensorCliffTokens({ numAttentionHeads: 9, ...plainBucket })).toBe(2159);
    // The tiny preset (4 heads) and Llama-3.2-3B (24 heads).
    expect(scoreTensorCliffTokens({ numAttentionHeads: 4, ...plainBucket })).toBe(3239);
    expect(scoreTensorCliffTokens({ numAttentionHeads: 24, ...plainBucket })).toBe(1322);
  });

  it('does not exist for the fused graph or the simple cache', () => {
    expect(scoreTensorCliffTokens({ numAttentionHeads: 32, graph: 'fused', bufferCache: 'bucket' })).toBe(
      undefined,
    );
    expect(scoreTensorCliffTokens({ numAttentionHeads: 32, graph: 'plain', bufferCache: 'simple' })).toBe(
      undefined,
    );
  });
});

describe('notes on runs measured past the cliff', () => {
  const at = (promptTokens: number, gpuBuffersCreated: number | undefined, more = {}) =>
    trial({ promptTokens, gpuBuffersCreated, graph: 'plain', ortBufferCache: 'bucket', ...more });

  it('name the variant, the lengths past the cliff and the buffers created there as evidence', () => {
    const trials = [
      at(1144, 0),
      at(1144, 0),
      at(1145, 64),
      at(1145, 64),
      at(1145, 0, { phase: 'cold' }),
      at(2048, 128, { quantization: 'q4' }),
      at(2048, 128, { quantization: 'q4' }),
      at(1456, undefined, { quantization: 'q4' }),
    ];
    expect(scoreCliffNotes(trials, 32)).toEqual([
      {
        quantization: 'fp32',
        numAttentionHeads: 32,
        cliffTokens: 1145,
        lengthsPastCliff: [1145],
        buffersCreated: [{ promptTokens: 1145, buffersCreatedMedian: 64 }],
        belowCliff: { promptTokens: 1144, buffersCreatedMedian: 0 },
      },
      {
        quantization: 'q4',
        numAttentionHeads: 32,
        cliffTokens: 1145,
        lengthsPastCliff: [1456, 2048],
        buffersCreated: [{ promptTokens: 2048, buffersCreatedMedian: 128 }],
        belowCliff: undefined,
      },
    ]);
  });

  it('say nothing below the cliff, for fused graphs or for the simple cache', () => {
    expect(scoreCliffNotes([at(1144, 0)], 32)).toEqual([]);
    expect(scoreCliffNotes([at(2048, 0, { graph: 'fused' })], 32)).toEqual([]);
    expect(scoreCliffNotes([at(2048, 0, { ortBufferCache: 'simple' })], 32)).toEqual([]);
    // A prompt on top of a context has a wider score tensor: these notes speak of fresh prompts.
    expect(scoreCliffNotes([at(2048, 12, { depthTokens: 1024 })], 32)).toEqual([]);
  });

  it('compare with the longest length below the cliff, as measured on SwiftShader (tiny, 4 heads, plain q4)', () => {
    // Every prefill staged 4 uploads through fresh buffers; past the cliff 2 layers × 4 score-sized tensors more.
    const trials = [at(16, 4), at(3238, 4), at(3238, 4), at(3239, 12), at(3239, 12)];
    expect(scoreCliffNotes(trials, 4)).toEqual([
      {
        quantization: 'fp32',
        numAttentionHeads: 4,
        cliffTokens: 3239,
        lengthsPastCliff: [3239],
        buffersCreated: [{ promptTokens: 3239, buffersCreatedMedian: 12 }],
        belowCliff: { promptTokens: 3238, buffersCreatedMedian: 4 },
      },
    ]);
  });

  it('keep the prediction when the buffers counted show no creation (no evidence is not counter-evidence)', () => {
    const notes = scoreCliffNotes([at(1200, 0)], 32);
    expect(notes).toMatchObject([{ lengthsPastCliff: [1200], buffersCreated: [] }]);
    expect(cliffEvidence(notes[0]!)).toBeUndefined();
  });

  it('put the evidence in words', () => {
    const [note] = scoreCliffNotes([at(3238, 4), at(3239, 12), at(4096, 12)], 4);
    expect(cliffEvidence(note!)).toBe(
      'Measured: 12 GPU buffers created per prefill at 3239 tokens; 12 GPU buffers created per prefill at 4096 tokens, against 4 at 3238 tokens (medians of the timed runs).',
    );
  });
});
