import { describeTopOps, formatCount } from '../bench/kernel-profile';
import type { RunKernelProfile } from '../results/kernel-profile';
import type { VariantLoadRecord } from '../results/trial';

interface KernelProfilesProps {
  readonly loads: readonly VariantLoadRecord[];
}

const TOP_OPS = 5;

function ms(micros: number): string {
  return (micros / 1000).toFixed(2);
}

function RunRow({ label, run, testId }: { label: string; run: RunKernelProfile; testId: string }) {
  return (
    <tr data-testid={testId}>
      <td>{label}</td>
      <td data-testid={`${testId}-kernels`}>{formatCount(run.kernels)}</td>
      <td data-testid={`${testId}-gpu-busy`}>{ms(run.gpuBusyUs)}</td>
      <td>{ms(run.gpuSpanUs)}</td>
      <td>{run.kernels > 0 ? (run.gpuBusyUs / run.kernels).toFixed(1) : '—'}</td>
      <td>{ms(run.executeUs)}</td>
      <td>{ms(run.wallUs)}</td>
      <td>{`${formatCount(run.cpuNodes)} (${ms(run.cpuNodeUs)} ms)`}</td>
      <td>
        {describeTopOps(run, TOP_OPS).map((line) => (
          <div key={line}>{line}</div>
        ))}
      </td>
    </tr>
  );
}

/**
 * Per variant and prompt length, onnxruntime's own per-kernel GPU timestamps: how many dispatches a prefill
 * and a decode step take, how long the GPU was busy with them, and which ops took that time. Profiled in a
 * session of its own (the timestamp queries slow it down), so these times are not the trials' TTFT.
 */
export function KernelProfiles({ loads }: KernelProfilesProps) {
  const profiled = loads.filter((load) => load.kernelProfile !== undefined);
  if (profiled.length === 0) return null;
  return (
    <div className="table-scroll">
      <table data-testid="kernel-profiles">
        <caption className="hint">
          onnxruntime&apos;s profiler, timestamps around every WebGPU dispatch, in a session of its own: the
          mean of two warm runs (the first run of each shape, which compiles its shaders, is left out). GPU
          busy is the sum of kernel times; GPU span runs from the first kernel&apos;s start to the last
          one&apos;s end; executor is onnxruntime&apos;s CPU walk over the graph. Profiling slows runs down:
          compare kernels with each other, and the trials&apos; TTFT with the trials.
        </caption>
        <thead>
          <tr>
            <th scope="col">variant · run</th>
            <th scope="col">kernels</th>
            <th scope="col">GPU busy (ms)</th>
            <th scope="col">GPU span (ms)</th>
            <th scope="col">µs per kernel</th>
            <th scope="col">executor (ms)</th>
            <th scope="col">session.run (ms)</th>
            <th scope="col">CPU nodes</th>
            <th scope="col">most GPU time</th>
          </tr>
        </thead>
        <tbody>
          {profiled.flatMap((load) => {
            const report = load.kernelProfile!;
            if (report.kind === 'not measured') {
              return [
                <tr key={load.quantization} data-testid={`kernel-profile-${load.quantization}`}>
                  <td>{load.quantization}</td>
                  <td colSpan={8}>not measured: {report.reason}</td>
                </tr>,
              ];
            }
            return report.profiles.flatMap((profile) => {
              const id = `kernel-profile-${load.quantization}-${profile.promptTokens}`;
              const rounded = profile.timestampsRounded ? (
                <tr key={`${id}-rounded`} className="error" data-testid={`${id}-rounded`}>
                  <td colSpan={9}>
                    ⚠ {load.quantization} at {profile.promptTokens} tokens: the browser rounded its GPU
                    timestamps to 100 µs, so the kernel times below are coarse (Chrome keeps them exact with
                    WebGPU developer features on: chrome://flags/#enable-webgpu-developer-features). Kernel
                    counts hold.
                  </td>
                </tr>
              ) : undefined;
              return [
                ...(rounded === undefined ? [] : [rounded]),
                <RunRow
                  key={`${id}-prefill`}
                  label={`${load.quantization} · prefill ${profile.promptTokens}`}
                  run={profile.prefill}
                  testId={`${id}-prefill`}
                />,
                <RunRow
                  key={`${id}-decode`}
                  label={`${load.quantization} · decode step after ${profile.promptTokens}`}
                  run={profile.decode}
                  testId={`${id}-decode`}
                />,
              ];
            });
          })}
        </tbody>
      </table>
    </div>
  );
}
