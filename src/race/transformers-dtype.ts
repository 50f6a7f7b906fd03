/**
 * transformers.js picks a variant's file by dtype (`model.onnx` is fp32, `model_<suffix>.onnx` otherwise);
 * the suffixes are the hub's names except 8-bit `model_quantized.onnx`, which it calls q8.
 */
const DTYPE_OF_SUFFIX: Readonly<Record<string, string>> = {
  fp16: 'fp16',
  int8: 'int8',
  uint8: 'uint8',
  quantized: 'q8',
  q4: 'q4',
  q4f16: 'q4f16',
  bnb4: 'bnb4',
};

export function transformersDtypeOfModelPath(path: string): string {
  const match = /^onnx\/model(?:_([a-z0-9]+))?\.onnx$/.exec(path);
  const suffix = match?.[1];
  const dtype = match === null ? undefined : suffix === undefined ? 'fp32' : DTYPE_OF_SUFFIX[suffix];
  if (dtype === undefined) {
    throw new Error(`transformers.js loads onnx/model[_<dtype>].onnx; it has no dtype for ${path}`);
  }
  return dtype;
}
