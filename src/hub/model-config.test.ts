import { describe, expect, it } from 'vitest';
import type { DecoderIo } from '../source/decoder-io';
import { parseDecoderConfig } from './model-config';
import { decoderMismatch } from '../source/decoder-shape';

const LLAMA_32_1B = {
  architectures: ['LlamaForCausalLM'],
  model_type: 'llama',
  hidden_size: 2048,
  intermediate_size: 8192,
  num_hidden_layers: 16,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  head_dim: 64,
  vocab_size: 128256,
  max_position_embeddings: 131072,
};

const io = (overrides: Partial<DecoderIo>): DecoderIo => ({
  numLayers: 16,
  numKeyValueHeads: 8,
  headDim: 64,
  kvDataType: 'float32',
  logitsDataType: 'float32',
  hasPositionIds: true,
  hasUseCacheBranch: false,
  lmHead: 'all',
  vocabSize: 128256,
  pastInputNames: [],
  ...overrides,
});

describe('config.json', () => {
  it('reads a Llama-3.2-1B config', () => {
    expect(parseDecoderConfig(LLAMA_32_1B)).toEqual({
      modelType: 'llama',
      numLayers: 16,
      hiddenSize: 2048,
      numAttentionHeads: 32,
      intermediateSize: 8192,
      numKeyValueHeads: 8,
      headDim: 64,
      vocabSize: 128256,
      maxPositionEmbeddings: 131072,
    });
  });

  it('derives head size and KV heads the way transformers does when they are absent (SmolLM2-135M)', () => {
    const smol: Record<string, unknown> = { ...LLAMA_32_1B, hidden_size: 576, num_attention_heads: 9 };
    delete smol['head_dim'];
    delete smol['num_key_value_heads'];
    const shape = parseDecoderConfig(smol);
    expect(shape.headDim).toBe(64);
    expect(shape.numKeyValueHeads).toBe(9);
  });

  it('names a non-Llama architecture', () => {
    expect(() => parseDecoderConfig({ ...LLAMA_32_1B, model_type: 'bert' })).toThrow(
      /model_type "bert".*"llama"/,
    );
  });

  it('names the missing field', () => {
    const incomplete: Record<string, unknown> = { ...LLAMA_32_1B };
    delete incomplete['num_hidden_layers'];
    expect(() => parseDecoderConfig(incomplete)).toThrow(/num_hidden_layers/);
    expect(() => parseDecoderConfig([])).toThrow(/model_type/);
  });

  it('checks the ONNX session against the config and lists every mismatch', () => {
    const shape = parseDecoderConfig(LLAMA_32_1B);
    expect(decoderMismatch(shape, io({}))).toBeUndefined();
    expect(decoderMismatch(shape, io({ vocabSize: undefined }))).toBeUndefined();
    const message = decoderMismatch(shape, io({ numLayers: 2, headDim: 16 }));
    expect(message).toContain('layers: config.json 16, ONNX model 2');
    expect(message).toContain('head size: config.json 64, ONNX model 16');
  });
});
