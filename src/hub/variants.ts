/**
 * Which quantization variants a repository holds, from its file list alone, so sizes can be shown before
 * anything is downloaded. Follows the onnx-community / transformers.js naming: `onnx/model_<suffix>.onnx`
 * with optional external weights `model_<suffix>.onnx_data[_N]`; older Xenova exports name the same graphs
 * `decoder_model_merged_<suffix>.onnx`.
 */
import { QUANTIZATION_LEVELS, QUANTIZATIONS, type Quantization } from '../model/quantization';
import type { RepoFile } from './repo-file';

export interface ModelVariant {
  readonly quantization: Quantization;
  readonly modelFile: RepoFile;
  /** External weights, in the order of their numeric suffix; handed to onnxruntime with the model. */
  readonly externalDataFiles: readonly RepoFile[];
  readonly totalBytes: number;
}

/** Base names tried in order; the first one with any variant wins so two exports are never mixed. */
const MODEL_BASE_NAMES = ['model', 'decoder_model_merged'] as const;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function externalPartIndex(path: string, modelPath: string): number | undefined {
  const match = new RegExp(`^${escapeRegExp(modelPath)}_data(?:_(\\d+))?$`).exec(path);
  if (match === null) return undefined;
  return match[1] === undefined ? 0 : Number(match[1]) + 1;
}

export function detectVariants(files: readonly RepoFile[]): ModelVariant[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  for (const base of MODEL_BASE_NAMES) {
    const variants: ModelVariant[] = [];
    for (const quantization of QUANTIZATIONS) {
      const modelPath = `onnx/${base}${QUANTIZATION_LEVELS[quantization].fileSuffix}.onnx`;
      const modelFile = byPath.get(modelPath);
      if (modelFile === undefined) continue;
      const externalDataFiles = files
        .map((file) => ({ file, index: externalPartIndex(file.path, modelPath) }))
        .filter((entry): entry is { file: RepoFile; index: number } => entry.index !== undefined)
        .sort((a, b) => a.index - b.index)
        .map((entry) => entry.file);
      const totalBytes = externalDataFiles.reduce((sum, file) => sum + file.bytes, modelFile.bytes);
      variants.push({ quantization, modelFile, externalDataFiles, totalBytes });
    }
    if (variants.length > 0) return variants;
  }
  return [];
}

/** The path onnxruntime expects for an external data file: relative to the model file's folder. */
export function externalDataLocation(file: RepoFile): string {
  return file.path.slice(file.path.lastIndexOf('/') + 1);
}
