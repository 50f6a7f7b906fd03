/**
 * Which matrix-multiply kernels a device can run for a precision, and why the others are left out: the
 * subgroup kernel needs `subgroups`; the subgroup-matrix kernel needs Chromium's experimental feature and a
 * float configuration of the adapter's for that precision.
 */
import { MIN_SUBGROUP_LANES } from '../engine/device-features';
import { excludedOutcome, type KernelOutcome, type MatmulPrecision } from './device-peaks';
import {
  blockedKernel,
  subgroupKernel,
  tiledKernel,
  vec4Kernel,
  type MatmulKernelSpec,
} from './peak-kernels';
import {
  chooseSubgroupMatrixConfig,
  describeConfig,
  subgroupMatrixKernel,
  type SubgroupMatrixConfig,
} from './subgroup-matrix-kernel';

export const SUBGROUP_MATRIX_FEATURE = 'chromium-experimental-subgroup-matrix';

/** What the device and its adapter offer that the kernels care about. */
export interface PeakCapabilities {
  readonly features: ReadonlySet<string>;
  readonly subgroupMaxSize: number | undefined;
  /**
   * The adapter's narrowest subgroup. The app's device leaves `subgroups` out below the lanes onnxruntime's
   * flash attention needs (engine/device-features.ts), so a missing feature is then the app's choice.
   */
  readonly subgroupMinSize: number | undefined;
  readonly subgroupMatrixConfigs: readonly SubgroupMatrixConfig[];
}

export interface KernelPlan {
  readonly candidates: readonly MatmulKernelSpec[];
  readonly excluded: readonly KernelOutcome[];
}

export function planMatmulKernels(precision: MatmulPrecision, capabilities: PeakCapabilities): KernelPlan {
  const candidates: MatmulKernelSpec[] = [
    vec4Kernel(precision),
    tiledKernel(precision),
    blockedKernel(precision),
  ];
  const left: KernelOutcome[] = [];
  if (capabilities.features.has('subgroups')) candidates.push(subgroupKernel(precision));
  else
    left.push(
      excludedOutcome({ kernel: 'subgroup', precision, detail: undefined }, noSubgroupsReason(capabilities)),
    );

  const matrix = subgroupMatrixPlan(precision, capabilities);
  if ('reason' in matrix)
    left.push(excludedOutcome({ kernel: 'subgroup-matrix', precision, detail: undefined }, matrix.reason));
  else candidates.push(matrix.spec);
  return { candidates, excluded: left };
}

function noSubgroupsReason({ subgroupMinSize }: PeakCapabilities): string {
  if (subgroupMinSize !== undefined && subgroupMinSize < MIN_SUBGROUP_LANES) {
    return `not requested: this adapter's subgroups can be ${subgroupMinSize} lanes wide, and onnxruntime's flash attention needs ${MIN_SUBGROUP_LANES}`;
  }
  return 'this device has no subgroups feature';
}

function subgroupMatrixPlan(
  precision: MatmulPrecision,
  capabilities: PeakCapabilities,
): { readonly spec: MatmulKernelSpec } | { readonly reason: string } {
  if (!capabilities.features.has(SUBGROUP_MATRIX_FEATURE)) {
    return { reason: `the adapter does not offer ${SUBGROUP_MATRIX_FEATURE}` };
  }
  const configs = capabilities.subgroupMatrixConfigs;
  if (configs.length === 0) return { reason: 'the adapter lists no subgroup-matrix configurations' };
  const config = chooseSubgroupMatrixConfig(configs, precision);
  if (config === undefined) {
    return {
      reason: `none of the adapter's configurations multiplies ${precision} (${configs.map(describeConfig).join(', ')})`,
    };
  }
  if (capabilities.subgroupMaxSize === undefined) {
    return { reason: 'the adapter does not report its subgroup size, which sets the workgroup size' };
  }
  return { spec: subgroupMatrixKernel(config, capabilities.subgroupMaxSize) };
}

/** The sides tried, smallest first: every kernel's tile divides each of them. */
export const MATMUL_SIZES = [512, 2048, 4096] as const;
/** The longest one dispatch should take, predicted from the first at 512: long enough to dwarf launch cost. */
const MAX_DISPATCH_MS = 250;

/**
 * The side to measure at, from one timed 512³ dispatch: the largest whose predicted time stays under
 * MAX_DISPATCH_MS (a software GPU stays at 512; a discrete one reaches 4096, where launch overhead and a
 * partly filled last wave of workgroups no longer hide its throughput), within the binding size limit.
 */
export function chooseMatmulSize(dispatchMsAt512: number, maxBindingBytes: number): number {
  let chosen: number = MATMUL_SIZES[0];
  for (const size of MATMUL_SIZES) {
    const predictedMs = dispatchMsAt512 * (size / MATMUL_SIZES[0]) ** 3;
    if (predictedMs <= MAX_DISPATCH_MS && size * size * 4 <= maxBindingBytes) chosen = size;
  }
  return chosen;
}
