import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { buildLlamaOnnx } from '../model/build';
import { PRESETS } from '../model/config';
import {
  configureWasm,
  emptyPast,
  maxAbsDifference,
  promptIds,
  run,
  SEED,
  session,
  SMALL,
} from '../model/ort-session-fixture';
import { parseDecoderConfig } from '../hub/model-config';
import { detectVariants } from '../hub/variants';
import {
  builtInRepositoryFiles,
  renameExternalData,
  variantFiles,
  variantModelPath,
  type RepositoryFileSpec,
} from './builtin-repository';

const pathsOf = (files: readonly RepositoryFileSpec[]) => files.map((file) => file.path);
const textOf = (files: readonly RepositoryFileSpec[], path: string): unknown => {
  const file = files.find((candidate) => candidate.path === path);
  if (file?.kind !== 'text') throw new Error(`no text file ${path}`);
  return JSON.parse(file.text);
};
const locationsOf = (modelBytes: Uint8Array) =>
  new Set(
    (onnxProto.onnx.ModelProto.decode(modelBytes).graph?.initializer ?? []).flatMap((tensor) =>
      (tensor.externalData ?? []).filter((entry) => entry.key === 'location').map((entry) => entry.value),
    ),
  );

describe('builtInRepositoryFiles', () => {
  it('lists config, generation config, the shipped tokenizer and one model file per variant, named as transformers.js asks', () => {
    const files = builtInRepositoryFiles({
      preset: 'tiny',
      quantizations: ['fp32', 'q4'],
      seed: 7,
      form: 'plain',
      lmHead: 'all',
    });
    expect(pathsOf(files)).toEqual([
      'config.json',
      'generation_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'onnx/model.onnx',
      'onnx/model_q4.onnx',
    ]);
    expect(files.filter((file) => file.kind === 'tokenizer').map((file) => file.tokenizer)).toEqual([
      'llama3',
      'llama3',
    ]);
    expect(textOf(files, 'generation_config.json')).toEqual({
      bos_token_id: 128000,
      eos_token_id: [128001, 128009],
    });
  });

  it("config.json reads back, through the app's own parser, as the preset's shape (with Llama-3's RoPE scaling)", () => {
    const files = builtInRepositoryFiles({
      preset: 'llama-3.2-1b',
      quantizations: ['q4'],
      seed: 1,
      form: 'plain',
      lmHead: 'all',
    });
    const json = textOf(files, 'config.json');
    const { config } = PRESETS['llama-3.2-1b'];
    expect(parseDecoderConfig(json)).toEqual({
      modelType: 'llama',
      numLayers: config.numLayers,
      hiddenSize: config.hiddenSize,
      numAttentionHeads: config.numAttentionHeads,
      intermediateSize: config.intermediateSize,
      numKeyValueHeads: config.numKeyValueHeads,
      headDim: config.headDim,
      vocabSize: config.vocabSize,
      maxPositionEmbeddings: config.maxPositionEmbeddings,
    });
    expect(json).toMatchObject({
      tie_word_embeddings: true,
      rope_theta: 500000,
      rope_scaling: {
        rope_type: 'llama3',
        factor: 32,
        low_freq_factor: 1,
        high_freq_factor: 4,
        original_max_position_embeddings: 8192,
      },
    });
    expect(
      textOf(
        builtInRepositoryFiles({ preset: 'tiny', quantizations: [], seed: 1, form: 'plain', lmHead: 'all' }),
        'config.json',
      ),
    ).not.toHaveProperty('rope_scaling');
  });

  it("a Llama-2-tokenized preset (SmolLM2's shape) gets that tokenizer's special ids", () => {
    const files = builtInRepositoryFiles({
      preset: 'smollm2-135m',
      quantizations: ['q4'],
      seed: 1,
      form: 'plain',
      lmHead: 'all',
    });
    expect(files.filter((file) => file.kind === 'tokenizer').map((file) => file.tokenizer)).toEqual([
      'llama2',
      'llama2',
    ]);
    expect(textOf(files, 'config.json')).toMatchObject({
      bos_token_id: 1,
      eos_token_id: 2,
      vocab_size: 49152,
    });
    expect(textOf(files, 'generation_config.json')).toEqual({ bos_token_id: 1, eos_token_id: 2 });
  });

  it('hands each variant the builder inputs asked for: seed, form, LM head, forced external data', () => {
    const files = builtInRepositoryFiles({
      preset: 'tiny',
      quantizations: ['fp32', 'q4'],
      seed: 11,
      form: 'fused',
      lmHead: 'last',
      forceExternalData: ['fp32'],
    });
    const builds = files.flatMap((file) => (file.kind === 'model' ? [file.build] : []));
    expect(builds).toEqual([
      {
        config: PRESETS.tiny.config,
        quantization: 'fp32',
        seed: 11,
        lastPositionLogits: true,
        form: 'fused',
        externalData: true,
      },
      {
        config: PRESETS.tiny.config,
        quantization: 'q4',
        seed: 11,
        lastPositionLogits: true,
        form: 'fused',
        externalData: undefined,
      },
    ]);
  });

  it('refuses a repeated level', () => {
    expect(() =>
      builtInRepositoryFiles({
        preset: 'tiny',
        quantizations: ['q4', 'q4'],
        seed: 1,
        form: 'plain',
        lmHead: 'all',
      }),
    ).toThrow(/repeats/);
  });
});

