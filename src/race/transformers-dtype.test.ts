import { describe, expect, it } from 'vitest';
import { QUANTIZATION_LEVELS, QUANTIZATIONS } from '../model/quantization';
import { transformersDtypeOfModelPath } from './transformers-dtype';

describe('transformersDtypeOfModelPath', () => {
  it.each([
    ['onnx/model.onnx', 'fp32'],
    ['onnx/model_fp16.onnx', 'fp16'],
    ['onnx/model_int8.onnx', 'int8'],
    ['onnx/model_quantized.onnx', 'q8'],
    ['onnx/model_q4.onnx', 'q4'],
    ['onnx/model_q4f16.onnx', 'q4f16'],
  ])('%s is dtype %s', (path, dtype) => {
    expect(transformersDtypeOfModelPath(path)).toBe(dtype);
  });

  it.each(QUANTIZATIONS)("loads %s's onnx-community file under the registry's dtype", (quantization) => {
    const { fileSuffix, transformersDtype } = QUANTIZATION_LEVELS[quantization];
    expect(transformersDtypeOfModelPath(`onnx/model${fileSuffix}.onnx`)).toBe(transformersDtype);
  });

  it.each(['onnx/decoder_model_merged_q4.onnx', 'onnx/model_q3.onnx', 'model.onnx'])(
    'refuses %s, naming it',
    (path) => {
      expect(() => transformersDtypeOfModelPath(path)).toThrow(path);
    },
  );
});
