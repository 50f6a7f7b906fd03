/**
 * Reads onnxruntime's profile. With session option `enableProfiling`, onnxruntime-web 1.30 prints it to stdout
 * (console.log) at `endProfiling()`, one Chrome-trace event per line (profiler.h: browsers have no file system):
 *
 *   {"cat" : "Session", … "dur" :10142800,"ts" :31514700,"ph" : "X","name" :"model_run","args" : {}},
 *   {"cat" : "Node", … "name" :"Cast_3_kernel_time","args" : {… "provider" : "CPUExecutionProvider", …}},
 *   {"cat" : "Api", … "dur" :3427,"ts" :18497998,"ph" : "X","name" :"<node>&MatMulNBits&MatMulNBitsWideTile", …},
 *
 * `Session` events time each `session.run` (`model_run`) and the executor's walk over the graph on the CPU;
 * `Node` events time each node's CPU side; `Api` events are the WebGPU provider's dispatches, timed on the GPU by
 * timestamp queries and placed on the CPU's clock (they fall inside their run's `model_run`). Times are in µs.
 */
import { z } from 'zod';
import type { KernelProfile, OpKernelTime, RunKernelProfile } from '../results/kernel-profile';
import { CPU_PROVIDER } from './ort-placement-log';
import { median } from './statistics';

export interface ProfileEvent {
  readonly cat: string;
  readonly name: string;
  readonly ts: number;
  readonly dur: number;
  /** The execution provider of a `Node` event. */
  readonly provider: string | undefined;
}

const eventSchema = z.object({
  cat: z.string(),
  name: z.string(),
  ts: z.number().finite(),
  dur: z.number().finite().nonnegative(),
  args: z.object({ provider: z.string().optional() }).loose().optional(),
});

/** The profile's events among whatever else was printed; lines that are not events are skipped. */
export function parseProfileEvents(lines: readonly string[]): ProfileEvent[] {
  const events: ProfileEvent[] = [];
  for (const line of lines) {
    const text = line.trim().replace(/,$/, '');
    if (!text.startsWith('{"cat"')) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      continue;
    }
    const parsed = eventSchema.safeParse(json);
    if (!parsed.success) continue;
    const { cat, name, ts, dur, args } = parsed.data;
    events.push({ cat, name, ts, dur, provider: args?.provider });
  }
  return events;
}

interface RunWindow {
  readonly start: number;
  readonly end: number;
}

function runWindows(events: readonly ProfileEvent[]): RunWindow[] {
  return events
    .filter((event) => event.cat === 'Session' && event.name === 'model_run')
    .map((event) => ({ start: event.ts, end: event.ts + event.dur }))
    .sort((a, b) => a.start - b.start);
}

/** `<node>&MatMulNBits&MatMulNBitsWideTile` → `MatMulNBits · MatMulNBitsWideTile`; `<node>&Add&Add` → `Add`. */
export function kernelOpOf(apiEventName: string): string {
  const parts = apiEventName.split('&');
  if (parts.length < 3) return apiEventName;
  const op = parts[parts.length - 2]!;
  const program = parts[parts.length - 1]!;
  return program === '' || program === op ? op : `${op} · ${program}`;
}

