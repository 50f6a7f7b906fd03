/**
 * A repository's `config.json`, read for what the benchmark depends on: that it is a Llama-family decoder and
 * the shapes of its KV cache. The session's own input metadata is then checked against it (never assumed).
 */
import { z } from 'zod';
import type { DecoderShape } from '../source/decoder-shape';
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
