/** A checked repository (hub or local folder) as a sweep's ModelSource. */
import type { LmHead } from '../config/sweep-config';
import type { FetchProgress, ModelSource } from '../source/model-source';
import { rewriteToLastPositionLogits } from '../model/last-position-rewrite';
import type { Quantization } from '../model/config';
import type { InspectedModel } from './repository';
import { externalDataLocation } from './variants';

/**
 * `lmHead: 'last'` rewrites each downloaded graph to compute the LM head for the last position only (the
 * cached file stays as downloaded); a graph the rewrite cannot prove safe stops the run with the reason.
 */
export function repositorySource(inspected: InspectedModel, lmHead: LmHead = 'all'): ModelSource {
  const { repository, decoder } = inspected;
  return {
    description: {
      model: repository.ref,
      revision: repository.commit,
      tokenizer: {
        kind: 'files',
        id: repository.ref.kind === 'hub' ? repository.ref.id : repository.ref.folderName,
        tokenizerJson: inspected.tokenizerFiles.tokenizerJson,
        tokenizerConfig: inspected.tokenizerFiles.tokenizerConfig,
      },
      decoder,
    },
    async loadVariant(
      quantization: Quantization,
      signal: AbortSignal,
      onProgress: (p: FetchProgress) => void,
    ) {
      const variant = inspected.variants.find((candidate) => candidate.quantization === quantization);
      if (variant === undefined) throw new Error(`the repository has no ${quantization} variant`);
      const started = performance.now();
      let doneBytes = 0;
      const origins = new Set<string>();
      const read = async (file: typeof variant.modelFile) => {
        const { bytes, origin } = await repository.readFile(file, signal, (loadedBytes) => {
          const elapsedSeconds = Math.max((performance.now() - started) / 1000, 1e-3);
          const loaded = doneBytes + loadedBytes;
          onProgress({
            loadedBytes: loaded,
            totalBytes: variant.totalBytes,
            bytesPerSecond: loaded / elapsedSeconds,
          });
        });
        doneBytes += bytes.byteLength;
        origins.add(origin);
        return bytes;
      };
      const downloaded = await read(variant.modelFile);
      let modelBytes = downloaded;
      if (lmHead === 'last') {
        const rewrite = rewriteToLastPositionLogits(downloaded);
        if (!rewrite.ok) {
          throw new Error(
            `The LM head for the last position only cannot be applied to ${variant.modelFile.path}: ${rewrite.reason}. Run it with the LM head for every position.`,
          );
        }
        modelBytes = rewrite.modelBytes;
      }
      const externalData: { path: string; data: Uint8Array }[] = [];
      for (const file of variant.externalDataFiles) {
        externalData.push({ path: externalDataLocation(file), data: await read(file) });
      }
      const filesFrom = origins.has('network') ? 'network' : origins.has('disk') ? 'disk' : 'cache';
      return { files: { modelBytes, externalData }, filesFrom };
    },
  };
}
