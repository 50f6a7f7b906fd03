/** Each barrier-timed cell of a run placed under this GPU's roofline. */
import type { ModelRef } from '../config/model-ref';
import type { CellSummary } from '../bench/summary';
import type { LmHead } from '../config/sweep-config';
import type { DecoderShape } from '../source/decoder-shape';
import { PRESETS } from '../model/config';
import { needsShaderF16 } from '../model/quantization';
import type { VariantLoadRecord } from '../results/trial';
import {
  prefillFlops,
  rooflinePoint,
  type DevicePeaks,
  type PrefillShape,
  type RooflinePoint,
} from './prefill-flops';

export interface RooflineRow {
  readonly quantization: CellSummary['quantization'];
  readonly promptTokens: number;
  readonly depthTokens: number;
  readonly gpuTimeMs: number;
  /** Timestamp queries around the prefill, or (without them) session.run plus the barrier wait. */
  readonly gpuTimeFrom: 'timestamps' | 'run + barrier';
  /** The model's file size: every weight is read at least once per prefill. */
  readonly weightBytes: number;
  readonly point: RooflinePoint;
}

/** The model's shape: a preset's, or a repository's config.json when it names the MLP width. */
export function prefillShapeOf(model: ModelRef, decoder: DecoderShape | undefined): PrefillShape | undefined {
  if (model.kind === 'builtin') return PRESETS[model.preset].config;
  if (decoder?.intermediateSize === undefined) return undefined;
  return { ...decoder, intermediateSize: decoder.intermediateSize };
}

export function rooflineRows(
  cells: readonly CellSummary[],
  loads: readonly VariantLoadRecord[],
  shape: PrefillShape,
  lmHead: LmHead,
  peaks: DevicePeaks,
): RooflineRow[] {
  return cells.flatMap((cell): RooflineRow[] => {
    const load = loads.find((candidate) => candidate.quantization === cell.quantization);
    if (cell.syncMode !== 'barrier' || load === undefined) return [];
    const span = cell.gpuSpanMedianMs;
    const gpuTimeMs = span ?? cell.medianPartsMs.prefill + cell.medianPartsMs.gpuWait;
    if (!(gpuTimeMs > 0)) return [];
    const flops = prefillFlops(shape, {
      promptTokens: cell.promptTokens,
      lmHead,
      contextTokens: cell.depthTokens,
    }).total;
    return [
      {
        quantization: cell.quantization,
        promptTokens: cell.promptTokens,
        depthTokens: cell.depthTokens,
        gpuTimeMs,
        gpuTimeFrom: span === undefined ? 'run + barrier' : 'timestamps',
        weightBytes: load.modelBytes,
        // Every weight is read at least once per prefill: the file size bounds that traffic from below.
        point: rooflinePoint(flops, load.modelBytes, gpuTimeMs, peaks, needsShaderF16(cell.quantization)),
      },
    ];
  });
}
