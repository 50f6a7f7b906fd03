/**
 * A matrix multiply on the GPU's matrix units through Chromium's experimental subgroup matrices
 * (`chromium-experimental-subgroup-matrix`; WGSL `enable chromium_experimental_subgroup_matrix`; the adapter
 * lists the shapes and types it supports in `adapter.info.subgroupMatrixConfigs`). Every matrix type must
 * match one of those configurations exactly, and the workgroup's x size must be a multiple of the adapter's
 * subgroupMaxSize, so the WGSL is written for the configuration chosen.
 *
 * One subgroup per workgroup computes a block of blocksDown × blocksAcross result matrices straight from
 * storage: every offset comes from the workgroup id, so the loads and stores are provably uniform (WGSL's
 * uniformity analysis, which these builtins require, works at workgroup scope). Note the type parameters:
 * `subgroup_matrix_left<T, K, M>` is M rows × K columns (columns first, as for WGSL's matCxR).
 */
import type { MatmulPrecision } from './device-peaks';
import type { MatmulKernelSpec } from './peak-kernels';

/** One entry of `GPUAdapterInfo.subgroupMatrixConfigs`: left is M × K, right K × N, result M × N. */
export interface SubgroupMatrixConfig {
  readonly componentType: string;
  readonly resultComponentType: string;
  readonly M: number;
  readonly N: number;
  readonly K: number;
}

export function describeConfig(config: SubgroupMatrixConfig): string {
  const { componentType: t, resultComponentType: r } = config;
  return `${t}×${t}→${r} ${config.M}×${config.N}×${config.K}`;
}

/** A configuration whose operands and result are floats: what a FLOP/s peak can use. */
export interface FloatSubgroupMatrixConfig extends SubgroupMatrixConfig {
  readonly componentType: MatmulPrecision;
  readonly resultComponentType: MatmulPrecision;
}

const isFloat = (type: string): type is MatmulPrecision => type === 'f32' || type === 'f16';

function isFloatConfig(config: SubgroupMatrixConfig): config is FloatSubgroupMatrixConfig {
  return isFloat(config.componentType) && isFloat(config.resultComponentType);
}

/**
 * The configuration for a multiply whose operands are `precision`: one with that component type and a float
 * result, preferring an f32 result (a long sum accumulated in f16 loses digits), in the adapter's order
 * (Vulkan lists preferred shapes first).
 */
export function chooseSubgroupMatrixConfig(
  configs: readonly SubgroupMatrixConfig[],
  precision: MatmulPrecision,
): FloatSubgroupMatrixConfig | undefined {
  const usable = configs.filter(isFloatConfig).filter((config) => config.componentType === precision);
  return usable.find((config) => config.resultComponentType === 'f32') ?? usable[0];
}

/** Accumulator values each lane holds at most: more spills registers, fewer re-reads operands. */
const ACCUMULATOR_BUDGET_PER_LANE = 64;
const MAX_BLOCKS_PER_SIDE = 8;

/**
 * How many result matrices one subgroup accumulates, down and across: as many as the register budget allows
 * (a power of two), as square as possible, more rows than columns.
 */
export function subgroupMatrixBlocks(
  config: SubgroupMatrixConfig,
  subgroupSize: number,
): { readonly down: number; readonly across: number } {
  const perResult = Math.max(1, (config.M * config.N) / subgroupSize);
  const count = Math.max(1, Math.floor(ACCUMULATOR_BUDGET_PER_LANE / perResult));
  const power = Math.floor(Math.log2(count));
  const down = Math.min(MAX_BLOCKS_PER_SIDE, 2 ** Math.ceil(power / 2));
  const across = Math.min(MAX_BLOCKS_PER_SIDE, 2 ** Math.floor(power / 2));
  return { down, across };
}

