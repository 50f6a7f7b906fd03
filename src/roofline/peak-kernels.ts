/**
 * WGSL matrix multiplies for the measured peak. Which is fastest depends on the GPU, so several are tried
 * and the best that computed the right product wins:
 * - `tiled`: 16-deep slices of A and B in workgroup memory, a 16 × 16 workgroup computing a 64 × 64 tile of
 *   C (each invocation a strided 4 × 4 block), bounds-checked for any size.
 * - `vec4`: each invocation a 4 × 4 block from vec4 loads of B, no workgroup memory or barriers; suits GPUs
 *   (and software rasterizers) where workgroup memory is slow.
 * - `blocked`: 128 × 128 tiles through workgroup memory, each invocation an 8 × 8 block held in registers
 *   (64 multiply-adds per four vec4 reads of workgroup memory), the classic shape of a fast SGEMM on
 *   discrete GPUs. Fully unrolled so that the accumulators stay in registers.
 * - `subgroup`: each invocation an 8 × 8 block; the 8 rows of A are read once per subgroup (one k per lane,
 *   coalesced) and handed round with subgroupShuffle instead of every invocation loading them again.
 * - `subgroup-matrix` (./subgroup-matrix-kernel.ts): the GPU's matrix units, where the adapter offers them.
 * The copy kernel streams vec4s for bandwidth.
 */
import type { MatmulPrecision, PeakKernelName } from './device-peaks';

/** One kernel ready to run for one precision: what a plan chose, and everything measuring it needs. */
export interface MatmulKernelSpec {
  readonly kernel: PeakKernelName;
  /** Of A and B. */
  readonly precision: MatmulPrecision;
  /** Of C (a subgroup-matrix kernel may accumulate f16 operands into f32). */
  readonly outputPrecision: MatmulPrecision;
  readonly detail: string | undefined;
  /** Rows and columns of C that one workgroup computes. */
  readonly tileRows: number;
  readonly tileColumns: number;
  /** The matrices' side must be a multiple of this: the kernels without bounds checks need whole tiles and steps. */
  readonly sizeMultiple: number;
  /** WGSL to try in order (spellings of an experimental extension that changed); the first that builds runs. */
  readonly shaders: readonly string[];
}

/** Workgroups to dispatch for a size × size product (x across columns, y down rows). */
export function matmulGroups(spec: MatmulKernelSpec, size: number): readonly [number, number] {
  return [Math.ceil(size / spec.tileColumns), Math.ceil(size / spec.tileRows)];
}

/** Whether a kernel computes a size × size product exactly. */
export function kernelFits(spec: MatmulKernelSpec, size: number): boolean {
  return size % spec.sizeMultiple === 0;
}

const enableF16 = (precision: MatmulPrecision) => (precision === 'f16' ? 'enable f16;\n' : '');

const DIMS = 'struct Dims { m: u32, n: u32, k: u32 }';

/** A kernel whose output has its operands' precision and whose WGSL has one spelling. */
function plainKernel(
  kernel: PeakKernelName,
  precision: MatmulPrecision,
  shape: { readonly tileRows: number; readonly tileColumns: number; readonly sizeMultiple: number },
  shader: string,
): MatmulKernelSpec {
  return { kernel, precision, outputPrecision: precision, detail: undefined, ...shape, shaders: [shader] };
}

export function tiledKernel(precision: MatmulPrecision): MatmulKernelSpec {
  // Bounds-checked: any size fits; the tile only sets the dispatch.
  const shape = { tileRows: TILED_TILE, tileColumns: TILED_TILE, sizeMultiple: 1 };
  return plainKernel('tiled', precision, shape, tiledMatmulShader(precision));
}

export function vec4Kernel(precision: MatmulPrecision): MatmulKernelSpec {
  // 8 × 8 invocations, each 4 rows × one vec4 of columns; vec4 columns, edge rows and columns bounds-checked.
  const shape = { tileRows: 32, tileColumns: 32, sizeMultiple: 4 };
  return plainKernel('vec4', precision, shape, vec4MatmulShader(precision));
}

