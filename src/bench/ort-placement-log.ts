/**
 * Reads node placement from onnxruntime's own log. With session option `logSeverityLevel: 0`, onnxruntime-web
 * 1.30 writes, while it creates a session (session_state.cc, VerifyEachNodeIsAssignedToAnEp):
 *
 *   2026-12-01 02:21:47.873199 [V:onnxruntime:<logId>, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 11
 *   2026-12-01 02:21:47.873199 [V:onnxruntime:<logId>, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   Shape (Shape_1)
 *
 * (or ` All nodes placed on [P]. Number of nodes: N` without a list when one provider took everything), and,
 * while partitioning, `webgpu kernel not found in registries for Op type: X node name: Y` at INFO. Warnings
 * and errors arrive wrapped in ANSI colour codes. Nothing here guesses placement from op names: the shape-op
 * list below only decides which CPU nodes deserve a warning.
 */
import type { NodePlacement, OpCount, PlacementReport, ProviderNodes } from '../results/node-placement';

export const CPU_PROVIDER = 'CPUExecutionProvider';
export const WEBGPU_PROVIDER = 'WebGpuExecutionProvider';

// ANSI colour codes, as onnxruntime writes them around warnings and errors.
const ANSI = /\u001b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export type OrtSeverity = 'V' | 'I' | 'W' | 'E' | 'F';

export interface OrtLogLine {
  readonly severity: OrtSeverity;
  /** The session's `logId` (empty when none was set; `Default` for the environment's logger). */
  readonly logId: string;
  /** `session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp` */
  readonly location: string;
  readonly message: string;
}

const LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \[([VIWEF]):onnxruntime:([^,\]]*), ([^\]]*)\] ?(.*)$/s;

/** One line of onnxruntime's log, colour codes removed; undefined for anything else. */
export function parseOrtLogLine(text: string): OrtLogLine | undefined {
  const match = LINE.exec(stripAnsi(text).trimEnd());
  if (match === null) return undefined;
  return {
    severity: match[1] as OrtSeverity,
    logId: match[2]!,
    location: match[3]!,
    message: match[4]!,
  };
}

/**
 * Warnings onnxruntime writes whenever any node runs on the CPU (shape ops included) or copies are inserted:
 * expected, and reported by this app as the variant's placement instead of as console errors.
 */
export function isPlacementNotice(line: OrtLogLine): boolean {
  return (
    line.location.endsWith('VerifyEachNodeIsAssignedToAnEp') ||
    /Memcpy nodes are added to the graph/.test(line.message)
  );
}

const PLACED = /^\s*(?:Node\(s\)|All nodes) placed on \[(\w+)\]\. Number of nodes: (\d+)$/;
const NODE = /^ {2,}(\S+) \((.*)\)$/;
const NO_KERNEL = /^webgpu kernel not found in registries for Op type: (\S+) node name: (.*)$/;

function counted(opTypes: readonly string[]): OpCount[] {
  const counts = new Map<string, number>();
  for (const opType of opTypes) counts.set(opType, (counts.get(opType) ?? 0) + 1);
  return [...counts]
    .map(([opType, count]) => ({ opType, count }))
    .sort((a, b) => b.count - a.count || a.opType.localeCompare(b.opType));
}

/**
 * The placement a session's creation log reports (lines as written, in order; several lines per string are
 * fine), or undefined when the log has no placement report (the session's log severity was above VERBOSE).
 */
export function parseNodePlacement(text: readonly string[]): NodePlacement | undefined {
  const providers: { provider: string; nodes: number; ops: string[] }[] = [];
  const noKernel = new Map<string, string>();
  let current: { ops: string[] } | undefined;
  for (const chunk of text) {
    for (const raw of chunk.split('\n')) {
      const line = parseOrtLogLine(raw);
      // Continuation lines (a message's own line breaks) belong to no placement list.
      if (line === undefined) continue;
      const noKernelMatch = NO_KERNEL.exec(line.message);
      // Partitioning runs more than once; a node is counted once, by name.
      if (noKernelMatch !== null) noKernel.set(noKernelMatch[2]!, noKernelMatch[1]!);
      if (line.severity !== 'V' || !line.location.endsWith('VerifyEachNodeIsAssignedToAnEp')) {
        current = undefined;
        continue;
      }
      const placed = PLACED.exec(line.message);
      if (placed !== null) {
        current = { ops: [] };
        providers.push({ provider: placed[1]!, nodes: Number(placed[2]), ops: current.ops });
        continue;
      }
      const node = NODE.exec(line.message);
      if (node !== null && current !== undefined) current.ops.push(node[1]!);
    }
  }
  if (providers.length === 0) return undefined;
  return {
    providers: providers.map((entry): ProviderNodes => ({
      provider: entry.provider,
      nodes: entry.nodes,
      ops: counted(entry.ops),
    })),
    noWebGpuKernel: counted([...noKernel.values()]),
  };
}

