import { describe, expect, it } from 'vitest';
import { QUANTIZATION_LEVELS, QUANTIZATIONS } from '../model/quantization';
import { detectVariants, externalDataLocation } from './variants';

const file = (path: string, bytes = 100) => ({ path, bytes });

describe('variant detection from a repository listing', () => {
  it('finds every onnx-community suffix with its external data and total download size', () => {
    const variants = detectVariants([
      file('config.json'),
      file('onnx/model.onnx', 1000),
      file('onnx/model.onnx_data', 5000),
      file('onnx/model.onnx_data_1', 3000),
      file('onnx/model_fp16.onnx', 400),
      file('onnx/model_fp16.onnx_data', 2500),
      file('onnx/model_int8.onnx'),
      file('onnx/model_uint8.onnx'),
      file('onnx/model_quantized.onnx'),
      file('onnx/model_q4.onnx', 700),
      file('onnx/model_q4f16.onnx'),
      file('onnx/model_bnb4.onnx'),
    ]);
    expect(variants.map((variant) => variant.quantization)).toEqual([
      'fp32',
      'fp16',
      'int8',
      'uint8',
      'quantized',
      'q4',
      'q4f16',
      'bnb4',
    ]);
    const fp32 = variants[0]!;
    expect(fp32.externalDataFiles.map((f) => f.path)).toEqual([
      'onnx/model.onnx_data',
      'onnx/model.onnx_data_1',
    ]);
    expect(fp32.totalBytes).toBe(9000);
    expect(variants[1]!.totalBytes).toBe(2900);
    // model_q4.onnx_data would belong to q4 only, never to fp32's prefix "model.onnx".
    expect(variants.find((v) => v.quantization === 'q4')!.externalDataFiles).toEqual([]);
    expect(externalDataLocation(fp32.externalDataFiles[1]!)).toBe('model.onnx_data_1');
  });

  it('orders numbered external data parts numerically', () => {
    const variants = detectVariants([
      file('onnx/model.onnx'),
      file('onnx/model.onnx_data_10'),
      file('onnx/model.onnx_data_2'),
      file('onnx/model.onnx_data'),
    ]);
    expect(variants[0]!.externalDataFiles.map((f) => f.path)).toEqual([
      'onnx/model.onnx_data',
      'onnx/model.onnx_data_2',
      'onnx/model.onnx_data_10',
    ]);
  });

  it('reads older Xenova merged-decoder exports when there is no model*.onnx', () => {
    const variants = detectVariants([
      file('onnx/decoder_model.onnx'),
      file('onnx/decoder_model_merged.onnx'),
      file('onnx/decoder_model_merged_quantized.onnx'),
    ]);
    expect(variants.map((v) => [v.quantization, v.modelFile.path])).toEqual([
      ['fp32', 'onnx/decoder_model_merged.onnx'],
      ['quantized', 'onnx/decoder_model_merged_quantized.onnx'],
    ]);
  });

  it.each(['model', 'decoder_model_merged'])(
    'finds every level of the registry named %s<suffix>.onnx',
    (base) => {
      for (const quantization of QUANTIZATIONS) {
        const path = `onnx/${base}${QUANTIZATION_LEVELS[quantization].fileSuffix}.onnx`;
        expect(detectVariants([file(path)]).map((v) => [v.quantization, v.modelFile.path])).toEqual([
          [quantization, path],
        ]);
      }
    },
  );

  it('finds nothing outside onnx/ or under other names', () => {
    expect(
      detectVariants([file('model.onnx'), file('onnx/encoder_model.onnx'), file('onnx/model_q8.onnx')]),
    ).toEqual([]);
  });
});
