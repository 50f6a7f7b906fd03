/** The variant checks (CPU match and node placement) as text lines, for the CLI's summary. */
import { cpuMatchDisagrees, cpuMatchOfVariants, describeCpuMatch } from '../bench/cpu-match';
import { describePlacement, placementWarning } from '../bench/ort-placement-log';
import type { TrialRecord, VariantLoadRecord } from '../results/trial';

export function formatVariantChecks(
  loads: readonly VariantLoadRecord[],
  trials: readonly TrialRecord[],
): string[] {
  const matches = cpuMatchOfVariants(trials);
  return loads.flatMap((load) => {
    const match = matches.get(load.quantization);
    const lines = [
      `${load.quantization}: CPU match: ${match === undefined ? 'no trial recorded' : describeCpuMatch(match)}`,
    ];
    if (match !== undefined && cpuMatchDisagrees(match)) {
      lines.push(
        `  warning: WebGPU and onnxruntime's CPU backend pick different tokens for ${load.quantization}`,
      );
    }
    lines.push(...describePlacement(load.placement).map((line) => `  placement: ${line}`));
    const warning = load.placement?.kind === 'measured' ? placementWarning(load.placement) : undefined;
    if (warning !== undefined) lines.push(`  warning: ${warning}`);
    return lines;
  });
}
