/**
 * A repository's `config.json`, read for what the benchmark depends on: that it is a Llama-family decoder and
 * the shapes of its KV cache. The session's own input metadata is then checked against it (never assumed).
 */
import { z } from 'zod';
import type { DecoderIo } from '../engine/decoder-io';
import { HubError } from './hub-error';

/** `model_type` values whose exports follow the Llama decoder layout (SmolLM2 and TinyLlama are `llama`). */
export const LLAMA_FAMILY_MODEL_TYPES = ['llama'] as const;

const positiveInt = z.number().int().positive();

const configSchema = z.object({
  model_type: z.string(),
  num_hidden_layers: positiveInt,
  num_attention_heads: positiveInt,
  num_key_value_heads: positiveInt.optional(),
  hidden_size: positiveInt,
  intermediate_size: positiveInt.optional(),
  head_dim: positiveInt.optional(),
  vocab_size: positiveInt,
  max_position_embeddings: positiveInt.optional(),
});

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

/** Parses config.json (already JSON) or throws a HubError naming the missing or unsupported part. */
export function parseDecoderConfig(json: unknown): DecoderShape {
  if (typeof json !== 'object' || json === null || !('model_type' in json)) {
    throw new HubError('unsupported-model', 'config.json has no model_type; is this a transformers model?');
  }
  const modelType = (json as { model_type: unknown }).model_type;
  if (typeof modelType !== 'string' || !(LLAMA_FAMILY_MODEL_TYPES as readonly string[]).includes(modelType)) {
    throw new HubError(
      'unsupported-model',
      `config.json says model_type "${String(modelType)}"; ttft-bench measures Llama-family decoders ` +
        `(model_type ${LLAMA_FAMILY_MODEL_TYPES.map((type) => `"${type}"`).join(', ')}).`,
    );
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HubError(
      'unsupported-model',
      `config.json is missing or has an invalid ${issue?.path.join('.') ?? 'field'} (${issue?.message ?? ''}).`,
    );
  }
  const config = parsed.data;
  const headDim = config.head_dim ?? config.hidden_size / config.num_attention_heads;
  if (!Number.isInteger(headDim)) {
    throw new HubError(
      'unsupported-model',
      `config.json: hidden_size ${config.hidden_size} is not a multiple of num_attention_heads ${config.num_attention_heads}.`,
    );
  }
  return {
    modelType,
    numLayers: config.num_hidden_layers,
    hiddenSize: config.hidden_size,
    numAttentionHeads: config.num_attention_heads,
    intermediateSize: config.intermediate_size,
    numKeyValueHeads: config.num_key_value_heads ?? config.num_attention_heads,
    headDim,
    vocabSize: config.vocab_size,
    maxPositionEmbeddings: config.max_position_embeddings,
  };
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
