/** Builds a seeded Llama decoder as ONNX bytes (plus external weights when they would not fit in protobuf). */
import type { LlamaConfig, BuiltInQuantization } from './config';
import { buildLlamaGraph } from './llama-graph';
import type { GraphForm, QkvProjection } from './graph-form';
import type { AccuracyLevel } from './accuracy-level';
import type { KvCacheLayout } from './llama-fused-graph';
import { EXTERNAL_DATA_FILE, EXTERNAL_DATA_THRESHOLD_BYTES } from './external-data';
import { CONTRIB_DOMAIN } from './onnx-domains';

export { EXTERNAL_DATA_FILE, EXTERNAL_DATA_THRESHOLD_BYTES } from './external-data';

export interface BuildOptions {
  readonly seed: number;
  /** Force weights into `model.onnx_data` (as large hub exports ship them); default: only when needed. */
  readonly externalData?: boolean;
  /** Fraction of the weight bytes written. */
  readonly onProgress?: (fraction: number) => void;
  /** Logits for the last position only; see GraphBuildOptions. */
  readonly lastPositionLogits?: boolean;
  /** `plain` (default) or `fused` (onnxruntime's contrib ops, as WebGPU exports); see GraphBuildOptions. */
  readonly form?: GraphForm;
  /** MatMulNBits' accuracy_level: 0 (default, no attribute) or 4; see GraphBuildOptions. */
  readonly accuracyLevel?: AccuracyLevel;
  /** The fused form's KV cache layout: `growing` (default) or `static`; see GraphBuildOptions. */
  readonly kvCache?: KvCacheLayout;
  /** The fused form's q/k/v projections: `separate` (default) or `packed`; see GraphBuildOptions. */
  readonly qkv?: QkvProjection;
}

/** Where a build's time went, in milliseconds of `performance.now()`. */
export interface BuildTimings {
  /** Declaring nodes and initializers (no weight is generated yet). */
  readonly graphMs: number;
  /** Generating the weights, written straight into the output in their stored format. */
  readonly generateMs: number;
  /** Protobuf framing and the copies that are not generation. */
  readonly serializeMs: number;
}

export interface BuiltModel {
  readonly modelBytes: Uint8Array;
  readonly externalData: readonly { readonly path: string; readonly data: Uint8Array }[];
  readonly timings: BuildTimings;
}

export function buildLlamaOnnx(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  options: BuildOptions,
): BuiltModel {
  const started = performance.now();
  const graph = buildLlamaGraph(config, quantization, {
    seed: options.seed,
    ...(options.lastPositionLogits === true ? { lastPositionLogits: true } : {}),
    ...(options.form === undefined ? {} : { form: options.form }),
    ...(options.accuracyLevel === undefined ? {} : { accuracyLevel: options.accuracyLevel }),
    ...(options.kvCache === undefined ? {} : { kvCache: options.kvCache }),
    ...(options.qkv === undefined ? {} : { qkv: options.qkv }),
  });
  const declared = performance.now();
  const external = options.externalData ?? graph.initializerBytes() > EXTERNAL_DATA_THRESHOLD_BYTES;
  const encoded = graph.encode({
    graphName: `llama_${quantization}`,
    opsets: [
      { domain: '', version: 17 },
      { domain: CONTRIB_DOMAIN, version: 1 },
    ],
    ...(external ? { externalFileName: EXTERNAL_DATA_FILE } : {}),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const encodeMs = performance.now() - declared;
  return {
    modelBytes: encoded.modelBytes,
    externalData:
      encoded.externalData === undefined ? [] : [{ path: EXTERNAL_DATA_FILE, data: encoded.externalData }],
    timings: {
      graphMs: declared - started,
      generateMs: encoded.tensorWriteMs,
      serializeMs: encodeMs - encoded.tensorWriteMs,
    },
  };
}
