import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { argmaxFloat32 } from '../bench/argmax';
import { BUILT_IN_QUANTIZATIONS, PRESETS } from './config';
import { buildLlamaOnnx, EXTERNAL_DATA_FILE } from './build';
import { activationType } from './llama-graph';
import { referenceLastLogits } from './reference';
import { estimateVariantBytes } from './size';
import { rewriteToLastPositionLogits } from './last-position-rewrite';
import { GraphBuilder, int } from './onnx-writer';
import {
  configureWasm,
  emptyPast,
  lastRow,
  maxAbsDifference,
  promptIds,
  run,
  SEED,
  session,
  SMALL,
  SMALL_TIED,
  toFloat32,
  toleranceOf,
} from './ort-session-fixture';

beforeAll(configureWasm);

describe.each([
  ['tiny', PRESETS.tiny.config],
  ['small GQA 3:1 with RoPE scaling', SMALL],
  ['small with tied embeddings', SMALL_TIED],
] as const)('%s: every variant computes the reference Llama forward pass', (_, config) => {
  it.each(BUILT_IN_QUANTIZATIONS)('%s', async (quantization) => {
    const model = buildLlamaOnnx(config, quantization, { seed: SEED });
    const ids = promptIds(config, 20);
    const { logits } = await run(await session(model), ids, 0, emptyPast(config, quantization));
    expect(logits.length).toBe(ids.length * config.vocabSize);
    const actual = lastRow(logits, config.vocabSize);
    const expected = referenceLastLogits(config, quantization, SEED, ids);
    const tolerance = toleranceOf(quantization);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(tolerance);
    // Greedy picks must agree wherever the reference's winner is clear of the runner-up by more than the
    // error bound; within it, the graph's pick must still be one of the reference's near-top tokens.
    const best = argmaxFloat32(expected);
    const runnerUp = expected.reduce((max, value, i) => (i === best ? max : Math.max(max, value)), -Infinity);
    if (expected[best]! - runnerUp > 2 * tolerance) expect(argmaxFloat32(actual)).toBe(best);
    else expect(expected[argmaxFloat32(actual)]!).toBeGreaterThan(expected[best]! - 2 * tolerance);
  });
});

describe('the seeded weights make a usable model', () => {
  it.each(BUILT_IN_QUANTIZATIONS)(
    '%s: logits spread with RMS ≈ 4 and different prompts pick different tokens',
    (quantization) => {
      for (const config of [PRESETS.tiny.config, SMALL_TIED]) {
        const picks = new Set<number>();
        for (let prompt = 0; prompt < 4; prompt++) {
          const ids = promptIds(config, 8).map((id) => (id + prompt * 31) % config.vocabSize);
          const logits = referenceLastLogits(config, quantization, SEED, ids);
          const rms = Math.sqrt(logits.reduce((sum, value) => sum + value * value, 0) / logits.length);
          expect(rms).toBeGreaterThan(3);
          expect(rms).toBeLessThan(5);
          picks.add(argmaxFloat32(logits));
        }
        expect(picks.size).toBeGreaterThanOrEqual(3);
      }
    },
  );
});

describe('LM head for the last position only', () => {
  it.each(['fp32', 'q4', 'int8'] as const)(
    "%s: logits [1, 1, vocab] equal the full graph's last row, in prefill and in decode",
    async (quantization) => {
      const config = SMALL;
      const full = await session(buildLlamaOnnx(config, quantization, { seed: SEED }));
      const last = await session(
        buildLlamaOnnx(config, quantization, { seed: SEED, lastPositionLogits: true }),
      );
      const ids = promptIds(config, 12);
      const fullRun = await run(full, ids, 0, emptyPast(config, quantization));
      const lastRun = await run(last, ids, 0, emptyPast(config, quantization));
      expect(lastRun.outputs['logits']!.dims).toEqual([1, 1, config.vocabSize]);
      // int8 quantizes the LM head's input per tensor: one row gets its own scale, so it differs within int8's
      // tolerance; the float variants are exact.
      const tolerance = quantization === 'int8' ? toleranceOf('int8') : 1e-5;
      expect(maxAbsDifference(lastRun.logits, lastRow(fullRun.logits, config.vocabSize))).toBeLessThan(
        tolerance,
      );
      // The KV cache is the same: a decode step on it gives the same logits too.
      const past = (outputs: ort.InferenceSession.OnnxValueMapType) =>
        Object.fromEntries(
          Object.entries(outputs)
            .filter(([name]) => name.startsWith('present.'))
            .map(([name, value]) => [name.replace('present.', 'past_key_values.'), value]),
        );
      const next = [argmaxFloat32(lastRun.logits)];
      const fullStep = await run(full, next, ids.length, past(fullRun.outputs));
      const lastStep = await run(last, next, ids.length, past(lastRun.outputs));
      expect(maxAbsDifference(lastStep.logits, fullStep.logits)).toBeLessThan(tolerance);
    },
  );
});

