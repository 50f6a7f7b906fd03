import { describe, expect, it } from 'vitest';
import {
  parsePublishConfig,
  uploadChunks,
  uploadChunkUrl,
  uploadRepositoryUrl,
  UPLOAD_CHUNK_BYTES,
} from './publish-config';

const HUB = 'http://127.0.0.1:8812';

describe('parsePublishConfig', () => {
  it('completes a minimal configuration with the defaults: plain graph, every-position LM head, seed 1', () => {
    const parsed = parsePublishConfig({
      hubUrl: `${HUB}/`,
      modelId: 'ttft-race/llama-3.2-1b',
      preset: 'llama-3.2-1b',
      quantizations: ['q4'],
    });
    expect(parsed).toEqual({
      ok: true,
      config: {
        hubUrl: HUB,
        modelId: 'ttft-race/llama-3.2-1b',
        preset: 'llama-3.2-1b',
        quantizations: ['q4'],
        graph: 'plain',
        lmHead: 'all',
        weightSeed: 1,
      },
    });
  });

  it.each([
    [{ hubUrl: 'https://huggingface.co' }, /hubUrl: uploads go to a loopback hub only/],
    [{ hubUrl: 'http://10.0.0.1:8812' }, /loopback/],
    [{ modelId: '../etc' }, /^Invalid publish configuration: modelId/],
    [{ preset: 'gpt-2' }, /preset/],
    [{ quantizations: ['q4', 'q4'] }, /quantization levels repeat/],
    [{ quantizations: [] }, /quantizations/],
    // Hub-only levels have no builder.
    [{ quantizations: ['bnb4'] }, /quantizations/],
    [{ lmHead: 'first' }, /lmHead/],
    [{ weightSeed: -1 }, /weightSeed/],
    [{ extra: true }, /Unrecognized key/],
  ])('refuses %j', (change, message) => {
    const parsed = parsePublishConfig({
      hubUrl: HUB,
      modelId: 'org/name',
      preset: 'tiny',
      quantizations: ['q4'],
      ...change,
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('publishes either graph form and refuses one the builder does not write', () => {
    const base = { hubUrl: HUB, modelId: 'org/name', preset: 'tiny', quantizations: ['q4'] };
    const fused = parsePublishConfig({ ...base, graph: 'fused' });
    expect(fused.ok && fused.config.graph).toBe('fused');
    const other = parsePublishConfig({ ...base, graph: 'flash' });
    expect(other).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Invalid publish configuration: graph/),
    });
  });
});

describe('the upload protocol', () => {
  it('cuts a file into consecutive chunks of at most the chunk size, covering every byte once', () => {
    expect(uploadChunks(10, 4)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 8 },
      { start: 8, end: 10 },
    ]);
    expect(uploadChunks(8, 4)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 8 },
    ]);
    expect(uploadChunks(0)).toEqual([{ start: 0, end: 0 }]);
    const big = uploadChunks(1739 * 2 ** 20);
    expect(big).toHaveLength(28);
    expect(big.every((chunk) => chunk.end - chunk.start <= UPLOAD_CHUNK_BYTES)).toBe(true);
    expect(big.at(-1)!.end).toBe(1739 * 2 ** 20);
    expect(() => uploadChunks(-1)).toThrow();
    expect(() => uploadChunks(5, 0)).toThrow();
  });

  it("names the staging area and each chunk under the hub's _upload prefix, segments escaped", () => {
    expect(uploadRepositoryUrl(HUB, 'ttft-race/tiny')).toBe(`${HUB}/_upload/ttft-race/tiny`);
    expect(
      uploadChunkUrl(HUB, 'ttft-race/tiny', 'onnx/model q4.onnx', { start: 64, end: 128, totalBytes: 200 }),
    ).toBe(`${HUB}/_upload/ttft-race/tiny/onnx/model%20q4.onnx?offset=64&total=200`);
  });
});