describe('variantFiles', () => {
  it('an embedded variant is its one model file', () => {
    const built = buildLlamaOnnx(SMALL, 'q4', { seed: SEED });
    expect(variantFiles('onnx/model_q4.onnx', built)).toEqual([
      { path: 'onnx/model_q4.onnx', bytes: built.modelBytes },
    ]);
  });

  it("fp32's external data keeps the builder's name, model.onnx_data, byte for byte", () => {
    const built = buildLlamaOnnx(SMALL, 'fp32', { seed: SEED, externalData: true });
    const files = variantFiles(variantModelPath('fp32'), built);
    expect(files.map((file) => file.path)).toEqual(['onnx/model.onnx', 'onnx/model.onnx_data']);
    expect(files[0]!.bytes).toBe(built.modelBytes);
    expect(files[1]!.bytes).toBe(built.externalData[0]!.data);
  });

  it("another variant's external data is named after it, and the model points there: same logits as embedded", async () => {
    configureWasm();
    const embedded = buildLlamaOnnx(SMALL, 'q4', { seed: SEED });
    const external = buildLlamaOnnx(SMALL, 'q4', { seed: SEED, externalData: true });
    const files = variantFiles(variantModelPath('q4'), external);
    expect(files.map((file) => file.path)).toEqual(['onnx/model_q4.onnx', 'onnx/model_q4.onnx_data']);
    const [model, data] = files;
    expect(locationsOf(model!.bytes)).toEqual(new Set(['model_q4.onnx_data']));
    expect(data!.bytes).toBe(external.externalData[0]!.data);
    // The app's variant detection pairs them.
    const variants = detectVariants(files.map((file) => ({ path: file.path, bytes: file.bytes.byteLength })));
    expect(variants.map((v) => [v.quantization, v.externalDataFiles.map((f) => f.path)])).toEqual([
      ['q4', ['onnx/model_q4.onnx_data']],
    ]);
    const ids = promptIds(SMALL, 7);
    const a = await run(await session(embedded), ids, 0, emptyPast(SMALL, 'q4'));
    const b = await run(
      await session({
        modelBytes: model!.bytes,
        externalData: [{ path: 'model_q4.onnx_data', data: data!.bytes }],
      }),
      ids,
      0,
      emptyPast(SMALL, 'q4'),
    );
    expect(maxAbsDifference(a.logits, b.logits)).toBe(0);
  });

  it('refuses external data it cannot name, and a rename of a model that has none', () => {
    const built = buildLlamaOnnx(SMALL, 'q4', { seed: SEED, externalData: true });
    expect(() =>
      variantFiles('onnx/model_q4.onnx', {
        ...built,
        externalData: [{ path: 'weights.bin', data: new Uint8Array(1) }],
      }),
    ).toThrow(/model\.onnx_data/);
    const embedded = buildLlamaOnnx(SMALL, 'q4', { seed: SEED });
    expect(() => renameExternalData(embedded.modelBytes, 'model.onnx_data', 'x.onnx_data')).toThrow(
      /no tensor/,
    );
  });
});
