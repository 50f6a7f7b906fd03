import { describe, expect, it } from 'vitest';
import { PRESETS } from '../model/config';
import { describeBuiltInVariant, whyVariantCannotRun, type VariantDescription } from './admission';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
/** SwiftShader's limits in the e2e runs: 1 GiB buffers and bindings, no shader-f16. */
const SWIFTSHADER = { maxBufferSizeBytes: GiB, maxStorageBufferBindingSizeBytes: GiB, hasShaderF16: false };
const WITH_F16 = { ...SWIFTSHADER, hasShaderF16: true };

const variant = (overrides: Partial<VariantDescription> = {}): VariantDescription => ({
  activationType: 'float',
  largestTensor: { name: 'embedding table', shape: [128256, 2048], bytes: 128256 * 2048, estimated: true },
  totalBytes: 1.2 * GiB,
  ...overrides,
});

describe('can this variant run on this adapter', () => {
  it('admits a variant whose largest tensor fits both limits, up to the last byte', () => {
    expect(whyVariantCannotRun(variant(), SWIFTSHADER)).toBeUndefined();
    const atLimit = variant({ largestTensor: { name: 'LM head', shape: [1], bytes: GiB, estimated: false } });
    expect(whyVariantCannotRun(atLimit, SWIFTSHADER)).toBeUndefined();
  });

  it('refuses float16 activations without shader-f16, before anything else', () => {
    const half = variant({
      activationType: 'float16',
      modelFile: { path: 'onnx/model_fp16.onnx', bytes: 3 * GiB },
    });
    expect(whyVariantCannotRun(half, SWIFTSHADER)).toBe(
      'Needs the WebGPU feature shader-f16, which this adapter does not have.',
    );
    expect(whyVariantCannotRun(variant({ activationType: 'float16' }), WITH_F16)).toBeUndefined();
  });

  it("refuses one .onnx file over protobuf's 2 GiB, naming it", () => {
    const big = variant({ modelFile: { path: 'onnx/model_int8.onnx', bytes: 2 ** 31 + 5 } });
    expect(whyVariantCannotRun(big, SWIFTSHADER)).toBe(
      'onnx/model_int8.onnx is 2.00 GiB in one file; ONNX files over 2 GiB cannot be loaded (the weights must be in .onnx_data files).',
    );
    expect(
      whyVariantCannotRun(
        variant({ modelFile: { path: 'onnx/model.onnx', bytes: 2 ** 31 - 1 } }),
        SWIFTSHADER,
      ),
    ).toBeUndefined();
  });

  it('names the tighter of maxBufferSize and maxStorageBufferBindingSize', () => {
    const tensor = {
      name: 'embedding table',
      shape: [128256, 4096],
      bytes: 128256 * 4096 * 4,
      estimated: true,
    };
    expect(whyVariantCannotRun(variant({ largestTensor: tensor }), SWIFTSHADER)).toBe(
      "Cannot fit: its embedding table (128256 × 4096, about 1.96 GiB) is larger than this adapter's maxBufferSize (1.00 GiB).",
    );
    const narrowBinding = {
      ...SWIFTSHADER,
      maxBufferSizeBytes: 4 * GiB,
      maxStorageBufferBindingSizeBytes: 128 * MiB,
    };
    expect(whyVariantCannotRun(variant(), narrowBinding)).toBe(
      "Cannot fit: its embedding table (128256 × 2048, about 250.5 MiB) is larger than this adapter's maxStorageBufferBindingSize (128.0 MiB).",
    );
  });
});

describe('built-in variants, described from their shapes', () => {
  const tiny = PRESETS.tiny.config;

  it('carry their exact largest weight and activation type', () => {
    // The embedding is stored in the activation type in every level: 128256 × 64 × 4 bytes in fp32 and int8.
    expect(describeBuiltInVariant(tiny, 'int8', 'plain')).toMatchObject({
      activationType: 'float',
      largestTensor: {
        name: 'embedding table',
        shape: [128256, 64],
        bytes: 128256 * 64 * 4,
        estimated: false,
      },
    });
    expect(describeBuiltInVariant(tiny, 'q4f16', 'plain')).toMatchObject({
      activationType: 'float16',
      largestTensor: { name: 'embedding table', bytes: 128256 * 64 * 2 },
    });
    expect(describeBuiltInVariant(tiny, 'fp32', 'plain').modelFile).toBeUndefined();
  });

  it('are checked against maxStorageBufferBindingSize too, not only maxBufferSize', () => {
    const narrowBinding = { ...SWIFTSHADER, maxStorageBufferBindingSizeBytes: 16 * MiB };
    expect(whyVariantCannotRun(describeBuiltInVariant(tiny, 'q4', 'plain'), SWIFTSHADER)).toBeUndefined();
    expect(whyVariantCannotRun(describeBuiltInVariant(tiny, 'q4', 'plain'), narrowBinding)).toBe(
      "Cannot fit: its embedding table (128256 × 64, 31.3 MiB) is larger than this adapter's maxStorageBufferBindingSize (16.0 MiB).",
    );
  });

  it("count the fused form's rotary tables, and name one when it is the largest tensor", () => {
    // Two tables [max_position_embeddings, head_dim / 2] in the activation type: 8192 × 8 × 4 bytes each for tiny.
    const tables = 2 * 8192 * 8 * 4;
    const plain = describeBuiltInVariant(tiny, 'q4', 'plain');
    const fused = describeBuiltInVariant(tiny, 'q4', 'fused');
    expect(fused.totalBytes - plain.totalBytes).toBe(tables);
    expect(fused.largestTensor).toEqual(plain.largestTensor);
    const longContext = { ...tiny, maxPositionEmbeddings: 2 ** 20 };
    expect(describeBuiltInVariant(longContext, 'fp32', 'fused').largestTensor).toEqual({
      name: 'rotary cos/sin table',
      shape: [2 ** 20, 8],
      bytes: 2 ** 20 * 8 * 4,
      estimated: false,
    });
  });

  it('of a large preset do not fit a 1 GiB buffer in fp32', () => {
    const reason = whyVariantCannotRun(
      describeBuiltInVariant(PRESETS['llama-3.1-8b'].config, 'fp32', 'fused'),
      WITH_F16,
    );
    // The embedding and the untied LM head are the same size; the embedding comes first.
    expect(reason).toBe(
      "Cannot fit: its embedding table (128256 × 4096, 1.96 GiB) is larger than this adapter's maxBufferSize (1.00 GiB).",
    );
  });
});
