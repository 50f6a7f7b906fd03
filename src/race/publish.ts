/**
 * Publishes a built-in model to the GPU kit's hub from the page: every file builtInRepositoryFiles lists, the
 * variants built by the app's model-building worker, uploaded with the kit's staging protocol (publish-config),
 * so a model too large to carry to the GPU machine is made there and then raced like any hub repository.
 */
import { errorMessage } from '../error-message';
import { formatBytes } from '../format-bytes';
import { builtInRepositoryFiles, variantFiles, type RepositoryFile } from './builtin-repository';
import { buildVariantInWorker } from './build-variant';
import {
  publishedRepositorySchema,
  uploadChunks,
  uploadChunkUrl,
  uploadRepositoryUrl,
  type PublishConfig,
  type PublishedRepository,
} from './publish-config';
import type { BuiltInQuantization } from '../model/quantization';

export interface PublishedVariant {
  readonly quantization: BuiltInQuantization;
  /** Building the variant in the worker, until its bytes are in the page. */
  readonly buildMs: number;
  /** Uploading its files to the hub. */
  readonly uploadMs: number;
  readonly bytes: number;
}

export interface PublishOutcome extends PublishedRepository {
  readonly variants: readonly PublishedVariant[];
  readonly totalMs: number;
}

async function expectOk(response: Response, what: string): Promise<Response> {
  if (response.ok) return response;
  const text = await response.text().catch(() => '');
  throw new Error(`${what}: HTTP ${response.status}${text === '' ? '' : ` ${text.slice(0, 300)}`}`);
}

/** The app serves the tokenizers it ships next to its pages (scripts/copy-assets.mjs). */
async function servedTokenizerFile(
  tokenizer: string,
  file: string,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const url = new URL(`${import.meta.env.BASE_URL}tokenizers/${tokenizer}/${file}`, document.baseURI);
  const response = await expectOk(await fetch(url, { signal }), `reading the served ${url.pathname}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function publishBuiltInRepository(
  config: PublishConfig,
  onProgress: (line: string) => void,
  signal: AbortSignal,
): Promise<PublishOutcome> {
  const started = performance.now();
  const repositoryUrl = uploadRepositoryUrl(config.hubUrl, config.modelId);
  const staged: { path: string; bytes: number }[] = [];

  const upload = async (file: RepositoryFile) => {
    const totalBytes = file.bytes.byteLength;
    for (const range of uploadChunks(totalBytes)) {
      const url = uploadChunkUrl(config.hubUrl, config.modelId, file.path, { ...range, totalBytes });
      // A copy of the range: fetch takes only ArrayBuffer-backed views, and the bytes may be a view of more.
      const body = file.bytes.slice(range.start, range.end);
      await expectOk(
        await fetch(url, {
          method: 'PUT',
          body,
          headers: { 'Content-Type': 'application/octet-stream' },
          signal,
        }),
        `uploading ${file.path} at byte ${range.start}`,
      );
    }
    staged.push({ path: file.path, bytes: totalBytes });
  };

  await expectOk(await fetch(repositoryUrl, { method: 'DELETE', signal }), 'clearing the staging area');
  const variants: PublishedVariant[] = [];
  const files = builtInRepositoryFiles({
    preset: config.preset,
    quantizations: config.quantizations,
    seed: config.weightSeed,
    form: config.graph,
    lmHead: config.lmHead,
  });
  for (const spec of files) {
    switch (spec.kind) {
      case 'text':
        await upload({ path: spec.path, bytes: new TextEncoder().encode(spec.text) });
        break;
      case 'tokenizer':
        await upload({
          path: spec.path,
          bytes: await servedTokenizerFile(spec.tokenizer, spec.path, signal),
        });
        break;
      case 'model': {
        const { quantization } = spec.build;
        let shown = -1;
        onProgress(`${quantization}: building ${spec.path}`);
        const buildStarted = performance.now();
        const built = await buildVariantInWorker(spec.build, signal, (fraction) => {
          const tenth = Math.floor(fraction * 10);
          if (tenth > shown) onProgress(`${quantization}: building ${tenth * 10}%`);
          shown = tenth;
        });
        const buildMs = performance.now() - buildStarted;
        const uploadStarted = performance.now();
        const repositoryFiles = variantFiles(spec.path, built);
        const bytes = repositoryFiles.reduce((sum, file) => sum + file.bytes.byteLength, 0);
        onProgress(
          `${quantization}: built in ${(buildMs / 1000).toFixed(1)} s, uploading ${formatBytes(bytes)}`,
        );
        for (const file of repositoryFiles) await upload(file);
        const uploadMs = performance.now() - uploadStarted;
        onProgress(`${quantization}: uploaded in ${(uploadMs / 1000).toFixed(1)} s`);
        variants.push({ quantization, buildMs, uploadMs, bytes });
        break;
      }
    }
  }

  onProgress(`publishing ${config.modelId} (${staged.length} files)`);
  const response = await expectOk(
    await fetch(repositoryUrl, {
      method: 'POST',
      body: JSON.stringify({ files: staged }),
      headers: { 'Content-Type': 'application/json' },
      signal,
    }),
    `publishing ${config.modelId}`,
  );
  let published: PublishedRepository;
  try {
    published = publishedRepositorySchema.parse(await response.json());
  } catch (error) {
    throw new Error(`the hub's answer to publishing is not understood: ${errorMessage(error)}`);
  }
  const served = published.files.map((file) => `${file.path}:${file.bytes}`).sort();
  const sent = staged.map((file) => `${file.path}:${file.bytes}`).sort();
  if (served.join('\n') !== sent.join('\n'))
    throw new Error(`the hub publishes ${served.join(', ')}; the page sent ${sent.join(', ')}`);
  return { ...published, variants, totalMs: performance.now() - started };
}
