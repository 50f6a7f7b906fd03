/**
 * The arithmetic of a Llama prefill, from the model's shape: floating-point operations (a multiply-add is
 * two) of the matrix multiplies and of causal attention. Norms, RoPE and softmax are elementwise and left
 * out (well under 1% for any real shape). Attention counts only the causal half that a prefill needs.
 */
import type { LmHead } from '../config/sweep-config';
import type { DevicePeaks } from './device-peaks';

export type { DevicePeaks } from './device-peaks';

export interface PrefillShape {
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numAttentionHeads: number;
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  readonly vocabSize: number;
}

export interface PrefillFlops {
  readonly projections: number;
  readonly attention: number;
  readonly mlp: number;
  readonly lmHead: number;
  readonly total: number;
}

export interface PrefillRequest {
  readonly promptTokens: number;
  readonly lmHead: LmHead;
  /** Tokens already in the KV cache (a context depth): every prompt position also attends to them. */
  readonly contextTokens?: number;
}

export function prefillFlops(
  shape: PrefillShape,
  { promptTokens, lmHead, contextTokens = 0 }: PrefillRequest,
): PrefillFlops {
  const t = promptTokens;
  const h = shape.hiddenSize;
  const queryWidth = shape.numAttentionHeads * shape.headDim;
  const keyValueWidth = shape.numKeyValueHeads * shape.headDim;
  // q, k, v and o projections.
  const projections = shape.numLayers * 2 * t * h * (2 * queryWidth + 2 * keyValueWidth);
  // QKᵀ and (softmax)·V over the causal pairs: position i attends to the context and i + 1 positions.
  const causalPairs = t * contextTokens + (t * (t + 1)) / 2;
  const attention = shape.numLayers * 2 * 2 * causalPairs * queryWidth;
  // gate, up and down.
  const mlp = shape.numLayers * 3 * 2 * t * h * shape.intermediateSize;
  const lmHeadFlops = 2 * (lmHead === 'last' ? 1 : t) * h * shape.vocabSize;
  return {
    projections,
    attention,
    mlp,
    lmHead: lmHeadFlops,
    total: projections + attention + mlp + lmHeadFlops,
  };
}

export interface RooflinePoint {
  readonly flops: number;
  /** FLOP/s the prefill achieved in its measured GPU time. */
  readonly achievedFlopsPerSecond: number;
  /**
   * Achieved over the measured matrix-multiply peak of the variant's activation type. Above 1 means the
   * measured peak is an underestimate (say, clocks were low when it was measured), never that the model beat
   * the hardware: the display says so instead of showing it as a percentage.
   */
  readonly fractionOfMatmulPeak: number;
  /** The least time at the measured peaks: all FLOPs at the multiply peak, or all weights read once at peak bandwidth. */
  readonly boundMs: number;
  readonly boundBy: 'compute' | 'memory';
  /** boundMs over the measured time: 1 would be at the roofline. */
  readonly fractionOfRoofline: number;
}

export function rooflinePoint(
  flops: number,
  weightBytes: number,
  gpuTimeMs: number,
  peaks: DevicePeaks,
  halfPrecision: boolean,
): RooflinePoint {
  if (!(gpuTimeMs > 0)) throw new Error('the measured time must be positive');
  const peakFlops =
    halfPrecision && peaks.matmulF16 !== undefined ? peaks.matmulF16.perSecond : peaks.matmulF32.perSecond;
  const computeMs = (flops / peakFlops) * 1000;
  const memoryMs = (weightBytes / peaks.memory.perSecond) * 1000;
  const boundMs = Math.max(computeMs, memoryMs);
  const achievedFlopsPerSecond = flops / (gpuTimeMs / 1000);
  return {
    flops,
    achievedFlopsPerSecond,
    fractionOfMatmulPeak: achievedFlopsPerSecond / peakFlops,
    boundMs,
    boundBy: computeMs >= memoryMs ? 'compute' : 'memory',
    fractionOfRoofline: boundMs / gpuTimeMs,
  };
}