export function blockedKernel(precision: MatmulPrecision): MatmulKernelSpec {
  const shape = { tileRows: BLOCKED_TILE, tileColumns: BLOCKED_TILE, sizeMultiple: BLOCKED_TILE };
  return plainKernel('blocked', precision, shape, blockedMatmulShader(precision));
}

export function subgroupKernel(precision: MatmulPrecision): MatmulKernelSpec {
  // A step of k is one subgroup's lanes, at most the workgroup's 64: covered by the 512 columns.
  const shape = { tileRows: SUBGROUP_ROWS, tileColumns: SUBGROUP_COLUMNS, sizeMultiple: SUBGROUP_COLUMNS };
  return plainKernel('subgroup', precision, shape, subgroupMatmulShader(precision));
}

/** Needs n and m to be multiples of 4 (the sizes measured are). */
function vec4MatmulShader(precision: MatmulPrecision): string {
  const t = precision;
  return /* wgsl */ `${enableF16(precision)}
${DIMS}
@group(0) @binding(0) var<storage, read> a: array<${t}>;
@group(0) @binding(1) var<storage, read> b: array<vec4<${t}>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<${t}>>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let columns = dims.n / 4u;
  let column = id.x;
  let row = id.y * 4u;
  if (column >= columns || row >= dims.m) {
    return;
  }
  var sum0 = vec4<${t}>();
  var sum1 = vec4<${t}>();
  var sum2 = vec4<${t}>();
  var sum3 = vec4<${t}>();
  for (var k = 0u; k < dims.k; k++) {
    let right = b[k * columns + column];
    sum0 = fma(vec4<${t}>(a[row * dims.k + k]), right, sum0);
    sum1 = fma(vec4<${t}>(a[(row + 1u) * dims.k + k]), right, sum1);
    sum2 = fma(vec4<${t}>(a[(row + 2u) * dims.k + k]), right, sum2);
    sum3 = fma(vec4<${t}>(a[(row + 3u) * dims.k + k]), right, sum3);
  }
  c[row * columns + column] = sum0;
  c[(row + 1u) * columns + column] = sum1;
  c[(row + 2u) * columns + column] = sum2;
  c[(row + 3u) * columns + column] = sum3;
}
`;
}

const TILED_TILE = 64;
const TILED_K_STEP = 16;

function tiledMatmulShader(precision: MatmulPrecision): string {
  const t = precision;
  return /* wgsl */ `${enableF16(precision)}
${DIMS}
@group(0) @binding(0) var<storage, read> a: array<${t}>;
@group(0) @binding(1) var<storage, read> b: array<${t}>;
@group(0) @binding(2) var<storage, read_write> c: array<${t}>;
@group(0) @binding(3) var<uniform> dims: Dims;

const TILE: u32 = ${TILED_TILE}u;
const K_STEP: u32 = ${TILED_K_STEP}u;
var<workgroup> tileA: array<array<${t}, ${TILED_TILE}>, ${TILED_K_STEP}>;
var<workgroup> tileB: array<array<${t}, ${TILED_TILE}>, ${TILED_K_STEP}>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let row0 = group.y * TILE;
  let col0 = group.x * TILE;
  let thread = local.y * 16u + local.x;
  var sum: array<array<${t}, 4>, 4>;
  for (var k0 = 0u; k0 < dims.k; k0 += K_STEP) {
    for (var part = 0u; part < 4u; part++) {
      let index = thread * 4u + part;
      let aRow = row0 + index / K_STEP;
      let aCol = k0 + index % K_STEP;
      tileA[index % K_STEP][index / K_STEP] =
        select(${t}(0), a[min(aRow * dims.k + aCol, arrayLength(&a) - 1u)], aRow < dims.m && aCol < dims.k);
      let bRow = k0 + index / TILE;
      let bCol = col0 + index % TILE;
      tileB[index / TILE][index % TILE] =
        select(${t}(0), b[min(bRow * dims.n + bCol, arrayLength(&b) - 1u)], bRow < dims.k && bCol < dims.n);
    }
    workgroupBarrier();
    for (var k = 0u; k < K_STEP; k++) {
      var left: array<${t}, 4>;
      var right: array<${t}, 4>;
      for (var i = 0u; i < 4u; i++) {
        left[i] = tileA[k][local.y + 16u * i];
        right[i] = tileB[k][local.x + 16u * i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) {
          sum[i][j] = fma(left[i], right[j], sum[i][j]);
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      let row = row0 + local.y + 16u * i;
      let col = col0 + local.x + 16u * j;
      if (row < dims.m && col < dims.n) {
        c[row * dims.n + col] = sum[i][j];
      }
    }
  }
}
`;
}

