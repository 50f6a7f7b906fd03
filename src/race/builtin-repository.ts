/**
 * A built-in model as a hub repository in the onnx-community layout: which files it holds and what each one is
 * made from. One description for Node (the hub fixtures, bench:race, the GPU kit's write-hub) and the race
 * page (which builds the variants with the app's model-building worker and uploads them to the GPU kit's hub):
 * where Node writes a file, the page PUTs it. Pure: the model files are described by their build request and
 * turned into bytes by whoever runs the builder.
 */
import onnxProto from 'onnx-proto';
import type { LmHead } from '../config/sweep-config';
import { PRESETS, type LlamaConfig, type PresetId, type TokenizerId } from '../model/config';
import type { GraphForm } from '../model/graph-form';
import { decodeOnnxModel } from '../model/onnx-read';
import { EXTERNAL_DATA_FILE } from '../model/external-data';
import { QUANTIZATION_LEVELS, type BuiltInQuantization } from '../model/quantization';

const { onnx } = onnxProto;

/** The tokenizer files a repository ships, as the app serves them (public/tokenizers/<id>/). */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;
export type TokenizerFile = (typeof TOKENIZER_FILES)[number];

/** Special token ids of the shipped tokenizers, as their tokenizer_config.json has them. */
const SPECIAL_TOKENS: Readonly<
  Record<TokenizerId, { readonly bos: number; readonly eos: readonly number[] }>
> = {
  llama3: { bos: 128000, eos: [128001, 128009] },
  llama2: { bos: 1, eos: [2] },
};

export interface BuiltInRepositoryOptions {
  /** The shape (and the tokenizer the app ships for it). */
  readonly preset: PresetId;
  readonly quantizations: readonly BuiltInQuantization[];
  readonly seed: number;
  /** `plain` (standard ONNX ops) or `fused` (onnxruntime's contrib ops, as WebGPU exports are). */
  readonly form: GraphForm;
  /** `all`: logits for every position, as exports ship them; `last`: for the last position only. */
  readonly lmHead: LmHead;
  /** Variants whose weights go to external data even where they would fit in the model (as large exports ship fp32). */
  readonly forceExternalData?: readonly BuiltInQuantization[];
}

/** The builder's inputs for one variant (src/model/build.ts's buildLlamaOnnx, the model-building worker). */
export interface VariantBuild {
  readonly config: LlamaConfig;
  readonly quantization: BuiltInQuantization;
  readonly seed: number;
  readonly lastPositionLogits: boolean;
  readonly form: GraphForm;
  /** true: weights in external data; undefined: the builder's choice (only when the model would be too large). */
  readonly externalData: true | undefined;
}

export type RepositoryFileSpec =
  | { readonly kind: 'text'; readonly path: string; readonly text: string }
  | {
      readonly kind: 'tokenizer';
      readonly path: TokenizerFile;
      readonly tokenizer: TokenizerId;
    }
  /** `path` is the model file; its external data, if the build writes any, lies beside it (see variantFiles). */
  | { readonly kind: 'model'; readonly path: string; readonly build: VariantBuild };

/** config.json as transformers writes it for LlamaForCausalLM. */
export function repositoryConfigJson(config: LlamaConfig, tokenizer: TokenizerId): Record<string, unknown> {
  const special = SPECIAL_TOKENS[tokenizer];
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: config.hiddenSize,
    intermediate_size: config.intermediateSize,
    num_hidden_layers: config.numLayers,
    num_attention_heads: config.numAttentionHeads,
    num_key_value_heads: config.numKeyValueHeads,
    head_dim: config.headDim,
    vocab_size: config.vocabSize,
    rope_theta: config.ropeTheta,
    ...(config.ropeScaling === undefined
      ? {}
      : {
          rope_scaling: {
            rope_type: 'llama3',
            factor: config.ropeScaling.factor,
            low_freq_factor: config.ropeScaling.lowFreqFactor,
            high_freq_factor: config.ropeScaling.highFreqFactor,
            original_max_position_embeddings: config.ropeScaling.originalMaxPositionEmbeddings,
          },
        }),
    rms_norm_eps: config.rmsNormEps,
    tie_word_embeddings: config.tieWordEmbeddings,
    max_position_embeddings: config.maxPositionEmbeddings,
    bos_token_id: special.bos,
    eos_token_id: special.eos[0],
  };
}

