import { beforeAll, describe, expect, it } from 'vitest';
import type { DecoderIo } from '../source/decoder-io';
import { decoderFeeds, kvCacheOf, type KvCache } from './decoder-feeds';
import { loadOrt, type ort } from './ort-webgpu';

const io: DecoderIo = {
  numLayers: 1,
  numKeyValueHeads: 2,
  headDim: 4,
  kvDataType: 'float32',
  lmHead: 'all',
  logitsDataType: 'float32',
  hasPositionIds: true,
  hasUseCacheBranch: true,
  vocabSize: 10,
  pastInputNames: ['past_key_values.0.key', 'past_key_values.0.value'],
};

let Tensor: typeof ort.Tensor;
beforeAll(async () => {
  ({ Tensor } = await loadOrt('asyncify'));
});

const values = (tensor: ort.Tensor | undefined) => [...(tensor?.data as BigInt64Array)].map(Number);

describe('decoder inputs', () => {
  it('for a fresh prompt: positions from 0, a mask over the prompt, an empty cache', () => {
    const feeds = decoderFeeds(io, { tokenIds: [5, 6, 7], pastTokens: 0, past: undefined });
    expect(values(feeds['input_ids'])).toEqual([5, 6, 7]);
    expect(values(feeds['position_ids'])).toEqual([0, 1, 2]);
    expect(feeds['attention_mask']!.dims).toEqual([1, 3]);
    expect([...(feeds['use_cache_branch']!.data as Uint8Array)]).toEqual([0]);
    expect(feeds['past_key_values.0.key']!.dims).toEqual([1, 2, 0, 4]);
  });

  it('on top of a context of 256 tokens: positions continue from it, the mask covers both, the cache is fed as is', () => {
    const cache: KvCache = Object.fromEntries(
      io.pastInputNames.map((name) => [
        name,
        new Tensor('float32', new Float32Array(2 * 256 * 4), [1, 2, 256, 4]),
      ]),
    );
    const feeds = decoderFeeds(io, { tokenIds: [5, 6], pastTokens: 256, past: cache });
    expect(values(feeds['position_ids'])).toEqual([256, 257]);
    expect(feeds['attention_mask']!.dims).toEqual([1, 258]);
    expect(values(feeds['attention_mask']).every((value) => value === 1)).toBe(true);
    expect([...(feeds['use_cache_branch']!.data as Uint8Array)]).toEqual([1]);
    expect(feeds['past_key_values.0.value']).toBe(cache['past_key_values.0.value']);
    expect(() => decoderFeeds(io, { tokenIds: [5], pastTokens: 256, past: undefined })).toThrow(
      'a KV cache of 256 tokens needs its tensors',
    );
  });

  it("takes a run's present outputs as the next run's cache, and says which one is missing", () => {
    const present = new Tensor('float32', new Float32Array(8), [1, 2, 1, 4]);
    const cache = kvCacheOf(io, { 'present.0.key': present, 'present.0.value': present });
    expect(Object.keys(cache)).toEqual(io.pastInputNames);
    expect(() => kvCacheOf(io, { 'present.0.key': present })).toThrow(
      'the model returned no present.0.value',
    );
  });
});
