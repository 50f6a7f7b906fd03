/** The decoder shape a model's config declares, and how a loaded graph is checked against it. */
import type { DecoderIo } from './decoder-io';

export interface DecoderShape {
  readonly modelType: string;
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly numAttentionHeads: number;
  /** The MLP's width; only the roofline needs it, so a config without it still measures. */
  readonly intermediateSize: number | undefined;
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  readonly vocabSize: number;
  readonly maxPositionEmbeddings: number | undefined;
}

/** Every way the ONNX graph disagrees with config.json, in one message; undefined when they agree. */
export function decoderMismatch(shape: DecoderShape, io: DecoderIo): string | undefined {
  const problems: string[] = [];
  const compare = (what: string, fromConfig: number, fromModel: number | undefined) => {
    if (fromModel !== undefined && fromConfig !== fromModel) {
      problems.push(`${what}: config.json ${fromConfig}, ONNX model ${fromModel}`);
    }
  };
  compare('layers', shape.numLayers, io.numLayers);
  compare('key/value heads', shape.numKeyValueHeads, io.numKeyValueHeads);
  compare('head size', shape.headDim, io.headDim);
  compare('vocabulary', shape.vocabSize, io.vocabSize);
  if (problems.length === 0) return undefined;
  return `The ONNX model does not match config.json (${problems.join('; ')}); the files come from different models.`;
}
