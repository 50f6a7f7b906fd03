import { describe, expect, it } from 'vitest';
import { LLAMA_8B_DECODER } from '../source/decoder-shape-fixture';
import { variantDisabledReason } from './variant-limits';
import type { ModelVariant } from './variants';

const variant = (quantization: ModelVariant['quantization'], modelBytes = 1e6): ModelVariant => ({
  quantization,
  modelFile: { path: 'onnx/model.onnx', bytes: modelBytes },
  externalDataFiles: [],
  totalBytes: modelBytes,
});
const SWIFTSHADER = {
  maxBufferSizeBytes: 2 ** 30,
  maxStorageBufferBindingSizeBytes: 2 ** 30,
  hasShaderF16: false,
};

describe('can this variant fit this adapter', () => {
  it('disables fp16 variants without shader-f16, with the reason', () => {
    expect(variantDisabledReason(variant('fp16'), LLAMA_8B_DECODER, SWIFTSHADER)).toMatch(/shader-f16/);
    expect(variantDisabledReason(variant('q4f16'), LLAMA_8B_DECODER, SWIFTSHADER)).toMatch(/shader-f16/);
  });

  it('says plainly when the embedding table exceeds the binding limit', () => {
    // 128256 × 4096 × 4 bytes ≈ 1.96 GiB in fp32 and q4 (float embedding); 1 byte each in int8 ≈ 0.49 GiB.
    expect(variantDisabledReason(variant('fp32'), LLAMA_8B_DECODER, SWIFTSHADER)).toMatch(
      /Cannot fit: its embedding table \(128256 × 4096, about 1\.96 GiB\).*maxBufferSize \(1\.00 GiB\)/,
    );
    expect(variantDisabledReason(variant('int8'), LLAMA_8B_DECODER, SWIFTSHADER)).toBeUndefined();
    const smallBinding = { ...SWIFTSHADER, maxStorageBufferBindingSizeBytes: 128 * 2 ** 20 };
    expect(variantDisabledReason(variant('int8'), LLAMA_8B_DECODER, smallBinding)).toMatch(
      /maxStorageBufferBindingSize/,
    );
  });

  it("refuses single .onnx files over protobuf's 2 GiB", () => {
    const big = { ...SWIFTSHADER, maxBufferSizeBytes: 2 ** 34, maxStorageBufferBindingSizeBytes: 2 ** 34 };
    expect(variantDisabledReason(variant('int8', 2 ** 31 + 5), LLAMA_8B_DECODER, big)).toMatch(/over 2 GiB/);
    expect(variantDisabledReason(variant('int8', 2 ** 30), LLAMA_8B_DECODER, big)).toBeUndefined();
  });
});