/**
 * Ops onnxruntime deliberately runs on the CPU for shape, index and mask arithmetic (mostly int64, which the
 * WebGPU provider leaves to the CPU): cheap, and expected. Any other op on the CPU is real compute.
 */
export const SHAPE_OPS: ReadonlySet<string> = new Set([
  'Shape',
  'Size',
  'Gather',
  'GatherElements',
  'Unsqueeze',
  'Squeeze',
  'Reshape',
  'Flatten',
  'Concat',
  'Slice',
  'Range',
  'Cast',
  'ConstantOfShape',
  'Expand',
  'Tile',
  'Identity',
  'Equal',
  'Less',
  'LessOrEqual',
  'Greater',
  'GreaterOrEqual',
  'Not',
  'And',
  'Or',
  'Where',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Neg',
  'Min',
  'Max',
  'Abs',
  'ReduceProd',
  'CumSum',
  'Trilu',
]);

function opsOn(placement: NodePlacement, provider: string): readonly OpCount[] {
  return placement.providers.find((entry) => entry.provider === provider)?.ops ?? [];
}

/** CPU nodes that are not shape arithmetic: the ones that make a GPU benchmark measure the CPU. */
export function cpuComputeOps(placement: NodePlacement): OpCount[] {
  return opsOn(placement, CPU_PROVIDER).filter((op) => !SHAPE_OPS.has(op.opType));
}

export function nodesOn(placement: NodePlacement, provider: string): number {
  return placement.providers.find((entry) => entry.provider === provider)?.nodes ?? 0;
}

/** Copies onnxruntime inserted between devices; each MemcpyToHost is a GPU→CPU readback in every run. */
export function memcpyCounts(placement: NodePlacement): {
  readonly fromHost: number;
  readonly toHost: number;
} {
  const count = (opType: string) =>
    placement.providers
      .flatMap((entry) => entry.ops)
      .filter((op) => op.opType === opType)
      .reduce((sum, op) => sum + op.count, 0);
  return { fromHost: count('MemcpyFromHost'), toHost: count('MemcpyToHost') };
}

export function formatOpCounts(ops: readonly OpCount[]): string {
  return ops.map((op) => `${op.count} ${op.opType}`).join(', ');
}

const DYNAMIC_INT8_OPS = new Set([
  'DynamicQuantizeLinear',
  'MatMulInteger',
  'DynamicQuantizeMatMul',
  'MatMulIntegerToFloat',
]);

/** What to tell the user when compute ran on the CPU; undefined when only shape arithmetic did. */
export function placementWarning(placement: NodePlacement): string | undefined {
  const compute = cpuComputeOps(placement);
  if (compute.length === 0) return undefined;
  const { toHost } = memcpyCounts(placement);
  const parts = [
    `onnxruntime ran ${formatOpCounts(compute)} on the CPU, not on WebGPU, so this variant's timings include CPU work`,
  ];
  if (toHost > 0) parts.push(`and ${toHost} GPU→CPU copies (MemcpyToHost) in every run`);
  let text = `${parts.join(' ')}.`;
  const missing = placement.noWebGpuKernel.filter((op) => compute.some((c) => c.opType === op.opType));
  if (missing.length > 0) {
    text += ` onnxruntime-web's WebGPU backend has no kernel for ${missing.map((op) => op.opType).join(', ')}.`;
  }
  if (compute.some((op) => DYNAMIC_INT8_OPS.has(op.opType))) {
    text +=
      ' int8 exports quantize activations dynamically (DynamicQuantizeLinear + MatMulInteger), which onnxruntime-web 1.30 runs only on the CPU: their matrix multiplies are CPU-bound, whatever the GPU.';
  }
  return text;
}

const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  [WEBGPU_PROVIDER]: 'WebGPU',
  [CPU_PROVIDER]: 'CPU',
};

/** One line per provider: "WebGPU: 136 nodes (23 Mul, 15 MatMulNBits, …)", then the copies between them. */
export function describePlacement(report: PlacementReport | undefined): string[] {
  if (report === undefined) return ['not recorded (a run from before placement was read)'];
  if (report.kind === 'not measured') return [`not measured: ${report.reason}`];
  const lines = report.providers.map((entry) => {
    const name = PROVIDER_NAMES[entry.provider] ?? entry.provider;
    const ops = entry.ops.length === 0 ? '' : ` (${formatOpCounts(entry.ops)})`;
    return `${name}: ${entry.nodes} node${entry.nodes === 1 ? '' : 's'}${ops}`;
  });
  const { fromHost, toHost } = memcpyCounts(report);
  if (fromHost + toHost > 0) {
    lines.push(`copies: ${fromHost} CPU→GPU (MemcpyFromHost), ${toHost} GPU→CPU (MemcpyToHost) per run`);
  }
  return lines;
}
