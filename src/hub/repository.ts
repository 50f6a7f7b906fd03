/**
 * A model repository, wherever its files live (the hub, a mirror, a local folder), and what this app needs
 * from it before measuring: quantization variants, a Llama-family config.json and a tokenizer.
 */
import type { ModelRef } from '../config/model-ref';
import { HubError } from './hub-error';
import { formatBytes } from '../format-bytes';
import { parseDecoderConfig } from './model-config';
import { type DecoderShape } from '../source/decoder-shape';
import type { RepoFile } from './repo-file';
import { detectVariants, type ModelVariant } from './variants';

/** Where a file's bytes came from this time: the network, Cache Storage, or the user's disk. */
export type FileOrigin = 'network' | 'cache' | 'disk';

export interface ModelRepository {
  readonly ref: Exclude<ModelRef, { kind: 'builtin' }>;
  /** The commit the files are read at (hub), or '' for a local folder. */
  readonly commit: string;
  readonly files: readonly RepoFile[];
  readFile(
    file: RepoFile,
    signal: AbortSignal,
    onProgress: (loadedBytes: number) => void,
  ): Promise<{ readonly bytes: Uint8Array; readonly origin: FileOrigin }>;
}

export interface TokenizerFiles {
  readonly tokenizerJson: unknown;
  readonly tokenizerConfig: unknown;
}

/** A repository checked to be measurable, with what the sweep needs to know up front. */
export interface InspectedModel {
  readonly repository: ModelRepository;
  readonly variants: readonly ModelVariant[];
  readonly decoder: DecoderShape;
  /** From generation_config.json where present (else config.json), for display. */
  readonly eosTokenIds: readonly number[];
  readonly tokenizerFiles: TokenizerFiles;
}

function findFile(repository: ModelRepository, path: string): RepoFile | undefined {
  return repository.files.find((file) => file.path === path);
}

/**
 * config.json, generation_config.json and tokenizer files: real ones are kilobytes to tens of MB (a Llama-3
 * tokenizer.json is 9 MB). A listing that claims more is wrong or hostile, and is refused before any download.
 */
const MAX_JSON_FILE_BYTES = 64 * 2 ** 20;

async function readJson(repository: ModelRepository, file: RepoFile, signal: AbortSignal): Promise<unknown> {
  if (!(file.bytes <= MAX_JSON_FILE_BYTES)) {
    throw new HubError(
      'too-large',
      `The repository lists ${file.path} as ${formatBytes(file.bytes)}; such a file is at most a few tens of ` +
        `MB, so the listing is wrong. Nothing was downloaded; check the repository or mirror.`,
    );
  }
  const { bytes } = await repository.readFile(file, signal, () => undefined);
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (error) {
    throw new HubError('invalid-model', `${file.path} is not valid JSON.`, { cause: error });
  }
}

function tokenIds(value: unknown): number[] {
  if (typeof value === 'number' && Number.isInteger(value)) return [value];
  if (Array.isArray(value)) return value.filter((id): id is number => typeof id === 'number');
  return [];
}

function eosOf(json: unknown): number[] {
  return typeof json === 'object' && json !== null && 'eos_token_id' in json
    ? tokenIds(json.eos_token_id)
    : [];
}

export async function inspectRepository(
  repository: ModelRepository,
  signal: AbortSignal,
): Promise<InspectedModel> {
  const variants = detectVariants(repository.files);
  if (variants.length === 0) {
    const hasOnnxFolder = repository.files.some((file) => file.path.startsWith('onnx/'));
    throw new HubError(
      'no-onnx',
      hasOnnxFolder
        ? 'The onnx/ folder has no model.onnx or model_<quantization>.onnx; this export layout is not supported.'
        : 'This repository has no onnx/ folder. Pick the ONNX export (onnx-community/… repositories usually have one).',
    );
  }
  const configFile = findFile(repository, 'config.json');
  if (configFile === undefined) {
    throw new HubError(
      'missing-file',
      'The repository has no config.json, so its architecture cannot be checked.',
    );
  }
  const configJson = await readJson(repository, configFile, signal);
  const decoder = parseDecoderConfig(configJson);
  const generationFile = findFile(repository, 'generation_config.json');
  const generationJson =
    generationFile === undefined ? undefined : await readJson(repository, generationFile, signal);
  const tokenizerFile = findFile(repository, 'tokenizer.json');
  if (tokenizerFile === undefined) {
    throw new HubError(
      'missing-file',
      "The repository has no tokenizer.json; prompts of exact token counts need the model's own tokenizer.",
    );
  }
  const tokenizerConfigFile = findFile(repository, 'tokenizer_config.json');
  const tokenizerFiles: TokenizerFiles = {
    tokenizerJson: await readJson(repository, tokenizerFile, signal),
    tokenizerConfig:
      tokenizerConfigFile === undefined ? {} : await readJson(repository, tokenizerConfigFile, signal),
  };
  const eosTokenIds = eosOf(generationJson);
  return {
    repository,
    variants,
    decoder,
    eosTokenIds: eosTokenIds.length > 0 ? eosTokenIds : eosOf(configJson),
    tokenizerFiles,
  };
}
