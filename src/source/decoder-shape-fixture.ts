import type { DecoderShape } from './decoder-shape';

/** meta-llama/Llama-3.1-8B's config.json as parseDecoderConfig reads it: tests of large hub models share it. */
export const LLAMA_8B_DECODER: DecoderShape = {
  modelType: 'llama',
  numLayers: 32,
  hiddenSize: 4096,
  numAttentionHeads: 32,
  intermediateSize: 14336,
  numKeyValueHeads: 8,
  headDim: 128,
  vocabSize: 128256,
  maxPositionEmbeddings: 131072,
};