function within(window: RunWindow, event: ProfileEvent): boolean {
  return event.ts >= window.start && event.ts <= window.end;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** One kind of run, averaged over the runs in `windows` (each run's events are those inside its window). */
function profileOfRuns(events: readonly ProfileEvent[], windows: readonly RunWindow[]): RunKernelProfile {
  const runs = windows.length;
  if (runs === 0) throw new Error('no runs to profile');
  const perRun = windows.map((window) => events.filter((event) => within(window, event)));
  const kernelsOf = (inRun: readonly ProfileEvent[]) => inRun.filter((event) => event.cat === 'Api');
  const cpuNodesOf = (inRun: readonly ProfileEvent[]) =>
    inRun.filter((event) => event.cat === 'Node' && event.provider === CPU_PROVIDER);
  const mean = (value: (inRun: readonly ProfileEvent[]) => number) => sum(perRun.map(value)) / runs;

  const byOp = new Map<string, { kernels: number; gpuUs: number }>();
  for (const inRun of perRun) {
    for (const kernel of kernelsOf(inRun)) {
      const op = kernelOpOf(kernel.name);
      const entry = byOp.get(op) ?? { kernels: 0, gpuUs: 0 };
      byOp.set(op, { kernels: entry.kernels + 1, gpuUs: entry.gpuUs + kernel.dur });
    }
  }
  const ops: OpKernelTime[] = [...byOp.entries()]
    .map(([op, entry]) => ({ op, kernels: entry.kernels / runs, gpuUs: entry.gpuUs / runs }))
    .sort((a, b) => b.gpuUs - a.gpuUs || a.op.localeCompare(b.op));

  return {
    runs,
    wallUs: median(windows.map((window) => window.end - window.start)),
    executeUs: median(
      perRun.map((inRun) =>
        sum(
          inRun
            .filter((event) => event.cat === 'Session' && event.name === 'SequentialExecutor::Execute')
            .map((event) => event.dur),
        ),
      ),
    ),
    kernels: mean((inRun) => kernelsOf(inRun).length),
    gpuBusyUs: mean((inRun) => sum(kernelsOf(inRun).map((kernel) => kernel.dur))),
    gpuSpanUs: mean((inRun) => {
      const kernels = kernelsOf(inRun);
      if (kernels.length === 0) return 0;
      const start = Math.min(...kernels.map((kernel) => kernel.ts));
      const end = Math.max(...kernels.map((kernel) => kernel.ts + kernel.dur));
      return end - start;
    }),
    cpuNodes: mean((inRun) => cpuNodesOf(inRun).length),
    cpuNodeUs: mean((inRun) => sum(cpuNodesOf(inRun).map((node) => node.dur))),
    ops,
  };
}

/** Chrome rounds timestamp queries to 100 µs unless its WebGPU developer features are on. */
const ROUNDED_TIMESTAMP_US = 100;

/** Whether every one of enough kernel times is a whole multiple of the browser's rounding step. */
export function timestampsLookRounded(kernelDurationsUs: readonly number[]): boolean {
  return kernelDurationsUs.length >= 10 && kernelDurationsUs.every((dur) => dur % ROUNDED_TIMESTAMP_US === 0);
}

/** How a profiling session ran: `prefillRuns` prefills, then `decodeRuns` decode steps on the last one's cache. */
export interface ProfiledRuns {
  readonly promptTokens: number;
  readonly prefillRuns: number;
  readonly decodeRuns: number;
}

/**
 * The profile of one prompt length. The first run of each kind is left out (it compiles that shape's shaders),
 * so each kind needs at least two runs.
 */
export function kernelProfileOf(lines: readonly string[], runs: ProfiledRuns): KernelProfile {
  const { promptTokens, prefillRuns, decodeRuns } = runs;
  if (prefillRuns < 2 || decodeRuns < 2) throw new Error('profile at least two runs of each kind');
  const events = parseProfileEvents(lines);
  const windows = runWindows(events);
  if (windows.length !== prefillRuns + decodeRuns) {
    throw new Error(
      `onnxruntime's profile holds ${windows.length} runs where ${prefillRuns + decodeRuns} were made`,
    );
  }
  return {
    promptTokens,
    prefill: profileOfRuns(events, windows.slice(1, prefillRuns)),
    decode: profileOfRuns(events, windows.slice(prefillRuns + 1)),
    timestampsRounded: timestampsLookRounded(
      events.filter((event) => event.cat === 'Api').map((event) => event.dur),
    ),
  };
}

/** `MatMulNBits · MatMulNBitsWideTile 4.12 ms (36)`: the `count` ops with the most GPU time in a run. */
export function describeTopOps(run: RunKernelProfile, count: number): string[] {
  return run.ops
    .slice(0, count)
    .map((op) => `${op.op} ${(op.gpuUs / 1000).toFixed(2)} ms (${formatCount(op.kernels)})`);
}

/** Per-run means are whole numbers unless runs differed; show one decimal only then. */
export function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
