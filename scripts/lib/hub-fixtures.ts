/**
 * Model repositories in the onnx-community layout, written by this project's own builder, for the local hub
 * server and the local-folder tests. Each bad-input case is a repository that is wrong in exactly one way.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildLlamaOnnx } from '../../src/model/build';
import { PRESETS, type BuiltInQuantization, type LlamaConfig } from '../../src/model/config';
import type { GraphForm } from '../../src/model/graph-form';
import { GraphBuilder } from '../../src/model/onnx-writer';

export const FIXTURE_SEED = 7;
export const TINY = PRESETS.tiny.config;
export const GOOD_REPO = 'ttft-test/tiny-llama-ONNX';
/** What the good repository holds: fp32 with external data (as large exports ship it), q4, and fp16. */
export const GOOD_VARIANTS: readonly BuiltInQuantization[] = ['fp32', 'fp16', 'q4'];
/** The same tiny model in the fused form onnxruntime-genai writes for WebGPU (GroupQueryAttention, no position_ids). */
export const FUSED_REPO = 'ttft-test/tiny-llama-fused-ONNX';
export const FUSED_VARIANTS: readonly BuiltInQuantization[] = ['fp32', 'q4'];

const TOKENIZER_DIR = join('node_modules', '@lenml', 'tokenizer-llama3', 'models');

function hfConfig(config: LlamaConfig, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify(
    {
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
      rms_norm_eps: config.rmsNormEps,
      tie_word_embeddings: config.tieWordEmbeddings,
      max_position_embeddings: config.maxPositionEmbeddings,
      bos_token_id: 128000,
      eos_token_id: 128001,
      ...overrides,
    },
    null,
    2,
  );
}

class RepoWriter {
  constructor(private readonly dir: string) {}
  text(path: string, content: string | Uint8Array): this {
    const target = join(this.dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    return this;
  }
  tokenizer(): this {
    mkdirSync(this.dir, { recursive: true });
    for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
      copyFileSync(join(TOKENIZER_DIR, file), join(this.dir, file));
    }
    return this;
  }
  config(overrides: Record<string, unknown> = {}): this {
    return this.text('config.json', hfConfig(TINY, overrides));
  }
  variant(
    quantization: BuiltInQuantization,
    options: { externalData?: boolean; form?: GraphForm } = {},
  ): this {
    const built = buildLlamaOnnx(TINY, quantization, {
      seed: FIXTURE_SEED,
      externalData: options.externalData ?? false,
      form: options.form ?? 'plain',
    });
    const name = quantization === 'fp32' ? 'model' : `model_${quantization}`;
    this.text(`onnx/${name}.onnx`, built.modelBytes);
    for (const external of built.externalData) {
      // The builder names its data file model.onnx_data; a variant's data file carries the variant's name.
      if (external.path !== 'model.onnx_data' || name !== 'model') {
        throw new Error('fixture: external data is only written for the fp32 variant');
      }
      this.text(`onnx/${external.path}`, external.data);
    }
    return this;
  }
}

/** A decoder-shaped graph whose one node is an operator no onnxruntime build has. */
function unsupportedOperatorModel(): Uint8Array {
  const graph = new GraphBuilder();
  const ids = graph.input({ name: 'input_ids', type: 'int64', dims: ['batch_size', 'sequence_length'] });
  graph.input({ name: 'attention_mask', type: 'int64', dims: ['batch_size', 'total_sequence_length'] });
  graph.node('FlashPrefill', [ids], { outputs: ['logits'], domain: 'com.example.ttft' });
  graph.output({ name: 'logits', type: 'float', dims: ['batch_size', 'sequence_length', TINY.vocabSize] });
  return graph.encode({
    graphName: 'unsupported',
    opsets: [
      { domain: '', version: 17 },
      { domain: 'com.example.ttft', version: 1 },
    ],
  }).modelBytes;
}

/** Repository ids of the bad-input cases (faults that need the server are configured by the spec). */
export const BAD_REPOS = {
  noOnnx: 'ttft-test/no-onnx',
  bert: 'ttft-test/bert',
  noTokenizer: 'ttft-test/no-tokenizer',
  notOnnx: 'ttft-test/not-onnx',
  unsupportedOp: 'ttft-test/unsupported-op',
  mismatch: 'ttft-test/mismatch',
  gated: 'ttft-test/gated',
  broken: 'ttft-test/broken',
  truncated: 'ttft-test/truncated',
  stalled: 'ttft-test/stalled',
} as const;

/** A good repository with the given variants; fp32 keeps its weights in external data, as large exports do. */
export function writeModelRepository(
  root: string,
  id: string,
  variants: readonly BuiltInQuantization[],
  options: { readonly form?: GraphForm } = {},
): void {
  const writer = new RepoWriter(join(root, id))
    .config()
    .text('generation_config.json', JSON.stringify({ bos_token_id: 128000, eos_token_id: [128001, 128009] }))
    .tokenizer();
  for (const quantization of variants)
    writer.variant(quantization, { externalData: quantization === 'fp32', form: options.form ?? 'plain' });
}

export function writeHubFixtures(root: string): void {
  const repo = (id: string) => new RepoWriter(join(root, id));
  writeModelRepository(root, GOOD_REPO, GOOD_VARIANTS);
  writeModelRepository(root, FUSED_REPO, FUSED_VARIANTS, { form: 'fused' });
  for (const id of [BAD_REPOS.gated, BAD_REPOS.broken, BAD_REPOS.truncated, BAD_REPOS.stalled]) {
    repo(id).config().tokenizer().variant('q4');
  }
  repo(BAD_REPOS.noOnnx).config().tokenizer();
  repo(BAD_REPOS.bert)
    .config({ model_type: 'bert', architectures: ['BertModel'] })
    .tokenizer()
    .variant('q4');
  repo(BAD_REPOS.noTokenizer).config().variant('q4');
  repo(BAD_REPOS.notOnnx)
    .config()
    .tokenizer()
    .text('onnx/model_q4.onnx', 'This is an HTML error page, not an ONNX model.\n'.repeat(200));
  repo(BAD_REPOS.unsupportedOp).config().tokenizer().text('onnx/model_q4.onnx', unsupportedOperatorModel());
  // config.json claims 4 layers; the graph has the tiny preset's 2.
  repo(BAD_REPOS.mismatch).config({ num_hidden_layers: 4 }).tokenizer().variant('q4');
}
