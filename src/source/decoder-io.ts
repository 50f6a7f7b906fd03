/**
 * Reads the KV-cache convention of a Hugging Face / onnx-community decoder from its session metadata,
 * so the same trial code runs built-in and downloaded models without assuming their shapes.
 */
import type { LmHead } from '../config/sweep-config';

export type ValueMetadata =
  | { readonly name: string; readonly isTensor: false }
  | {
      readonly name: string;
      readonly isTensor: true;
      readonly type: string;
      readonly shape: ReadonlyArray<number | string>;
    };

export type KvDataType = 'float32' | 'float16';

export interface DecoderIo {
  readonly numLayers: number;
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  readonly kvDataType: KvDataType;
  /** Whether the graph computes logits for every position or the last one only (from the output's shape). */
  readonly lmHead: LmHead;
  readonly logitsDataType: KvDataType;
  readonly hasPositionIds: boolean;
  /** Older merged exports (`decoder_model_merged`) pick the no-past branch with a bool input. */
  readonly hasUseCacheBranch: boolean;
  /** The logits' last dimension when the graph fixes it. */
  readonly vocabSize: number | undefined;
  /** Names of the empty-past inputs, in layer order (key then value). */
  readonly pastInputNames: readonly string[];
}

const PAST_NAME = /^past_key_values\.(\d+)\.(key|value)$/;

function tensorMeta(metadata: readonly ValueMetadata[], name: string) {
  const entry = metadata.find((value) => value.name === name);
  if (entry === undefined) return undefined;
  if (!entry.isTensor) throw new Error(`model value "${name}" is not a tensor`);
  return entry;
}

function floatType(type: string, what: string): KvDataType {
  if (type === 'float32' || type === 'float16') return type;
  throw new Error(`${what} has element type ${type}; only float32 and float16 are supported`);
}

/** What config.json says, for graphs whose KV cache leaves a size symbolic. */
export interface DecoderShapeHint {
  readonly headDim?: number;
}

/**
 * Throws a message naming what is missing when the model does not follow the convention. Fused exports
 * (GroupQueryAttention) have no `position_ids`; onnxruntime-genai's newest builder names the KV head size
 * `kv_cache_dim` instead of fixing it, so the head size then comes from the present outputs or `hint`.
 */
export function describeDecoderIo(
  inputs: readonly ValueMetadata[],
  outputs: readonly ValueMetadata[],
  hint: DecoderShapeHint = {},
): DecoderIo {
  for (const required of ['input_ids', 'attention_mask']) {
    if (tensorMeta(inputs, required) === undefined) throw new Error(`the model has no "${required}" input`);
  }
  const logits = tensorMeta(outputs, 'logits');
  if (logits === undefined) throw new Error('the model has no "logits" output');

  const known = new Set(['input_ids', 'attention_mask', 'position_ids', 'use_cache_branch']);
  const unknown = inputs.filter((input) => !known.has(input.name) && !PAST_NAME.test(input.name));
  if (unknown.length > 0) {
    throw new Error(
      `the model needs inputs this benchmark does not know how to feed: ${unknown.map((input) => input.name).join(', ')}`,
    );
  }

  const layers = new Map<number, Set<string>>();
  let kvShape: ReadonlyArray<number | string> | undefined;
  let kvDataType: KvDataType | undefined;
  for (const input of inputs) {
    const match = PAST_NAME.exec(input.name);
    if (match === null || !input.isTensor) continue;
    const layer = Number(match[1]);
    const parts = layers.get(layer) ?? new Set<string>();
    parts.add(match[2]!);
    layers.set(layer, parts);
    kvShape ??= input.shape;
    kvDataType ??= floatType(input.type, input.name);
  }
  const numLayers = layers.size;
  if (numLayers === 0 || kvShape === undefined || kvDataType === undefined) {
    throw new Error(
      'the model has no past_key_values.{i}.key/value inputs (a decoder exported with KV cache)',
    );
  }
  for (let layer = 0; layer < numLayers; layer++) {
    const parts = layers.get(layer);
    if (parts === undefined || !parts.has('key') || !parts.has('value')) {
      throw new Error(`past_key_values.${layer}.key/value are not both present`);
    }
    for (const part of ['key', 'value']) {
      if (tensorMeta(outputs, `present.${layer}.${part}`) === undefined) {
        throw new Error(`the model has no "present.${layer}.${part}" output`);
      }
    }
  }
  const [, heads, , pastHeadDim] = kvShape;
  const presentHeadDim = tensorMeta(outputs, 'present.0.key')?.shape[3];
  const headDim = [pastHeadDim, presentHeadDim, hint.headDim].find((dim) => typeof dim === 'number');
  if (kvShape.length !== 4 || typeof heads !== 'number' || typeof headDim !== 'number') {
    throw new Error(
      `past_key_values shape is [${kvShape.join(', ')}]; expected [batch, kv_heads, past_len, head_dim] with fixed heads and head_dim` +
        (typeof pastHeadDim === 'string' ? ` (or head_dim from config.json for "${pastHeadDim}")` : ''),
    );
  }
  const pastInputNames: string[] = [];
  for (let layer = 0; layer < numLayers; layer++) {
    pastInputNames.push(`past_key_values.${layer}.key`, `past_key_values.${layer}.value`);
  }
  return {
    numLayers,
    numKeyValueHeads: heads,
    headDim,
    kvDataType,
    logitsDataType: floatType(logits.type, 'logits'),
    hasPositionIds: tensorMeta(inputs, 'position_ids') !== undefined,
    hasUseCacheBranch: tensorMeta(inputs, 'use_cache_branch') !== undefined,
    vocabSize: typeof logits.shape.at(-1) === 'number' ? (logits.shape.at(-1) as number) : undefined,
    // A graph whose logits have a fixed sequence dimension of 1 computes the LM head for the last position only.
    lmHead: logits.shape.length >= 2 && logits.shape.at(-2) === 1 ? 'last' : 'all',
    pastInputNames,
  };
}
