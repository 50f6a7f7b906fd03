/**
 * The static-KV form of the fused graph (kvCache: 'static', what graph capture runs) against the growing form of
 * the same weights, through onnxruntime-web's wasm backend: the same logits in prefill and over decode steps that
 * feed each form its own cache. On the CPU past and present are separate buffers (only WebGPU shares them), so
 * this holds the graph's mask arithmetic and cache layout, not the in-place write.
 */
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { argmaxFloat32 } from '../bench/argmax';
import { buildLlamaOnnx } from './build';
import { BUILT_IN_QUANTIZATIONS, PRESETS, type BuiltInQuantization, type LlamaConfig } from './config';
import { activationType } from './llama-graph';
import { decodeOnnxModel } from './onnx-read';
import type { KvCacheLayout } from './llama-fused-graph';
import type { QkvProjection } from './graph-form';
import {
  configureWasm,
  emptyPast,
  lastRow,
  maxAbsDifference,
  pastFrom,
  promptIds,
  run,
  SEED,
  session,
  SMALL,
  toFloat32,
  type Past,
} from './ort-session-fixture';

beforeAll(configureWasm);

const PROMPT_TOKENS = 12;
const DECODE_STEPS = 3;
/** Room for the prompt, the decode steps and one slot that stays empty (zeros in the mask to the end). */
const CAPACITY = PROMPT_TOKENS + DECODE_STEPS + 1;

/**
 * Largest |static − growing| logit or cache value allowed. Both forms run the same kernels on the same values;
 * only the mask lengths are computed another way (measured with onnxruntime-web 1.30's wasm backend: max |Δ| 0
 * on every level, SMALL and tiny).
 */
const SAME_LOGITS = 1e-6;

const fused = (
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  kvCache: KvCacheLayout,
  qkv: QkvProjection = 'separate',
) =>
  buildLlamaOnnx(config, quantization, { seed: SEED, form: 'fused', kvCache, lastPositionLogits: true, qkv });

/** A zeroed cache of `capacity` positions for every layer, what a static session starts from. */
function zeroedCache(config: LlamaConfig, quantization: BuiltInQuantization, capacity: number): Past {
  const dims = [1, config.numKeyValueHeads, capacity, config.headDim];
  const size = dims.reduce((product, dim) => product * dim, 1);
  const feeds: Past = {};
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const part of ['key', 'value']) {
      feeds[`past_key_values.${layer}.${part}`] =
        activationType(quantization) === 'float16'
          ? new ort.Tensor('float16', new Uint16Array(size), dims)
          : new ort.Tensor('float32', new Float32Array(size), dims);
    }
  }
  return feeds;
}

/** `ids` after `heldTokens` cached ones, with a capacity-long mask: ones for the tokens held, zeros after. */
async function runStatic(
  s: ort.InferenceSession,
  ids: readonly number[],
  heldTokens: number,
  past: Past,
): Promise<ort.InferenceSession.OnnxValueMapType> {
  const mask = new BigInt64Array(CAPACITY).fill(1n, 0, heldTokens + ids.length);
  return s.run({
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
    attention_mask: new ort.Tensor('int64', mask, [1, CAPACITY]),
    ...past,
  });
}

/** The first `tokens` positions of a [1, kv_heads, length, head_dim] cache, as float32. */
function heldPositions(tensor: ort.Tensor, tokens: number): Float32Array {
  const [, heads, length, headDim] = tensor.dims as [number, number, number, number];
  const values = toFloat32(tensor);
  const held = new Float32Array(heads * tokens * headDim);
  for (let head = 0; head < heads; head++) {
    const from = head * length * headDim;
    held.set(values.subarray(from, from + tokens * headDim), head * tokens * headDim);
  }
  return held;
}

