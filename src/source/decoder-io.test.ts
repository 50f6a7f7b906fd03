import { describe, expect, it } from 'vitest';
import { describeDecoderIo, type ValueMetadata } from './decoder-io';

function tensor(name: string, type: string, shape: ReadonlyArray<number | string>): ValueMetadata {
  return { name, isTensor: true, type, shape };
}

function decoderMetadata(layers: number, kvType = 'float32') {
  const inputs: ValueMetadata[] = [
    tensor('input_ids', 'int64', ['batch_size', 'sequence_length']),
    tensor('attention_mask', 'int64', ['batch_size', 'total_sequence_length']),
    tensor('position_ids', 'int64', ['batch_size', 'sequence_length']),
  ];
  const outputs: ValueMetadata[] = [tensor('logits', kvType, ['batch_size', 'sequence_length', 128256])];
  for (let i = 0; i < layers; i++) {
    for (const part of ['key', 'value']) {
      inputs.push(
        tensor(`past_key_values.${i}.${part}`, kvType, ['batch_size', 8, 'past_sequence_length', 64]),
      );
      outputs.push(tensor(`present.${i}.${part}`, kvType, ['batch_size', 8, 'total_sequence_length', 64]));
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
});
