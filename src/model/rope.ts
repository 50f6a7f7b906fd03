/** Rotary embedding frequencies, as Hugging Face computes them (including Llama 3's frequency scaling). */
import type { LlamaConfig } from './config';

export function ropeInverseFrequencies(config: LlamaConfig): Float32Array {
  const half = config.headDim / 2;
  const out = new Float32Array(half);
  const scaling = config.ropeScaling;
  for (let i = 0; i < half; i++) {
    const base = 1 / config.ropeTheta ** ((2 * i) / config.headDim);
    if (scaling === undefined) {
      out[i] = base;
      continue;
    }
    const lowFreqWavelength = scaling.originalMaxPositionEmbeddings / scaling.lowFreqFactor;
    const highFreqWavelength = scaling.originalMaxPositionEmbeddings / scaling.highFreqFactor;
    const wavelength = (2 * Math.PI) / base;
    if (wavelength < highFreqWavelength) out[i] = base;
    else if (wavelength > lowFreqWavelength) out[i] = base / scaling.factor;
    else {
      const smooth =
        (scaling.originalMaxPositionEmbeddings / wavelength - scaling.lowFreqFactor) /
        (scaling.highFreqFactor - scaling.lowFreqFactor);
      out[i] = (1 - smooth) * (base / scaling.factor) + smooth * base;
    }
  }
  return out;
}
