import { describe, expect, it } from 'vitest';
import type { DecoderShape } from '../source/decoder-shape';
import { LLAMA_8B_DECODER } from '../source/decoder-shape-fixture';
import { openLocalFolder } from '../hub/local-folder';
import { inspectRepository, type InspectedModel } from '../hub/repository';
import { detectVariants } from '../hub/variants';
import { PRESETS } from '../model/config';
import { estimateVariantBytes } from '../model/size';
import { quantizationOptions, runnableQuantizations } from './quantization-options';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const SWIFTSHADER = { maxBufferSizeBytes: GiB, maxStorageBufferBindingSizeBytes: GiB, hasShaderF16: false };
const F16_REASON = 'Needs the WebGPU feature shader-f16, which this adapter does not have.';

function hubModel(files: readonly { path: string; bytes: number }[], decoder: DecoderShape): InspectedModel {
  return {
    repository: {
      ref: { kind: 'hub', id: 'org/model', revision: 'main', hubUrl: 'https://huggingface.co' },
      commit: 'abc',
      files,
      readFile: () => Promise.reject(new Error('not read in this test')),
    },
    variants: detectVariants(files),
    decoder,
    eosTokenIds: [],
    tokenizerFiles: { tokenizerJson: {}, tokenizerConfig: {} },
  };
}

describe('quantization options for each kind of model', () => {
  it('built-in: the builder levels with estimated sizes, judged by the same admission check', () => {
    const options = quantizationOptions({ kind: 'builtin', preset: 'tiny', graph: 'fused' }, SWIFTSHADER);
    expect(options.map((option) => [option.quantization, option.disabledReason])).toEqual([
      ['fp32', undefined],
      ['fp16', F16_REASON],
      ['int8', undefined],
      ['q4', undefined],
      ['q4f16', F16_REASON],
    ]);
    expect(options[0]).toMatchObject({ bytesExact: false });
    expect(options[0]!.bytes).toBe(estimateVariantBytes(PRESETS.tiny.config, 'fp32', 'fused'));
    const plain = quantizationOptions({ kind: 'builtin', preset: 'tiny', graph: 'plain' }, SWIFTSHADER);
    expect(plain[0]!.bytes).toBe(estimateVariantBytes(PRESETS.tiny.config, 'fp32', 'plain'));
    expect(plain[0]!.bytes).toBeLessThan(options[0]!.bytes);
    // The storage-binding limit applies to built-ins too: tiny's embedding table is 31.3 MiB in float32,
    // 15.7 MiB in the float16 levels.
    const narrow = quantizationOptions(
      { kind: 'builtin', preset: 'tiny', graph: 'fused' },
      { ...SWIFTSHADER, hasShaderF16: true, maxStorageBufferBindingSizeBytes: 16 * MiB },
    );
    expect(narrow.filter((option) => option.disabledReason !== undefined).map((o) => o.quantization)).toEqual(
      ['fp32', 'int8', 'q4'],
    );
    expect(narrow[0]!.disabledReason).toMatch(/maxStorageBufferBindingSize \(16\.0 MiB\)\.$/);
  });

  it('hub: the repository levels with exact download sizes', () => {
    const model = hubModel(
      [
        { path: 'onnx/model.onnx', bytes: 2 * MiB },
        { path: 'onnx/model.onnx_data', bytes: 30 * GiB },
        { path: 'onnx/model_int8.onnx', bytes: Math.round(8.1 * GiB) },
        { path: 'onnx/model_q4f16.onnx', bytes: 5 * GiB },
      ],
      LLAMA_8B_DECODER,
    );
    const options = quantizationOptions({ kind: 'repository', inspected: model }, SWIFTSHADER);
    expect(options.map((option) => [option.quantization, option.bytes, option.bytesExact])).toEqual([
      ['fp32', 2 * MiB + 30 * GiB, true],
      ['int8', Math.round(8.1 * GiB), true],
      ['q4f16', 5 * GiB, true],
    ]);
    expect(options[0]!.disabledReason).toMatch(
      /^Cannot fit: its embedding table \(128256 × 4096, about 1\.96 GiB\)/,
    );
    expect(options[1]!.disabledReason).toMatch(/^onnx\/model_int8\.onnx is 8\.10 GiB in one file/);
    expect(options[2]!.disabledReason).toBe(F16_REASON);
  });

  it('folder: an older Xenova export read from disk, sizes from the files', async () => {
    const config = {
      model_type: 'llama',
      num_hidden_layers: 2,
      hidden_size: 64,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      intermediate_size: 128,
      vocab_size: 128256,
    };
    const entry = (path: string, content: BlobPart) => ({ path, file: new File([content], path) });
    const folder = openLocalFolder('tiny-export', [
      entry('config.json', JSON.stringify(config)),
      entry('tokenizer.json', '{}'),
      entry('onnx/decoder_model_merged.onnx', new Uint8Array(3000)),
      entry('onnx/decoder_model_merged_quantized.onnx', new Uint8Array(1000)),
    ]);
    const inspected = await inspectRepository(folder, new AbortController().signal);
    // 128256 × 64 embedding: 31.3 MiB as float32 (fp32), 7.8 MiB as 8-bit (quantized).
    const adapter = { ...SWIFTSHADER, maxBufferSizeBytes: 16 * MiB };
    const options = quantizationOptions({ kind: 'repository', inspected }, adapter);
    expect(options.map((option) => [option.quantization, option.bytes])).toEqual([
      ['fp32', 3000],
      ['quantized', 1000],
    ]);
    expect(options[0]!.disabledReason).toBe(
      "Cannot fit: its embedding table (128256 × 64, about 31.3 MiB) is larger than this adapter's maxBufferSize (16.0 MiB).",
    );
    expect(options[1]!.disabledReason).toBeUndefined();
  });

  it('offers nothing before a repository is read; before the adapter is known it disables only what no adapter runs', () => {
    expect(quantizationOptions({ kind: 'repository', inspected: undefined }, SWIFTSHADER)).toEqual([]);
    const tiny = quantizationOptions({ kind: 'builtin', preset: 'tiny', graph: 'fused' }, undefined);
    expect(tiny.every((option) => option.disabledReason === undefined)).toBe(true);
    // Llama-3.1-8B fp32 writes ~30 GiB of weights in one file: no browser hands that to a worker.
    const eightB = quantizationOptions(
      { kind: 'builtin', preset: 'llama-3.1-8b', graph: 'fused' },
      undefined,
    );
    expect(eightB.find((option) => option.quantization === 'fp32')?.disabledReason).toMatch(
      /at most 2 GiB in one piece/,
    );
  });

  it('keeps only the selected levels this model has and this adapter runs', () => {
    const options = quantizationOptions({ kind: 'builtin', preset: 'tiny', graph: 'fused' }, SWIFTSHADER);
    expect(runnableQuantizations(['fp32', 'fp16', 'q4', 'bnb4'], options)).toEqual(['fp32', 'q4']);
  });
});