describe.each([
  ['small GQA 3:1 with RoPE scaling', SMALL],
  ['tiny', PRESETS.tiny.config],
] as const)('%s: the static-KV fused form computes what the growing form does', (_, config) => {
  it.each(BUILT_IN_QUANTIZATIONS)(
    '%s: the same prefill logits, then the same logits over decode steps on the static cache',
    async (quantization) => {
      const growing = await session(fused(config, quantization, 'growing'));
      const fixed = await session(fused(config, quantization, 'static'));
      const ids = promptIds(config, PROMPT_TOKENS);
      const compare = (a: Float32Array, b: Float32Array) =>
        expect(maxAbsDifference(a, b)).toBeLessThan(SAME_LOGITS);

      const growingPrefill = await run(growing, ids, 0, emptyPast(config, quantization));
      const staticPrefill = await runStatic(fixed, ids, 0, zeroedCache(config, quantization, CAPACITY));
      expect(staticPrefill['present.0.key']!.dims).toEqual([
        1,
        config.numKeyValueHeads,
        CAPACITY,
        config.headDim,
      ]);
      compare(toFloat32(staticPrefill['logits']!), lastRow(growingPrefill.logits, config.vocabSize));

      let growingPast = pastFrom(growingPrefill.outputs);
      let staticPast = pastFrom(staticPrefill);
      let next = argmaxFloat32(growingPrefill.logits);
      for (let step = 0; step < DECODE_STEPS; step++) {
        const held = PROMPT_TOKENS + step;
        const growingStep = await run(growing, [next], held, growingPast);
        const staticStep = await runStatic(fixed, [next], held, staticPast);
        compare(toFloat32(staticStep['logits']!), growingStep.logits);
        // The static cache keeps its capacity, and its first held + 1 positions are the growing cache.
        for (const cache of ['present.0.key', `present.${config.numLayers - 1}.value`]) {
          const staticCache = staticStep[cache]!;
          expect(staticCache.dims).toEqual([1, config.numKeyValueHeads, CAPACITY, config.headDim]);
          const growingCache = growingStep.outputs[cache]!;
          expect(growingCache.dims[2]).toBe(held + 1);
          compare(heldPositions(staticCache, held + 1), toFloat32(growingCache));
        }
        growingPast = pastFrom(growingStep.outputs);
        staticPast = pastFrom(staticStep);
        next = argmaxFloat32(growingStep.logits);
      }
    },
  );
});

describe('packed q/k/v projections on the static cache (what graph capture builds by default)', () => {
  it.each(['fp32', 'fp16', 'int8'] as const)(
    "%s: the packed static form gives the separate growing form's logits in prefill and over decode steps",
    async (quantization) => {
      const config = SMALL;
      const growing = await session(fused(config, quantization, 'growing'));
      const packed = await session(fused(config, quantization, 'static', 'packed'));
      const ids = promptIds(config, PROMPT_TOKENS);
      const growingPrefill = await run(growing, ids, 0, emptyPast(config, quantization));
      const packedPrefill = await runStatic(packed, ids, 0, zeroedCache(config, quantization, CAPACITY));
      expect(
        maxAbsDifference(
          toFloat32(packedPrefill['logits']!),
          lastRow(growingPrefill.logits, config.vocabSize),
        ),
      ).toBeLessThan(1e-5);
      let growingPast = pastFrom(growingPrefill.outputs);
      let packedPast = pastFrom(packedPrefill);
      let next = argmaxFloat32(growingPrefill.logits);
      for (let step = 0; step < DECODE_STEPS; step++) {
        const held = PROMPT_TOKENS + step;
        const growingStep = await run(growing, [next], held, growingPast);
        const packedStep = await runStatic(packed, [next], held, packedPast);
        expect(maxAbsDifference(toFloat32(packedStep['logits']!), growingStep.logits)).toBeLessThan(1e-5);
        growingPast = pastFrom(growingStep.outputs);
        packedPast = pastFrom(packedStep);
        next = argmaxFloat32(growingStep.logits);
      }
    },
  );
});

describe('a static cache reused from an earlier trial', () => {
  // A captured decoder keeps its KV buffers across trials: the next prefill runs on positions an earlier prompt
  // and its decode steps wrote, and only the mask says they are gone.
  it.each(['fp32', 'q4f16'] as const)(
    '%s: what lies beyond the mask changes neither the prefill nor the decode step after it',
    async (quantization) => {
      const growing = await session(fused(SMALL, quantization, 'growing'));
      const fixed = await session(fused(SMALL, quantization, 'static'));
      const earlier = promptIds(SMALL, PROMPT_TOKENS).map((id) => (id * 31 + 5) % SMALL.vocabSize);
      let stale = pastFrom(await runStatic(fixed, earlier, 0, zeroedCache(SMALL, quantization, CAPACITY)));
      for (let step = 0; step < DECODE_STEPS; step++) {
        stale = pastFrom(await runStatic(fixed, [step + 1], PROMPT_TOKENS + step, stale));
      }

      const ids = promptIds(SMALL, PROMPT_TOKENS);
      const growingPrefill = await run(growing, ids, 0, emptyPast(SMALL, quantization));
      const staticPrefill = await runStatic(fixed, ids, 0, stale);
      const prefillLogits = toFloat32(staticPrefill['logits']!);
      expect(maxAbsDifference(prefillLogits, lastRow(growingPrefill.logits, SMALL.vocabSize))).toBeLessThan(
        SAME_LOGITS,
      );
      const next = [argmaxFloat32(prefillLogits)];
      const growingStep = await run(growing, next, PROMPT_TOKENS, pastFrom(growingPrefill.outputs));
      const staticStep = await runStatic(fixed, next, PROMPT_TOKENS, pastFrom(staticPrefill));
      expect(maxAbsDifference(toFloat32(staticStep['logits']!), growingStep.logits)).toBeLessThan(
        SAME_LOGITS,
      );
    },
  );
});

