/** Builds a seeded Llama decoder as ONNX bytes (plus external weights when they would not fit in protobuf). */
import type { LlamaConfig, BuiltInQuantization } from './config';
import { buildLlamaGraph } from './llama-graph';
import { EXTERNAL_DATA_FILE, EXTERNAL_DATA_THRESHOLD_BYTES } from './external-data';

export { EXTERNAL_DATA_FILE, EXTERNAL_DATA_THRESHOLD_BYTES } from './external-data';

export interface BuildOptions {
  readonly seed: number;
  /** Force weights into `model.onnx_data` (as large hub exports ship them); default: only when needed. */
  readonly externalData?: boolean;
  readonly onProgress?: (fraction: number) => void;
  /** Logits for the last position only; see GraphBuildOptions. */
  readonly lastPositionLogits?: boolean;
}

export interface BuiltModel {
  readonly modelBytes: Uint8Array;
  readonly externalData: readonly { readonly path: string; readonly data: Uint8Array }[];
}

export function buildLlamaOnnx(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  options: BuildOptions,
): BuiltModel {
  const graph = buildLlamaGraph(config, quantization, {
    seed: options.seed,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.lastPositionLogits === true ? { lastPositionLogits: true } : {}),
  });
  const external = options.externalData ?? graph.initializerBytes() > EXTERNAL_DATA_THRESHOLD_BYTES;
  const encoded = graph.encode({
    graphName: `llama_${quantization}`,
    opsets: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    ...(external ? { externalFileName: EXTERNAL_DATA_FILE } : {}),
  });
  return {
    modelBytes: encoded.modelBytes,
    externalData:
      encoded.externalData === undefined ? [] : [{ path: EXTERNAL_DATA_FILE, data: encoded.externalData }],
  };
}
