/** Shapes of Llama-family decoders and their presets. */

// The quantization levels live in ./quantization; re-exported for the modules that still import them here.
export {
  BUILT_IN_QUANTIZATIONS,
  isBuiltInQuantization,
  needsShaderF16,
  QUANTIZATIONS,
  type BuiltInQuantization,
  type Quantization,
} from './quantization';

/** Llama 3 style RoPE frequency scaling (`rope_scaling.rope_type == "llama3"` in config.json). */
export interface Llama3RopeScaling {
  readonly factor: number;
  readonly lowFreqFactor: number;
  readonly highFreqFactor: number;
  readonly originalMaxPositionEmbeddings: number;
}

/** The fields of a Hugging Face `LlamaConfig` that change the graph or its numbers. */
export interface LlamaConfig {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numLayers: number;
  readonly numAttentionHeads: number;
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  readonly vocabSize: number;
  readonly ropeTheta: number;
  readonly ropeScaling?: Llama3RopeScaling;
  readonly rmsNormEps: number;
  /** The LM head reuses the embedding matrix (values; the ONNX graph may still hold a copy). */
  readonly tieWordEmbeddings: boolean;
  readonly maxPositionEmbeddings: number;
}

export const TOKENIZER_IDS = ['llama3', 'llama2'] as const;
export type TokenizerId = (typeof TOKENIZER_IDS)[number];

export const PRESET_IDS = [
  'tiny',
  'smollm2-135m',
  'tinyllama-1.1b',
  'llama-3.2-1b',
  'llama-3.2-3b',
  'llama-3.1-8b',
] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export interface ModelPreset {
  readonly id: PresetId;
  readonly label: string;
  /** Whose shape this is, so users know what the numbers stand for. */
  readonly description: string;
  readonly config: LlamaConfig;
  /** Tokenizer shipped with the app; every id it produces is inside `config.vocabSize`. */
  readonly tokenizer: TokenizerId;
}

const LLAMA3_VOCAB = 128256;
const LLAMA3_ROPE_SCALING: Llama3RopeScaling = {
  factor: 32,
  lowFreqFactor: 1,
  highFreqFactor: 4,
  originalMaxPositionEmbeddings: 8192,
};

export const PRESETS: Readonly<Record<PresetId, ModelPreset>> = {
  tiny: {
    id: 'tiny',
    label: 'tiny (2 layers, 128k vocab)',
    description:
      'A toy Llama-3 shape small enough for a software GPU: 2 layers, hidden 64, GQA 4/2 heads, real Llama-3 vocabulary.',
    tokenizer: 'llama3',
    config: {
      hiddenSize: 64,
      intermediateSize: 128,
      numLayers: 2,
      numAttentionHeads: 4,
      numKeyValueHeads: 2,
      headDim: 16,
      vocabSize: LLAMA3_VOCAB,
      ropeTheta: 500000,
      rmsNormEps: 1e-5,
      tieWordEmbeddings: false,
      maxPositionEmbeddings: 8192,
    },
  },
  'smollm2-135m': {
    id: 'smollm2-135m',
    label: 'SmolLM2-135M shape',
    description:
      'HuggingFaceTB/SmolLM2-135M: 30 layers, hidden 576, 9/3 heads, vocab 49152. Tokenized with the Llama-2 tokenizer (its own is not shipped); all its ids fit the vocabulary.',
    tokenizer: 'llama2',
    config: {
      hiddenSize: 576,
      intermediateSize: 1536,
      numLayers: 30,
      numAttentionHeads: 9,
      numKeyValueHeads: 3,
      headDim: 64,
      vocabSize: 49152,
      ropeTheta: 100000,
      rmsNormEps: 1e-5,
      tieWordEmbeddings: true,
      maxPositionEmbeddings: 8192,
    },
  },
  'tinyllama-1.1b': {
    id: 'tinyllama-1.1b',
    label: 'TinyLlama-1.1B shape',
    description:
      'TinyLlama/TinyLlama-1.1B-Chat-v1.0: 22 layers, hidden 2048, 32/4 heads, Llama-2 vocabulary.',
    tokenizer: 'llama2',
    config: {
      hiddenSize: 2048,
      intermediateSize: 5632,
      numLayers: 22,
      numAttentionHeads: 32,
      numKeyValueHeads: 4,
      headDim: 64,
      vocabSize: 32000,
      ropeTheta: 10000,
      rmsNormEps: 1e-5,
      tieWordEmbeddings: false,
      maxPositionEmbeddings: 2048,
    },
  },
  'llama-3.2-1b': {
    id: 'llama-3.2-1b',
    label: 'Llama-3.2-1B shape',
    description:
      'meta-llama/Llama-3.2-1B: 16 layers, hidden 2048, 32/8 heads, tied embeddings, Llama-3 vocabulary.',
    tokenizer: 'llama3',
    config: {
      hiddenSize: 2048,
      intermediateSize: 8192,
      numLayers: 16,
      numAttentionHeads: 32,
      numKeyValueHeads: 8,
      headDim: 64,
      vocabSize: LLAMA3_VOCAB,
      ropeTheta: 500000,
      ropeScaling: LLAMA3_ROPE_SCALING,
      rmsNormEps: 1e-5,
      tieWordEmbeddings: true,
      maxPositionEmbeddings: 131072,
    },
  },
  'llama-3.2-3b': {
    id: 'llama-3.2-3b',
    label: 'Llama-3.2-3B shape',
    description:
      'meta-llama/Llama-3.2-3B: 28 layers, hidden 3072, 24/8 heads, tied embeddings, Llama-3 vocabulary.',
    tokenizer: 'llama3',
    config: {
      hiddenSize: 3072,
      intermediateSize: 8192,
      numLayers: 28,
      numAttentionHeads: 24,
      numKeyValueHeads: 8,
      headDim: 128,
      vocabSize: LLAMA3_VOCAB,
      ropeTheta: 500000,
      ropeScaling: LLAMA3_ROPE_SCALING,
      rmsNormEps: 1e-5,
      tieWordEmbeddings: true,
      maxPositionEmbeddings: 131072,
    },
  },
  'llama-3.1-8b': {
    id: 'llama-3.1-8b',
    label: 'Llama-3.1-8B shape',
    description: 'meta-llama/Llama-3.1-8B: 32 layers, hidden 4096, 32/8 heads, Llama-3 vocabulary.',
    tokenizer: 'llama3',
    config: {
      hiddenSize: 4096,
      intermediateSize: 14336,
      numLayers: 32,
      numAttentionHeads: 32,
      numKeyValueHeads: 8,
      headDim: 128,
      vocabSize: LLAMA3_VOCAB,
      ropeTheta: 500000,
      ropeScaling: { ...LLAMA3_ROPE_SCALING, factor: 8 },
      rmsNormEps: 1e-5,
      tieWordEmbeddings: false,
      maxPositionEmbeddings: 131072,
    },
  },
};
