/**
 * A repository's variants (hub or local folder) described for the admission check, from the listing and
 * config.json alone, before anything large is downloaded.
 */
import type { ModelShape, VariantFootprint } from '../bench/run-admission';
import { activationBytes } from '../model/quantization';
import type { DecoderShape } from '../source/decoder-shape';
import type { InspectedModel } from './repository';
import type { AdapterLimits } from '../bench/admission';
import { variantDisabledReason } from './variant-limits';

export function repositoryModelShape(decoder: DecoderShape): ModelShape {
  return {
    numLayers: decoder.numLayers,
    hiddenSize: decoder.hiddenSize,
    numAttentionHeads: decoder.numAttentionHeads,
    numKeyValueHeads: decoder.numKeyValueHeads,
    headDim: decoder.headDim,
    vocabSize: decoder.vocabSize,
    intermediateSize: decoder.intermediateSize,
    graph: 'exported',
  };
}

export function repositoryFootprints(
  inspected: InspectedModel,
  limits: AdapterLimits | undefined,
): VariantFootprint[] {
  return inspected.variants.map((variant) => ({
    quantization: variant.quantization,
    adapterRefusal:
      limits === undefined ? undefined : variantDisabledReason(variant, inspected.decoder, limits),
    // The files hold the weights (and a graph far smaller than them).
    weightBytes: variant.totalBytes,
    files: [variant.modelFile, ...variant.externalDataFiles].map((file) => ({
      path: file.path,
      bytes: file.bytes,
    })),
    modelFilePath: variant.modelFile.path,
    filesFrom: 'fetched',
    activationBytes: activationBytes(variant.quantization),
  }));
}