describe('the static-KV graph contract', () => {
  it.each(['fp32', 'q4f16'] as const)(
    '%s: past and present share the capacity dimension; the mask is as long as the cache',
    async (quantization) => {
      const s = await session(fused(SMALL, quantization, 'static'));
      const type = activationType(quantization) === 'float16' ? 'float16' : 'float32';
      const cacheShape = ['batch_size', SMALL.numKeyValueHeads, 'max_sequence_length', SMALL.headDim];
      for (let layer = 0; layer < SMALL.numLayers; layer++) {
        for (const part of ['key', 'value']) {
          expect(
            s.inputMetadata.find((value) => value.name === `past_key_values.${layer}.${part}`),
          ).toMatchObject({ type, shape: cacheShape });
          expect(s.outputMetadata.find((value) => value.name === `present.${layer}.${part}`)).toMatchObject({
            type,
            shape: cacheShape,
          });
        }
      }
      expect(s.inputMetadata.find((value) => value.name === 'attention_mask')).toMatchObject({
        type: 'int64',
        shape: ['batch_size', 'total_sequence_length'],
      });
      // The growing form keeps Hugging Face's names: past and present lengths differ.
      const growing = await session(fused(SMALL, quantization, 'growing'));
      expect(growing.inputMetadata.find((value) => value.name === 'past_key_values.0.key')).toMatchObject({
        shape: ['batch_size', SMALL.numKeyValueHeads, 'past_sequence_length', SMALL.headDim],
      });
      expect(growing.outputMetadata.find((value) => value.name === 'present.0.key')).toMatchObject({
        shape: ['batch_size', SMALL.numKeyValueHeads, 'total_sequence_length', SMALL.headDim],
      });
    },
  );

  it("takes the mask lengths from the mask's values, never from its shape", () => {
    // On the CPU a total taken from the mask's length (the capacity) gives the same logits, so the graph itself
    // is checked: capture wants every node on the GPU, and a Shape node's output is a CPU tensor.
    // onnxruntime-genai's graph-capture mask subgraph computes the lengths the same way.
    const decoded = decodeOnnxModel(fused(SMALL, 'q4', 'static').modelBytes);
    if (!decoded.ok) throw new Error(decoded.reason);
    const nodes = decoded.model.graph?.node ?? [];
    const producer = (tensor: string) => nodes.find((node) => node.output?.includes(tensor));
    const chain = (tensor: string, depth: number): string[] => {
      const node = producer(tensor);
      if (node === undefined || depth === 0) return [];
      return [node.opType ?? '', ...chain(node.input![0]!, depth - 1)];
    };
    expect(nodes.filter((node) => node.opType === 'Shape')).toEqual([]);
    const attention = nodes.filter((node) => node.opType === 'GroupQueryAttention');
    expect(attention).toHaveLength(SMALL.numLayers);
    for (const node of attention) {
      // seqlens_k = sum(int32(mask)) − 1; total_sequence_length = max over the batch of sum(int32(mask)).
      expect(chain(node.input![5]!, 3)).toEqual(['Sub', 'ReduceSum', 'Cast']);
      expect(chain(node.input![6]!, 3)).toEqual(['ReduceMax', 'ReduceSum', 'Cast']);
    }
    const cast = nodes.find((node) => node.opType === 'Cast')!;
    expect(cast.input).toEqual(['attention_mask']);
    // TensorProto INT32: GroupQueryAttention's length inputs are int32.
    expect(Number(cast.attribute?.find((attribute) => attribute.name === 'to')?.i)).toBe(6);
    // The growing form reads the total from the mask's shape, as Hugging Face exports do.
    const growing = decodeOnnxModel(fused(SMALL, 'q4', 'growing').modelBytes);
    if (!growing.ok) throw new Error(growing.reason);
    expect((growing.model.graph?.node ?? []).filter((node) => node.opType === 'Shape')).toHaveLength(1);
  });

  it('leaves the growing form byte for byte what the builder wrote before the option', () => {
    for (const form of ['fused', 'plain'] as const) {
      const asked = buildLlamaOnnx(SMALL, 'q4', { seed: SEED, form, kvCache: 'growing' }).modelBytes;
      const unasked = buildLlamaOnnx(SMALL, 'q4', { seed: SEED, form }).modelBytes;
      expect(Buffer.from(asked).equals(Buffer.from(unasked)), form).toBe(true);
    }
  });

  it('is refused for the plain form, asked for or by default', () => {
    const message = 'a static KV cache needs the fused form (GroupQueryAttention)';
    expect(() => buildLlamaOnnx(SMALL, 'fp32', { seed: SEED, form: 'plain', kvCache: 'static' })).toThrow(
      message,
    );
    expect(() => buildLlamaOnnx(SMALL, 'fp32', { seed: SEED, kvCache: 'static' })).toThrow(message);
  });
});
