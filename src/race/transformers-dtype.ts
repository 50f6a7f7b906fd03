/**
 * transformers.js picks a variant's file by dtype (`model.onnx` is fp32, `model_<suffix>.onnx` otherwise);
 * its names are the hub's except 8-bit `model_quantized.onnx`, which it calls q8. The quantization registry
 * holds the pairs; typing the answer as transformers.js' own `DataType` has the compiler check them.
 */
import type { DataType } from '@huggingface/transformers';
import { QUANTIZATION_LEVELS, quantizationOfFileSuffix } from '../model/quantization';

export function transformersDtypeOfModelPath(path: string): DataType {
  const match = /^onnx\/model(_[a-z0-9]+)?\.onnx$/.exec(path);
  const quantization = match === null ? undefined : quantizationOfFileSuffix(match[1] ?? '');
  if (quantization === undefined) {
    throw new Error(`transformers.js loads onnx/model[_<dtype>].onnx; it has no dtype for ${path}`);
  }
  return QUANTIZATION_LEVELS[quantization].transformersDtype;
}
