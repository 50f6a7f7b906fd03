/**
 * A repository's variant (hub or local folder) described for the admission check, from its file listing and
 * config.json alone, so it is judged before anything is downloaded.
 */
import { whyVariantCannotRun, type AdapterLimits, type VariantDescription } from '../bench/admission';
import { QUANTIZATION_LEVELS, type Quantization } from '../model/quantization';
import type { DecoderShape } from '../source/decoder-shape';
import type { ModelVariant } from './variants';

/** The embedding table (vocab × hidden) is the largest weight of a Llama export in every level. */
export function estimatedLargestWeightBytes(decoder: DecoderShape, quantization: Quantization): number {
  return decoder.vocabSize * decoder.hiddenSize * QUANTIZATION_LEVELS[quantization].hubEmbeddingBytes;
}

export function describeRepositoryVariant(variant: ModelVariant, decoder: DecoderShape): VariantDescription {
  return {
    activationType: QUANTIZATION_LEVELS[variant.quantization].activationType,
    largestTensor: {
      name: 'embedding table',
      shape: [decoder.vocabSize, decoder.hiddenSize],
      bytes: estimatedLargestWeightBytes(decoder, variant.quantization),
      estimated: true,
    },
    totalBytes: variant.totalBytes,
    modelFile: { path: variant.modelFile.path, bytes: variant.modelFile.bytes },
  };
}

/** Why this variant cannot run on this adapter, in plain words; undefined when it can. */
export function variantDisabledReason(
  variant: ModelVariant,
  decoder: DecoderShape,
  limits: AdapterLimits,
): string | undefined {
  return whyVariantCannotRun(describeRepositoryVariant(variant, decoder), limits);
}