const BLOCKED_TILE = 128;
const BLOCKED_K_STEP = 8;
const LANES = ['x', 'y', 'z', 'w'] as const;
const range = (count: number) => Array.from({ length: count }, (_, index) => index);
/** Two vec4 accumulators per row, `acc<row>_0` and `acc<row>_1`, as the 8-row kernels declare them. */
const accumulators = (rows: readonly number[], t: MatmulPrecision) =>
  rows.map((row) => `  var acc${row}_0 = vec4<${t}>();\n  var acc${row}_1 = vec4<${t}>();`).join('\n');

/**
 * A 16 × 16 workgroup, 128 × 128 tile; invocation (x, y) holds rows 4y..4y+3 and 64+4y..64+4y+3 and the
 * vec4 columns x and x+16 of the tile. A's slice is stored transposed (depth-major, 4 rows to a vec4) so
 * that both operands are read as vec4s. Needs the side to be a multiple of 128.
 */
function blockedMatmulShader(precision: MatmulPrecision): string {
  const t = precision;
  const rows = range(8);
  const register = (row: number) => `${row < 4 ? 'a0' : 'a1'}.${LANES[row % 4]!}`;
  const rowOffset = (row: number) => `${row < 4 ? '' : '64u + '}local.y * 4u + ${row % 4}u`;
  return /* wgsl */ `${enableF16(precision)}
${DIMS}
@group(0) @binding(0) var<storage, read> a: array<vec4<${t}>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<${t}>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<${t}>>;
@group(0) @binding(3) var<uniform> dims: Dims;

const TILE: u32 = ${BLOCKED_TILE}u;
const K_STEP: u32 = ${BLOCKED_K_STEP}u;
// [depth][TILE / 4]: A's 4 consecutive rows at one depth, and B's 4 consecutive columns.
var<workgroup> tileA: array<vec4<${t}>, ${(BLOCKED_K_STEP * BLOCKED_TILE) / 4}>;
var<workgroup> tileB: array<vec4<${t}>, ${(BLOCKED_K_STEP * BLOCKED_TILE) / 4}>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_id) local: vec3u) {
  let row0 = group.y * TILE;
  let column0 = group.x * (TILE / 4u);
  let kVec = dims.k / 4u;
  let nVec = dims.n / 4u;
  let thread = local.y * 16u + local.x;
  // A: 128 rows × 8 deep = 256 vec4s along k, two per row; B: 8 deep × 32 vec4s.
  let aRow = thread / 2u;
  let aDepth = (thread % 2u) * 4u;
  let bDepth = thread / 32u;
  let bColumn = thread % 32u;
${accumulators(rows, t)}
  for (var k0 = 0u; k0 < dims.k; k0 += K_STEP) {
    let fromA = a[(row0 + aRow) * kVec + k0 / 4u + thread % 2u];
${range(4)
  .map((lane) => `    tileA[(aDepth + ${lane}u) * 32u + aRow / 4u][aRow % 4u] = fromA.${LANES[lane]!};`)
  .join('\n')}
    tileB[thread] = b[(k0 + bDepth) * nVec + column0 + bColumn];
    workgroupBarrier();
    for (var k = 0u; k < K_STEP; k++) {
      let a0 = tileA[k * 32u + local.y];
      let a1 = tileA[k * 32u + local.y + 16u];
      let b0 = tileB[k * 32u + local.x];
      let b1 = tileB[k * 32u + local.x + 16u];
${rows
  .map(
    (row) =>
      `      acc${row}_0 = fma(vec4<${t}>(${register(row)}), b0, acc${row}_0);\n` +
      `      acc${row}_1 = fma(vec4<${t}>(${register(row)}), b1, acc${row}_1);`,
  )
  .join('\n')}
    }
    workgroupBarrier();
  }
${rows
  .map(
    (row) =>
      `  c[(row0 + ${rowOffset(row)}) * nVec + column0 + local.x] = acc${row}_0;\n` +
      `  c[(row0 + ${rowOffset(row)}) * nVec + column0 + local.x + 16u] = acc${row}_1;`,
  )
  .join('\n')}
}
`;
}