export function subgroupMatrixKernel(
  config: FloatSubgroupMatrixConfig,
  subgroupMaxSize: number,
): MatmulKernelSpec {
  const blocks = subgroupMatrixBlocks(config, subgroupMaxSize);
  const options = { config, subgroupMaxSize, ...blocks };
  return {
    kernel: 'subgroup-matrix',
    precision: config.componentType,
    outputPrecision: config.resultComponentType,
    detail: `${describeConfig(config)}, ${blocks.down}×${blocks.across} per subgroup`,
    tileRows: blocks.down * config.M,
    tileColumns: blocks.across * config.N,
    sizeMultiple: leastCommonMultiple([blocks.down * config.M, blocks.across * config.N, config.K]),
    // Chromium changed the spelling of the layout argument: ORT 1.30 writes the newer one.
    shaders: [subgroupMatrixShader(options, 'layout-template'), subgroupMatrixShader(options, 'layout-bool')],
  };
}

const greatestCommonDivisor = (a: number, b: number): number =>
  b === 0 ? a : greatestCommonDivisor(b, a % b);
const leastCommonMultiple = (values: readonly number[]) =>
  values.reduce((lcm, value) => (lcm * value) / greatestCommonDivisor(lcm, value), 1);

interface ShaderOptions {
  readonly config: FloatSubgroupMatrixConfig;
  readonly subgroupMaxSize: number;
  readonly down: number;
  readonly across: number;
}

type Spelling = 'layout-template' | 'layout-bool';

function subgroupMatrixShader(options: ShaderOptions, spelling: Spelling): string {
  const { config, down, across } = options;
  const t = config.componentType;
  const r = config.resultComponentType;
  const left = `subgroup_matrix_left<${t}, ${config.K}, ${config.M}>`;
  const right = `subgroup_matrix_right<${t}, ${config.N}, ${config.K}>`;
  const result = `subgroup_matrix_result<${r}, ${config.N}, ${config.M}>`;
  const load = (type: string, pointer: string, offset: string, stride: string) =>
    spelling === 'layout-template'
      ? `subgroupMatrixLoad<${type}, row_major>(${pointer}, ${offset}, ${stride})`
      : `subgroupMatrixLoad<${type}>(${pointer}, ${offset}, false, ${stride})`;
  const store = (offset: string, value: string) =>
    spelling === 'layout-template'
      ? `subgroupMatrixStore<row_major>(&c, ${offset}, ${value}, dims.n);`
      : `subgroupMatrixStore(&c, ${offset}, ${value}, false, dims.n);`;
  const rows = Array.from({ length: down }, (_, index) => index);
  const columns = Array.from({ length: across }, (_, index) => index);
  const cells = rows.flatMap((row) => columns.map((column) => [row, column] as const));
  const needsF16 = t === 'f16' || r === 'f16';
  return /* wgsl */ `${needsF16 ? 'enable f16;\n' : ''}enable subgroups;
enable chromium_experimental_subgroup_matrix;

struct Dims { m: u32, n: u32, k: u32 }
@group(0) @binding(0) var<storage, read> a: array<${t}>;
@group(0) @binding(1) var<storage, read> b: array<${t}>;
@group(0) @binding(2) var<storage, read_write> c: array<${r}>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(${options.subgroupMaxSize})
fn main(@builtin(workgroup_id) group: vec3u) {
  let row0 = group.y * ${down * config.M}u;
  let column0 = group.x * ${across * config.N}u;
${cells.map(([row, column]) => `  var acc${row}_${column} = ${result}();`).join('\n')}
  for (var k0 = 0u; k0 < dims.k; k0 += ${config.K}u) {
${rows
  .map(
    (row) =>
      `    let left${row} = ${load(left, '&a', `(row0 + ${row * config.M}u) * dims.k + k0`, 'dims.k')};`,
  )
  .join('\n')}
${columns
  .map(
    (column) =>
      `    let right${column} = ${load(right, '&b', `k0 * dims.n + column0 + ${column * config.N}u`, 'dims.n')};`,
  )
  .join('\n')}
${cells
  .map(
    ([row, column]) =>
      `    acc${row}_${column} = subgroupMatrixMultiplyAccumulate(left${row}, right${column}, acc${row}_${column});`,
  )
  .join('\n')}
  }
${cells
  .map(
    ([row, column]) =>
      `  ${store(`(row0 + ${row * config.M}u) * dims.n + column0 + ${column * config.N}u`, `acc${row}_${column}`)}`,
  )
  .join('\n')}
}
`;
}
