import { describe, expect, it } from 'vitest';
import { kernelFits, matmulGroups } from './peak-kernels';
import {
  chooseMatmulSize,
  planMatmulKernels,
  SUBGROUP_MATRIX_FEATURE,
  type PeakCapabilities,
} from './peak-plan';
import { chooseSubgroupMatrixConfig, subgroupMatrixBlocks } from './subgroup-matrix-kernel';

const SWIFTSHADER: PeakCapabilities = {
  features: new Set(['subgroups', 'timestamp-query']),
  subgroupMinSize: 4,
  subgroupMaxSize: 4,
  subgroupMatrixConfigs: [],
};

const f16 = (resultComponentType: string, M: number, N: number, K: number) => ({
  componentType: 'f16',
  resultComponentType,
  M,
  N,
  K,
});

describe('planMatmulKernels', () => {
  it('without subgroups only the plain kernels run, and the others say why', () => {
    const plan = planMatmulKernels('f32', {
      ...SWIFTSHADER,
      features: new Set(),
      subgroupMinSize: undefined,
    });
    expect(plan.candidates.map((spec) => spec.kernel)).toEqual(['vec4', 'tiled', 'blocked']);
    expect(plan.excluded.map((outcome) => [outcome.kernel, outcome.result])).toEqual([
      ['subgroup', { kind: 'excluded', reason: 'this device has no subgroups feature' }],
      [
        'subgroup-matrix',
        { kind: 'excluded', reason: 'the adapter does not offer chromium-experimental-subgroup-matrix' },
      ],
    ]);
  });

  it('where the app left subgroups out for being narrower than 8 lanes, the reason says so', () => {
    const plan = planMatmulKernels('f32', { ...SWIFTSHADER, features: new Set(['timestamp-query']) });
    expect(plan.excluded.find((outcome) => outcome.kernel === 'subgroup')?.result).toEqual({
      kind: 'excluded',
      reason:
        "not requested: this adapter's subgroups can be 4 lanes wide, and onnxruntime's flash attention needs 8",
    });
  });

  it('with subgroups the shuffle kernel joins, written with the subgroups extension', () => {
    const plan = planMatmulKernels('f32', SWIFTSHADER);
    const subgroup = plan.candidates.find((spec) => spec.kernel === 'subgroup');
    expect(subgroup?.shaders[0]).toContain('enable subgroups;');
    expect(subgroup?.shaders[0]).toContain('subgroupShuffle(');
  });

  it("an adapter with only f16 matrix configurations has none for f32, and the reason lists the adapter's", () => {
    const capabilities: PeakCapabilities = {
      features: new Set(['subgroups', 'shader-f16', SUBGROUP_MATRIX_FEATURE]),
      subgroupMinSize: 32,
      subgroupMaxSize: 32,
      subgroupMatrixConfigs: [f16('f16', 16, 16, 16), f16('f32', 16, 8, 16)],
    };
    const f32 = planMatmulKernels('f32', capabilities);
    expect(f32.excluded.find((outcome) => outcome.kernel === 'subgroup-matrix')?.result).toEqual({
      kind: 'excluded',
      reason:
        "none of the adapter's configurations multiplies f32 (f16×f16→f16 16×16×16, f16×f16→f32 16×8×16)",
    });
    const half = planMatmulKernels('f16', capabilities);
    const matrix = half.candidates.find((spec) => spec.kernel === 'subgroup-matrix');
    // The f32-accumulating configuration is preferred over the adapter's first (f16-accumulating) one.
    expect(matrix?.detail).toBe('f16×f16→f32 16×8×16, 4×4 per subgroup');
    expect(matrix?.outputPrecision).toBe('f32');
    expect([matrix?.tileRows, matrix?.tileColumns, matrix?.sizeMultiple]).toEqual([64, 32, 64]);
  });

  it('integer-only configurations (an H200 without shader-f16 may list only those) give no FLOP/s kernel', () => {
    const integer = { componentType: 'i8', resultComponentType: 'i32', M: 16, N: 16, K: 32 };
    expect(chooseSubgroupMatrixConfig([integer], 'f32')).toBeUndefined();
    expect(chooseSubgroupMatrixConfig([integer], 'f16')).toBeUndefined();
  });
});