describe('last-position rewrite of an exported graph (for hub models)', () => {
  it.each(BUILT_IN_QUANTIZATIONS)(
    "%s: the rewritten graph's logits are [1, 1, vocab] and equal the builder's last-position graph",
    async (quantization) => {
      const config = SMALL;
      // fp32 as large exports ship it: weights in external data, which the rewrite leaves untouched.
      const exported = buildLlamaOnnx(config, quantization, {
        seed: SEED,
        externalData: quantization === 'fp32',
      });
      const rewrite = rewriteToLastPositionLogits(exported.modelBytes);
      if (!rewrite.ok) throw new Error(rewrite.reason);
      const rewritten = await session({ ...exported, modelBytes: rewrite.modelBytes });
      const full = await session(exported);
      const built = await session(
        buildLlamaOnnx(config, quantization, { seed: SEED, lastPositionLogits: true }),
      );
      const ids = promptIds(config, 12);
      const rewrittenRun = await run(rewritten, ids, 0, emptyPast(config, quantization));
      expect(rewrittenRun.outputs['logits']!.dims).toEqual([1, 1, config.vocabSize]);
      expect(rewritten.outputMetadata.find((o) => o.name === 'logits')).toMatchObject({
        shape: ['batch_size', 1, config.vocabSize],
      });
      // A one-row matrix multiply may round differently from a T-row one: a few float16 ulps at most.
      const rounding = activationType(quantization) === 'float16' ? 0.02 : 1e-5;
      const builtRun = await run(built, ids, 0, emptyPast(config, quantization));
      expect(maxAbsDifference(rewrittenRun.logits, builtRun.logits)).toBeLessThan(rounding);
      const fullRun = await run(full, ids, 0, emptyPast(config, quantization));
      // int8 quantizes the LM head's input per tensor, so one row gets its own scale (as in the builder's graph).
      const tolerance = quantization === 'int8' ? toleranceOf('int8') : rounding;
      const fullLastRow = lastRow(fullRun.logits, config.vocabSize);
      expect(maxAbsDifference(rewrittenRun.logits, fullLastRow)).toBeLessThan(tolerance);
      expect(argmaxFloat32(rewrittenRun.logits)).toBe(argmaxFloat32(fullLastRow));
    },
  );

  it('refuses graphs it cannot prove position-wise, saying why', () => {
    expect(rewriteToLastPositionLogits(new TextEncoder().encode('<html>not a model</html>'))).toMatchObject({
      ok: false,
    });
    const graph = new GraphBuilder();
    const x = graph.input({ name: 'input_ids', type: 'float', dims: ['batch', 'sequence', 4] });
    const w = graph.initializer('w', 'float', [4, 4], new Float32Array(16));
    const mixed = graph.op('Softmax', [graph.op('MatMul', [x, w])], { axis: int(1) });
    graph.node('Identity', [mixed], { outputs: ['logits'] });
    graph.output({ name: 'logits', type: 'float', dims: ['batch', 'sequence', 4] });
    const bytes = graph.encode({ graphName: 'softmax', opsets: [{ domain: '', version: 17 }] }).modelBytes;
    expect(rewriteToLastPositionLogits(bytes)).toEqual({
      ok: false,
      reason: 'logits come through a Softmax node, which may mix positions',
    });
    const old = graph.encode({ graphName: 'old', opsets: [{ domain: '', version: 9 }] }).modelBytes;
    expect(rewriteToLastPositionLogits(old)).toEqual({
      ok: false,
      reason: 'the graph uses ONNX opset 9; 10 or newer is needed',
    });
  });
});

