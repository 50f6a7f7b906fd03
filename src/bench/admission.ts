/**
 * Can this variant run on this adapter? One answer for built-in, hub and folder variants, decided from a
 * description of the variant and the adapter's limits before anything is built or downloaded. WebGPU
 * allocates each weight as one buffer bound as a storage buffer, so the largest weight must fit both
 * `maxBufferSize` and `maxStorageBufferBindingSize`; float16 activations need `shader-f16`.
 */
import { formatBytes } from '../format-bytes';
import type { LlamaConfig } from '../model/config';
import { quantizationLevel, type ActivationType, type BuiltInQuantization } from '../model/quantization';
import type { GraphForm } from '../model/graph-form';
import { estimateVariantBytes, largestWeight, rotaryCacheBytes, rotaryCacheShape } from '../model/size';
import { LM_HEAD, type WeightSpec } from '../model/weights';

/** What of the adapter decides admission (a subset of the engine's AdapterSummary). */
export interface AdapterLimits {
  readonly maxBufferSizeBytes: number;
  readonly maxStorageBufferBindingSizeBytes: number;
  readonly hasShaderF16: boolean;
}

export interface TensorDescription {
  /** What it is, in words: "embedding table". */
  readonly name: string;
  readonly shape: readonly number[];
  readonly bytes: number;
  /** Inferred from shapes and the level's usual storage (hub exports) rather than known from the files. */
  readonly estimated: boolean;
}

export interface VariantDescription {
  readonly activationType: ActivationType;
  readonly largestTensor: TensorDescription;
  /** Everything the variant's files hold: the download, or the builder's output. */
  readonly totalBytes: number;
  /**
   * The .onnx file as a repository holds it (hub and folder variants): protobuf cannot parse one over 2 GiB.
   * The builder moves weights to external data well before that, so built-in variants have none.
   */
  readonly modelFile?: { readonly path: string; readonly bytes: number };
}

/** protobuf cannot hold a message over 2 GiB, so a larger .onnx must keep its weights in external data. */
const PROTOBUF_LIMIT_BYTES = 2 ** 31 - 1;

/** Why this variant cannot run on this adapter, in plain words; undefined when it can. */
export function whyVariantCannotRun(variant: VariantDescription, adapter: AdapterLimits): string | undefined {
  if (variant.activationType === 'float16' && !adapter.hasShaderF16) {
    return 'Needs the WebGPU feature shader-f16, which this adapter does not have.';
  }
  const file = variant.modelFile;
  if (file !== undefined && file.bytes > PROTOBUF_LIMIT_BYTES) {
    return `${file.path} is ${formatBytes(file.bytes)} in one file; ONNX files over 2 GiB cannot be loaded (the weights must be in .onnx_data files).`;
  }
  const tensor = variant.largestTensor;
  const limit = Math.min(adapter.maxBufferSizeBytes, adapter.maxStorageBufferBindingSizeBytes);
  if (tensor.bytes > limit) {
    const which =
      adapter.maxBufferSizeBytes <= adapter.maxStorageBufferBindingSizeBytes
        ? 'maxBufferSize'
        : 'maxStorageBufferBindingSize';
    const size = `${tensor.estimated ? 'about ' : ''}${formatBytes(tensor.bytes)}`;
    return `Cannot fit: its ${tensor.name} (${tensor.shape.join(' × ')}, ${size}) is larger than this adapter's ${which} (${formatBytes(limit)}).`;
  }
  return undefined;
}

function weightName(spec: WeightSpec): string {
  if (spec.role === 'embedding') return 'embedding table';
  return spec.name === LM_HEAD ? 'LM head' : `weight ${spec.name}`;
}

/** A built-in variant as the builder will write it in this graph form: sizes are exact, computed from the shapes. */
export function describeBuiltInVariant(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  form: GraphForm,
): VariantDescription {
  const largest = largestWeight(config, quantization);
  const rotaryBytes = rotaryCacheBytes(config, quantization, form);
  const largestTensor: TensorDescription =
    rotaryBytes > largest.bytes
      ? {
          name: 'rotary cos/sin table',
          shape: rotaryCacheShape(config),
          bytes: rotaryBytes,
          estimated: false,
        }
      : { name: weightName(largest.spec), shape: largest.spec.shape, bytes: largest.bytes, estimated: false };
  return {
    activationType: quantizationLevel(quantization).activationType,
    largestTensor,
    totalBytes: estimateVariantBytes(config, quantization, form),
  };
}
