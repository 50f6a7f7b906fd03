/**
 * onnxruntime's `accuracy_level` attribute of `com.microsoft` MatMulNBits: the lowest precision its kernels may
 * compute a 4-bit (or 8-bit) weight multiply in. 0 (the attribute's default) leaves the choice to the kernel and
 * keeps the activations float; 4 lets it quantize the activations to int8 per block and multiply in integers.
 *
 * onnxruntime-web 1.30's WebGPU EP then takes its DP4A kernels (quantization/matmul_nbits_common.cc
 * `WouldApplyDP4AMatMulNBitsInCurrentDispatch`, dp4a_matmul_nbits.cc `CanApplyDP4AMatrixMatMulNBits`) where the
 * device has `subgroups` and its vendor is not Apple, block_size % 32 == 0, K % 128 == 0 (64 in older releases),
 * N % 16 == 0, and either M ≥ 4 or float32 output (so every M, decode too, when activations are float32; prefill
 * only with float16). The fused MatMulNBitsMlp that onnxruntime makes of gate/up keeps the attribute and
 * dispatches the same way (its one-kernel decode path is skipped where DP4A applies). onnxruntime-web's wasm
 * (CPU) MatMulNBits computes level 4 exactly as level 0 (measured in Node: identical logits), so the CPU match
 * against WebGPU shows what DP4A's int8 activations change.
 *
 * onnxruntime-genai's model builder writes 4 by default for cpu and webgpu; onnx-community's exports carry none.
 */
import type { GraphNode } from './onnx-read';
import { CONTRIB_DOMAIN } from './onnx-domains';

/** The levels this app's builder writes: onnxruntime's default, and the int8-activation level genai uses. */
export const ACCURACY_LEVELS = [0, 4] as const;
export type AccuracyLevel = (typeof ACCURACY_LEVELS)[number];

/** What every built model had before the option, and what onnx-community exports carry. */
export const DEFAULT_ACCURACY_LEVEL: AccuracyLevel = 0;

/** The largest level onnxruntime accepts ("MatMulNBits accuracy level must be between 0 and 4"). */
export const MAX_ACCURACY_LEVEL = 4;

const ATTRIBUTE = 'accuracy_level';

/**
 * The largest accuracy_level over the graph's MatMulNBits nodes (absent counts as 0, the attribute's default),
 * or undefined where the graph has none (fp32, fp16, int8 and hub formats without MatMulNBits).
 */
export function detectAccuracyLevel(
  nodes: readonly Pick<GraphNode, 'opType' | 'domain' | 'intAttributes'>[],
): number | undefined {
  let level: number | undefined;
  for (const node of nodes) {
    if (node.opType !== 'MatMulNBits' || node.domain !== CONTRIB_DOMAIN) continue;
    level = Math.max(level ?? 0, node.intAttributes[ATTRIBUTE] ?? 0);
  }
  return level;
}

export type AccuracyLevelParse =
  { readonly ok: true; readonly level: AccuracyLevel } | { readonly ok: false; readonly message: string };

/** A level as typed on a command line ("0" or "4"). */
export function parseAccuracyLevel(text: string): AccuracyLevelParse {
  const level = ACCURACY_LEVELS.find((candidate) => String(candidate) === text.trim());
  return level === undefined
    ? { ok: false, message: `the accuracy level is ${ACCURACY_LEVELS.join(' or ')}, not "${text}"` }
    : { ok: true, level };
}