const SUBGROUP_WORKGROUP = 64;
const SUBGROUP_ROWS = 8;
const SUBGROUP_COLUMNS = SUBGROUP_WORKGROUP * 2 * 4;

/**
 * One row of 64 invocations shares 8 rows of A and covers 512 columns (vec4 columns x and x+64 each), so
 * every subgroup, whatever its size, lies within those rows: each lane loads A at one k and the subgroup
 * shuffles the values round. A step of k is one subgroup's lanes (at most 64), so the side must be a
 * multiple of 64, and of 8 rows and 512 columns.
 */
function subgroupMatmulShader(precision: MatmulPrecision): string {
  const t = precision;
  const rows = range(SUBGROUP_ROWS);
  return /* wgsl */ `enable subgroups;
${enableF16(precision)}
${DIMS}
@group(0) @binding(0) var<storage, read> a: array<${t}>;
@group(0) @binding(1) var<storage, read> b: array<vec4<${t}>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<${t}>>;
@group(0) @binding(3) var<uniform> dims: Dims;

@compute @workgroup_size(${SUBGROUP_WORKGROUP})
fn main(
  @builtin(workgroup_id) group: vec3u,
  @builtin(local_invocation_index) local: u32,
  @builtin(subgroup_invocation_id) lane: u32,
  @builtin(subgroup_size) subgroupSize: u32,
) {
  let nVec = dims.n / 4u;
  let row0 = group.y * ${SUBGROUP_ROWS}u;
  let column = group.x * ${SUBGROUP_WORKGROUP * 2}u + local;
  let step = min(subgroupSize, ${SUBGROUP_WORKGROUP}u);
  let source = min(lane, step - 1u);
${accumulators(rows, t)}
  for (var k0 = 0u; k0 < dims.k; k0 += step) {
${rows.map((row) => `    let own${row} = a[(row0 + ${row}u) * dims.k + k0 + source];`).join('\n')}
    for (var j = 0u; j < step; j++) {
      let right0 = b[(k0 + j) * nVec + column];
      let right1 = b[(k0 + j) * nVec + column + ${SUBGROUP_WORKGROUP}u];
${rows
  .map(
    (row) =>
      `      let left${row} = vec4<${t}>(subgroupShuffle(own${row}, j));\n` +
      `      acc${row}_0 = fma(left${row}, right0, acc${row}_0);\n` +
      `      acc${row}_1 = fma(left${row}, right1, acc${row}_1);`,
  )
  .join('\n')}
    }
  }
${rows
  .map(
    (row) =>
      `  c[(row0 + ${row}u) * nVec + column] = acc${row}_0;\n` +
      `  c[(row0 + ${row}u) * nVec + column + ${SUBGROUP_WORKGROUP}u] = acc${row}_1;`,
  )
  .join('\n')}
}
`;
}

export const COPY_WORKGROUP_SIZE = 256;

export const copyShader = /* wgsl */ `
@group(0) @binding(0) var<storage, read> from_data: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> to_data: array<vec4f>;

@compute @workgroup_size(${COPY_WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let stride = groups.x * ${COPY_WORKGROUP_SIZE}u;
  for (var i = id.x; i < arrayLength(&from_data); i += stride) {
    to_data[i] = from_data[i];
  }
}
`;