function generationConfigJson(tokenizer: TokenizerId): Record<string, unknown> {
  const special = SPECIAL_TOKENS[tokenizer];
  return {
    bos_token_id: special.bos,
    eos_token_id: special.eos.length === 1 ? special.eos[0] : [...special.eos],
  };
}

/** `onnx/model.onnx` for fp32, `onnx/model_q4.onnx` for q4: the names transformers.js asks for by dtype. */
export function variantModelPath(quantization: BuiltInQuantization): string {
  return `onnx/model${QUANTIZATION_LEVELS[quantization].fileSuffix}.onnx`;
}

/** Every file of the repository, in the order they are best written (small ones first, then each variant). */
export function builtInRepositoryFiles(options: BuiltInRepositoryOptions): RepositoryFileSpec[] {
  const { config, tokenizer } = PRESETS[options.preset];
  const json = (value: Record<string, unknown>) => JSON.stringify(value, null, 2);
  if (new Set(options.quantizations).size !== options.quantizations.length)
    throw new Error('builtInRepositoryFiles: a quantization level repeats');
  return [
    { kind: 'text', path: 'config.json', text: json(repositoryConfigJson(config, tokenizer)) },
    { kind: 'text', path: 'generation_config.json', text: json(generationConfigJson(tokenizer)) },
    ...TOKENIZER_FILES.map((path) => ({ kind: 'tokenizer' as const, path, tokenizer })),
    ...options.quantizations.map((quantization) => ({
      kind: 'model' as const,
      path: variantModelPath(quantization),
      build: {
        config,
        quantization,
        seed: options.seed,
        lastPositionLogits: options.lmHead === 'last',
        form: options.form,
        externalData:
          options.forceExternalData?.includes(quantization) === true ? (true as const) : undefined,
      },
    })),
  ];
}

/** What the builder returns for one variant (src/model/build.ts's BuiltModel, the worker's ModelFiles). */
export interface BuiltVariant {
  readonly modelBytes: Uint8Array;
  readonly externalData: readonly { readonly path: string; readonly data: Uint8Array }[];
}

export interface RepositoryFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * The files one built variant becomes in the repository: the model at `modelPath` and its external data as
 * `<modelPath>_data`, the name transformers.js, the app and every export use. The builder always names its
 * data file `model.onnx_data`; for any other variant the model's references are renamed to match (onnxruntime
 * finds external data by the location the model names). Only the small graph is rewritten, never the weights.
 */
export function variantFiles(modelPath: string, built: BuiltVariant): RepositoryFile[] {
  if (built.externalData.length === 0) return [{ path: modelPath, bytes: built.modelBytes }];
  const [external, ...more] = built.externalData;
  if (external === undefined || more.length > 0 || external.path !== EXTERNAL_DATA_FILE)
    throw new Error(
      `variantFiles: expected the builder's one ${EXTERNAL_DATA_FILE}, got ${built.externalData.map((file) => file.path).join(', ')}`,
    );
  const dataPath = `${modelPath}_data`;
  const location = dataPath.slice(dataPath.lastIndexOf('/') + 1);
  return [
    { path: modelPath, bytes: renameExternalData(built.modelBytes, external.path, location) },
    { path: dataPath, bytes: external.data },
  ];
}

/** The model with every external-data location `from` changed to `to` (a model that names none is refused). */
export function renameExternalData(modelBytes: Uint8Array, from: string, to: string): Uint8Array {
  if (from === to) return modelBytes;
  const decoded = decodeOnnxModel(modelBytes);
  if (!decoded.ok) throw new Error(`renameExternalData: ${decoded.reason}`);
  let renamed = 0;
  for (const tensor of decoded.model.graph?.initializer ?? []) {
    for (const entry of tensor.externalData ?? []) {
      if (entry.key === 'location' && entry.value === from) {
        entry.value = to;
        renamed++;
      }
    }
  }
  if (renamed === 0) throw new Error(`renameExternalData: no tensor of the model lies in ${from}`);
  return onnx.ModelProto.encode(decoded.model).finish();
}