describe('subgroup-matrix kernel', () => {
  it('holds as many accumulators as 64 values a lane allows, more rows than columns', () => {
    expect(subgroupMatrixBlocks(f16('f32', 16, 16, 16), 32)).toEqual({ down: 4, across: 2 });
    expect(subgroupMatrixBlocks(f16('f32', 16, 8, 16), 32)).toEqual({ down: 4, across: 4 });
    expect(subgroupMatrixBlocks({ ...f16('f32', 8, 8, 8), componentType: 'f32' }, 32)).toEqual({
      down: 8,
      across: 4,
    });
    expect(subgroupMatrixBlocks(f16('f32', 32, 32, 16), 32)).toEqual({ down: 2, across: 1 });
  });

  it('writes each matrix type with its configuration, columns first, in both spellings of the layout', () => {
    const plan = planMatmulKernels('f32', {
      features: new Set(['subgroups', SUBGROUP_MATRIX_FEATURE]),
      subgroupMinSize: 32,
      subgroupMaxSize: 32,
      subgroupMatrixConfigs: [{ componentType: 'f32', resultComponentType: 'f32', M: 8, N: 8, K: 8 }],
    });
    const matrix = plan.candidates.find((spec) => spec.kernel === 'subgroup-matrix')!;
    const [templated, bool] = matrix.shaders;
    expect(templated).toContain('enable chromium_experimental_subgroup_matrix;');
    expect(templated).toContain('@workgroup_size(32)');
    expect(templated).toContain(
      'subgroupMatrixLoad<subgroup_matrix_left<f32, 8, 8>, row_major>(&a, (row0 + 8u) * dims.k + k0, dims.k)',
    );
    expect(templated).toContain('subgroupMatrixStore<row_major>(&c, (row0 + 56u) * dims.n + column0 + 24u');
    expect(bool).toContain('subgroupMatrixLoad<subgroup_matrix_right<f32, 8, 8>>(&b, k0 * dims.n + column0');
    expect(bool).toContain(', false, dims.n);');
    // 8 × 4 accumulators, each multiplied every step.
    expect(templated?.match(/subgroupMatrixMultiplyAccumulate\(/g)).toHaveLength(32);
    expect(matmulGroups(matrix, 512)).toEqual([16, 8]);
  });

  it('the non-square M16 N8 K16 shape puts K before M in the left type and N before K in the right', () => {
    const matrix = planMatmulKernels('f16', {
      features: new Set(['subgroups', SUBGROUP_MATRIX_FEATURE]),
      subgroupMinSize: 32,
      subgroupMaxSize: 32,
      subgroupMatrixConfigs: [f16('f32', 16, 8, 16)],
    }).candidates.find((spec) => spec.kernel === 'subgroup-matrix')!;
    expect(matrix.shaders[0]).toContain('subgroup_matrix_left<f16, 16, 16>');
    expect(matrix.shaders[0]).toContain('subgroup_matrix_right<f16, 8, 16>');
    expect(matrix.shaders[0]).toContain('subgroup_matrix_result<f32, 8, 16>');
    expect(matrix.shaders[0]).toContain('enable f16;');
  });
});

describe('kernelFits', () => {
  it('the blocked kernel needs sides in multiples of 128, the subgroup one 512 columns', () => {
    const plan = planMatmulKernels('f32', SWIFTSHADER);
    const fits = (size: number) =>
      plan.candidates.filter((spec) => kernelFits(spec, size)).map((spec) => spec.kernel);
    expect(fits(512)).toEqual(['vec4', 'tiled', 'blocked', 'subgroup']);
    expect(fits(384)).toEqual(['vec4', 'tiled', 'blocked']);
    expect(fits(96)).toEqual(['vec4', 'tiled']);
  });
});

describe('chooseMatmulSize', () => {
  it('a software GPU (140 ms at 512) stays at 512; an H200 (0.2 ms with launch) goes to 4096', () => {
    const limit = 2 ** 31;
    expect(chooseMatmulSize(140, limit)).toBe(512);
    expect(chooseMatmulSize(0.2, limit)).toBe(4096);
    // 0.74 ms at 512 predicts 47 ms at 2048 and 379 ms at 4096.
    expect(chooseMatmulSize(0.74, limit)).toBe(2048);
  });

  it('never picks matrices larger than a storage binding may be', () => {
    expect(chooseMatmulSize(0.2, 2 ** 26 - 1)).toBe(2048);
  });
});
