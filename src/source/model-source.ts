/**
 * Where a sweep's model comes from — the built-in builder, a hub repository or a local folder — as the engine
 * sees it: a description as plain data, and each variant's files on request. It sits below both the code that
 * serves files (hub/, worker/) and the engine that measures them, so neither imports the other.
 */
import type { ModelRef } from '../config/model-ref';
import type { Quantization } from '../model/config';
import type { TokenizerSource } from '../tokenizer/load';
import type { DecoderShape } from './decoder-shape';

/** One ONNX model's bytes and its external weight files, as onnxruntime takes them. */
export interface ModelFiles {
  readonly modelBytes: Uint8Array;
  readonly externalData: readonly { readonly path: string; readonly data: Uint8Array }[];
}

/** Where a variant's files came from: built in a worker, downloaded, read from Cache Storage, or from disk. */
export type FilesOrigin = 'built' | 'network' | 'cache' | 'disk';

export interface VariantFiles {
  readonly files: ModelFiles;
  readonly filesFrom: FilesOrigin;
}

export interface FetchProgress {
  readonly loadedBytes: number;
  readonly totalBytes: number;
  readonly bytesPerSecond: number;
}

export interface ProviderDescription {
  readonly model: ModelRef;
  /** Recorded with every trial: the hub commit, or ''. */
  readonly revision: string;
  readonly tokenizer: TokenizerSource;
  /** The shape the model's config declares; each session is checked against it (none for built-in models). */
  readonly decoder: DecoderShape | undefined;
}

/** A model as the page holds it: a description as plain data, and each variant's files on request. */
export interface ModelSource {
  /** Everything but the files, as plain data: the engine worker builds its provider from it. */
  readonly description: ProviderDescription;
  loadVariant(
    quantization: Quantization,
    signal: AbortSignal,
    onProgress: (progress: FetchProgress) => void,
  ): Promise<VariantFiles>;
}