describe('graph contract', () => {
  it('has the Hugging Face / onnx-community inputs and outputs', async () => {
    const s = await session(buildLlamaOnnx(SMALL, 'q4f16', { seed: SEED }));
    expect(s.inputNames.slice(0, 5)).toEqual([
      'input_ids',
      'attention_mask',
      'position_ids',
      'past_key_values.0.key',
      'past_key_values.0.value',
    ]);
    expect(s.outputNames.slice(0, 3)).toEqual(['logits', 'present.0.key', 'present.0.value']);
    expect(s.inputNames).toHaveLength(3 + 2 * SMALL.numLayers);
    const past = s.inputMetadata.find((value) => value.name === 'past_key_values.2.value');
    expect(past).toMatchObject({
      isTensor: true,
      type: 'float16',
      shape: ['batch_size', 2, 'past_sequence_length', 16],
    });
    const logits = s.outputMetadata.find((value) => value.name === 'logits');
    expect(logits).toMatchObject({
      isTensor: true,
      type: 'float16',
      shape: ['batch_size', 'sequence_length', 512],
    });
  });

  it('is deterministic in its seed', () => {
    const a = buildLlamaOnnx(SMALL, 'q4', { seed: 3 }).modelBytes;
    const b = buildLlamaOnnx(SMALL, 'q4', { seed: 3 }).modelBytes;
    const c = buildLlamaOnnx(SMALL, 'q4', { seed: 4 }).modelBytes;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('a decode step on the KV cache equals the same position of a full prefill', async () => {
    const s = await session(buildLlamaOnnx(SMALL, 'fp32', { seed: SEED }));
    const ids = promptIds(SMALL, 12);
    const full = await run(s, ids, 0, emptyPast(SMALL, 'fp32'));
    const prefix = await run(s, ids.slice(0, 11), 0, emptyPast(SMALL, 'fp32'));
    const past: Record<string, ort.Tensor> = {};
    for (let layer = 0; layer < SMALL.numLayers; layer++) {
      for (const part of ['key', 'value']) {
        const present = prefix.outputs[`present.${layer}.${part}`]!;
        expect(present.dims).toEqual([1, SMALL.numKeyValueHeads, 11, SMALL.headDim]);
        past[`past_key_values.${layer}.${part}`] = present as ort.Tensor;
      }
    }
    const step = await run(s, ids.slice(11), 11, past);
    expect(
      maxAbsDifference(lastRow(step.logits, SMALL.vocabSize), lastRow(full.logits, SMALL.vocabSize)),
    ).toBeLessThan(1e-4);
  });

  it('masks padded positions given by attention_mask', async () => {
    const s = await session(buildLlamaOnnx(SMALL, 'fp32', { seed: SEED }));
    const ids = promptIds(SMALL, 6);
    const plain = await run(s, ids, 0, emptyPast(SMALL, 'fp32'));
    // Left padding: a junk token with mask 0 in front must not change the last position's logits.
    const padded = await s.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from([5, ...ids], BigInt), [1, 7]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from([0n, 1n, 1n, 1n, 1n, 1n, 1n]), [1, 7]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from([0n, 0n, 1n, 2n, 3n, 4n, 5n]), [1, 7]),
      ...emptyPast(SMALL, 'fp32'),
    });
    const paddedLast = lastRow(toFloat32(padded['logits']!), SMALL.vocabSize);
    expect(maxAbsDifference(paddedLast, lastRow(plain.logits, SMALL.vocabSize))).toBeLessThan(1e-4);
  });

  it('external weights in model.onnx_data give the same logits as embedded ones', async () => {
    const embedded = buildLlamaOnnx(SMALL, 'q4', { seed: SEED });
    const external = buildLlamaOnnx(SMALL, 'q4', { seed: SEED, externalData: true });
    expect(external.externalData.map((file) => file.path)).toEqual([EXTERNAL_DATA_FILE]);
    expect(external.modelBytes.byteLength).toBeLessThan(embedded.modelBytes.byteLength / 4);
    const ids = promptIds(SMALL, 9);
    const a = await run(await session(embedded), ids, 0, emptyPast(SMALL, 'q4'));
    const b = await run(await session(external), ids, 0, emptyPast(SMALL, 'q4'));
    expect(maxAbsDifference(a.logits, b.logits)).toBe(0);
  });
});

describe('variant sizes', () => {
  it('the estimate shown before building is within 1% of the built tiny model', () => {
    for (const quantization of BUILT_IN_QUANTIZATIONS) {
      const built = buildLlamaOnnx(PRESETS.tiny.config, quantization, { seed: 1 }).modelBytes.byteLength;
      const estimate = estimateVariantBytes(PRESETS.tiny.config, quantization);
      expect(Math.abs(built - estimate) / built).toBeLessThan(0.01);
    }
  });

  it('real presets come out at their known sizes', () => {
    const gib = (bytes: number) => bytes / 2 ** 30;
    // Llama-3.2-1B has 1.24 B parameters; our graph stores the tied LM head separately (+0.26 B).
    expect(gib(estimateVariantBytes(PRESETS['llama-3.2-1b'].config, 'fp32'))).toBeCloseTo(5.57, 1);
    expect(gib(estimateVariantBytes(PRESETS['llama-3.2-1b'].config, 'q4f16'))).toBeGreaterThan(0.8);
    expect(gib(estimateVariantBytes(PRESETS['llama-3.2-1b'].config, 'q4f16'))).toBeLessThan(1.3);
    // Llama-3.1-8B: 8.03 B parameters in fp16 is about 15 GiB.
    expect(gib(estimateVariantBytes(PRESETS['llama-3.1-8b'].config, 'fp16'))).toBeCloseTo(14.96, 1);
  });
});
