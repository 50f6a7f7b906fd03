/** Kernel profiles as a markdown table, for the CLI's summary and the GPU kit's reports. */
import { describeTopOps, formatCount } from '../bench/kernel-profile';
import type { RunKernelProfile } from '../results/kernel-profile';
import type { VariantLoadRecord } from '../results/trial';

const TOP_OPS = 3;

function ms(micros: number): string {
  return (micros / 1000).toFixed(2);
}

function row(label: string, run: RunKernelProfile): string {
  const perKernel = run.kernels > 0 ? (run.gpuBusyUs / run.kernels).toFixed(1) : '—';
  return `| ${label} | ${formatCount(run.kernels)} | ${ms(run.gpuBusyUs)} | ${ms(run.gpuSpanUs)} | ${perKernel} | ${ms(run.executeUs)} | ${ms(run.wallUs)} | ${formatCount(run.cpuNodes)} | ${describeTopOps(run, TOP_OPS).join('; ')} |`;
}

/** Empty when no variant was profiled. */
export function formatKernelProfiles(loads: readonly VariantLoadRecord[]): string[] {
  const profiled = loads.filter((load) => load.kernelProfile !== undefined);
  if (profiled.length === 0) return [];
  const lines = [
    "kernel profile (onnxruntime's timestamps around each dispatch, in a profiling session of its own; ms per run):",
    '| variant · run | kernels | GPU busy | GPU span | µs/kernel | executor | session.run | CPU nodes | most GPU time |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const load of profiled) {
    const report = load.kernelProfile!;
    if (report.kind === 'not measured') {
      lines.push(`| ${load.quantization} | not measured: ${report.reason} |`);
      continue;
    }
    for (const profile of report.profiles) {
      if (profile.timestampsRounded) {
        lines.push(
          `| ${load.quantization} · ${profile.promptTokens} | warning: the browser rounded GPU timestamps to 100 µs (enable WebGPU developer features): times below are coarse |`,
        );
      }
      lines.push(row(`${load.quantization} · prefill ${profile.promptTokens}`, profile.prefill));
      lines.push(row(`${load.quantization} · decode after ${profile.promptTokens}`, profile.decode));
    }
  }
  return lines;
}
