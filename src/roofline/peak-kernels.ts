/**
 * WGSL for the adapter's achievable peaks. Two matrix multiplies, because which is faster depends on the
 * GPU: `tiled` stages 16-deep slices of A and B in workgroup memory and has a 16 × 16 workgroup compute a
 * 64 × 64 tile of C (each invocation a strided 4 × 4 block), the classic shape for discrete GPUs; `vec4` has
 * each invocation compute a 4 × 4 block from vec4 loads of B with no workgroup memory or barriers, which suits
 * GPUs (and software rasterizers) where workgroup memory is slow. The copy kernel streams vec4s.
 */
export const MATMUL_TILE = 64;
const MATMUL_K_STEP = 16;

export type MatmulPrecision = 'f32' | 'f16';
export const MATMUL_KERNELS = ['tiled', 'vec4'] as const;
export type MatmulKernel = (typeof MATMUL_KERNELS)[number];

/** Workgroups to dispatch for a size × size product. */
export function matmulGroups(kernel: MatmulKernel, size: number): readonly [number, number] {
  if (kernel === 'tiled') return [Math.ceil(size / MATMUL_TILE), Math.ceil(size / MATMUL_TILE)];
  // 8 × 8 invocations, each 4 rows × one vec4 of columns.
  return [Math.ceil(size / 4 / 8), Math.ceil(size / 4 / 8)];
}

export function matmulShader(precision: MatmulPrecision, kernel: MatmulKernel): string {
  return kernel === 'tiled' ? tiledMatmulShader(precision) : vec4MatmulShader(precision);
}

/** Needs n and m to be multiples of 4 (the sizes measured are). */
function vec4MatmulShader(precision: MatmulPrecision): string {
  const t = precision;
  return /* wgsl */ `${precision === 'f16' ? 'enable f16;\n' : ''}
struct Dims { m: u32, n: u32, k: u32 }
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

function tiledMatmulShader(precision: MatmulPrecision): string {
  const t = precision;
  return /* wgsl */ `${precision === 'f16' ? 'enable f16;\n' : ''}
struct Dims { m: u32, n: u32, k: u32 }
@group(0) @binding(0) var<storage, read> a: array<${t}>;
@group(0) @binding(1) var<storage, read> b: array<${t}>;
@group(0) @binding(2) var<storage, read_write> c: array<${t}>;
@group(0) @binding(3) var<uniform> dims: Dims;

const TILE: u32 = ${MATMUL_TILE}u;
const K_STEP: u32 = ${MATMUL_K_STEP}u;
var<workgroup> tileA: array<array<${t}, ${MATMUL_TILE}>, ${MATMUL_K_STEP}>;
var<workgroup> tileB: array<array<${t}, ${MATMUL_TILE}>, ${MATMUL_K_STEP}>;

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
