import { describe, expect, it } from 'vitest';
import { describeDecoderIo, type ValueMetadata } from './decoder-io';

function tensor(name: string, type: string, shape: ReadonlyArray<number | string>): ValueMetadata {
  return { name, isTensor: true, type, shape };
}

function decoderMetadata(
  layers: number,
  kvType = 'float32',
  options: {
    readonly positionIds?: boolean;
    readonly pastHeadDim?: number | string;
    readonly presentHeadDim?: number | string;
  } = {},
) {
  const inputs: ValueMetadata[] = [
    tensor('input_ids', 'int64', ['batch_size', 'sequence_length']),
    tensor('attention_mask', 'int64', ['batch_size', 'total_sequence_length']),
  ];
  if (options.positionIds ?? true) {
    inputs.push(tensor('position_ids', 'int64', ['batch_size', 'sequence_length']));
  }
  const outputs: ValueMetadata[] = [tensor('logits', kvType, ['batch_size', 'sequence_length', 128256])];
  const pastHeadDim = options.pastHeadDim ?? 64;
  const presentHeadDim = options.presentHeadDim ?? pastHeadDim;
  for (let i = 0; i < layers; i++) {
    for (const part of ['key', 'value']) {
      inputs.push(
        tensor(`past_key_values.${i}.${part}`, kvType, [
          'batch_size',
          8,
          'past_sequence_length',
          pastHeadDim,
        ]),
      );
      outputs.push(
        tensor(`present.${i}.${part}`, kvType, ['batch_size', 8, 'total_sequence_length', presentHeadDim]),
      );
    }
  }
  return { inputs, outputs };
}

describe('decoder I/O convention', () => {
  it('reads layers, KV heads, head size and dtypes from a Llama-3.2-1B-like export', () => {
    const { inputs, outputs } = decoderMetadata(16, 'float16');
    const io = describeDecoderIo(inputs, outputs);
    expect(io).toMatchObject({
      numLayers: 16,
      numKeyValueHeads: 8,
      headDim: 64,
      kvDataType: 'float16',
      logitsDataType: 'float16',
      hasPositionIds: true,
    });
    expect(io.pastInputNames.slice(0, 3)).toEqual([
      'past_key_values.0.key',
      'past_key_values.0.value',
      'past_key_values.1.key',
    ]);
  });

  it('names a missing present output', () => {
    const { inputs, outputs } = decoderMetadata(2);
    const withoutPresent = outputs.filter((value) => value.name !== 'present.1.value');
    expect(() => describeDecoderIo(inputs, withoutPresent)).toThrow('present.1.value');
  });

  it('rejects a model without a KV cache', () => {
    const { inputs, outputs } = decoderMetadata(0);
    expect(() => describeDecoderIo(inputs, outputs)).toThrow(/past_key_values/);
  });

  it('rejects integer logits', () => {
    const { inputs, outputs } = decoderMetadata(1);
    const intLogits = outputs.map((value) =>
      value.name === 'logits' ? tensor('logits', 'int32', ['batch_size', 'sequence_length', 10]) : value,
    );
    expect(() => describeDecoderIo(inputs, intLogits)).toThrow(/logits has element type int32/);
  });

  it('reads a fused export (GroupQueryAttention derives positions from the mask): no position_ids to feed', () => {
    const { inputs, outputs } = decoderMetadata(16, 'float16', { positionIds: false });
    expect(describeDecoderIo(inputs, outputs)).toMatchObject({
      numLayers: 16,
      numKeyValueHeads: 8,
      headDim: 64,
      hasPositionIds: false,
      hasUseCacheBranch: false,
    });
  });

  it("takes the head size from config.json where the export leaves it symbolic (genai's kv_cache_dim)", () => {
    const symbolic = decoderMetadata(2, 'float16', { positionIds: false, pastHeadDim: 'kv_cache_dim' });
    expect(() => describeDecoderIo(symbolic.inputs, symbolic.outputs)).toThrow(
      /head_dim from config.json for "kv_cache_dim"/,
    );
    expect(describeDecoderIo(symbolic.inputs, symbolic.outputs, { headDim: 64 }).headDim).toBe(64);
    // A fixed size in the graph wins over the hint.
    const presentFixed = decoderMetadata(2, 'float16', { pastHeadDim: 'kv_cache_dim', presentHeadDim: 128 });
    expect(describeDecoderIo(presentFixed.inputs, presentFixed.outputs, { headDim: 64 }).headDim).toBe(128);
  });
});
