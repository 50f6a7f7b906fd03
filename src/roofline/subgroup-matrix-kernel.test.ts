/**
 * No GPU here offers subgroup matrices, so the shader the kernel writes is run on the CPU instead: every load,
 * multiply-accumulate and store is interpreted with the semantics Chromium's extension documents (row-major
 * entry [r][c] at offset + stride·r + c; `subgroup_matrix_left<T, K, M>` is M rows × K columns), over the
 * workgroups the kernel dispatches. Shape-order, offset and stride mistakes show up as a wrong product.
 */
import { describe, expect, it } from 'vitest';
import { matmulGroups, type MatmulKernelSpec } from './peak-kernels';
import { subgroupMatrixKernel, type FloatSubgroupMatrixConfig } from './subgroup-matrix-kernel';

/** + and * over integers (a trailing u allowed), names and parentheses: the offset expressions' grammar. */
function evaluate(expression: string, names: Readonly<Record<string, number>>): number {
  const tokens = expression.match(/[A-Za-z_][\w.]*|\d+u?|[()+*]/g) ?? [];
  let at = 0;
  const primary = (): number => {
    const token = tokens[at++]!;
    if (token === '(') {
      const value = sum();
      at++; // ')'
      return value;
    }
    if (/^\d/.test(token)) return Number.parseInt(token, 10);
    const value = names[token];
    if (value === undefined) throw new Error(`unknown name ${token} in ${expression}`);
    return value;
  };
  const product = (): number => {
    let value = primary();
    while (tokens[at] === '*') {
      at++;
      value *= primary();
    }
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (tokens[at] === '+') {
      at++;
      value += product();
    }
    return value;
  };
  return sum();
}

interface Matrix {
  readonly rows: number;
  readonly columns: number;
  readonly values: Float64Array;
}

const LOAD =
  /let (\w+) = subgroupMatrixLoad<subgroup_matrix_(left|right)<\w+, (\d+), (\d+)>(?:, row_major)?>\(&(\w+), (.+?),(?: false,)? ([\w.]+)\);/;
const MULTIPLY = /(\w+) = subgroupMatrixMultiplyAccumulate\((\w+), (\w+), (\w+)\);/;
const STORE = /subgroupMatrixStore(?:<row_major>)?\(&c, (.+?), (\w+),(?: false,)? ([\w.]+)\);/;
const ACCUMULATOR = /var (\w+) = subgroup_matrix_result<\w+, (\d+), (\d+)>\(\);/;

/** Runs the shader's statements for every workgroup, as the extension defines them. */
function interpret(shader: string, spec: MatmulKernelSpec, a: Float64Array, b: Float64Array, size: number) {
  const lines = shader.split('\n').map((line) => line.trim());
  const rowStep = Number(/let row0 = group\.y \* (\d+)u;/.exec(shader)![1]);
  const columnStep = Number(/let column0 = group\.x \* (\d+)u;/.exec(shader)![1]);
  const kStep = Number(/k0 \+= (\d+)u\)/.exec(shader)![1]);
  const loopStart = lines.findIndex((line) => line.startsWith('for (var k0'));
  const loopEnd = lines.indexOf('}', loopStart);
  const c = new Float64Array(size * size);
  const memory: Readonly<Record<string, Float64Array>> = { a, b, c };
  type Step = (matrices: Map<string, Matrix>, names: Readonly<Record<string, number>>) => void;
  const body = lines.slice(loopStart + 1, loopEnd).flatMap((line): Step[] => {
    const load = LOAD.exec(line);
    if (load !== null) {
      const [, name, , columnsText, rowsText, source, offset, stride] = load;
      const [columns, rows] = [Number(columnsText), Number(rowsText)];
      return [
        (matrices, names) => {
          const base = evaluate(offset!, names);
          const step = evaluate(stride!, names);
          const values = new Float64Array(rows * columns);
          for (let r = 0; r < rows; r++) {
            for (let col = 0; col < columns; col++) {
              values[r * columns + col] = memory[source!]![base + step * r + col]!;
            }
          }
          matrices.set(name!, { rows, columns, values });
        },
      ];
    }
    const multiply = MULTIPLY.exec(line);
    if (multiply === null) return [];
    const [, target, leftName, rightName, accumulatorName] = multiply;
    return [
      (matrices) => {
        const left = matrices.get(leftName!)!;
        const right = matrices.get(rightName!)!;
        const accumulator = matrices.get(accumulatorName!)!;
        if (
          left.columns !== right.rows ||
          accumulator.rows !== left.rows ||
          accumulator.columns !== right.columns
        ) {
          throw new Error(`${line}: the shapes do not chain`);
        }
        const values = Float64Array.from(accumulator.values);
        for (let r = 0; r < left.rows; r++) {
          for (let col = 0; col < right.columns; col++) {
            let total = 0;
            for (let k = 0; k < left.columns; k++) {
              total += left.values[r * left.columns + k]! * right.values[k * right.columns + col]!;
            }
            values[r * right.columns + col]! += total;
          }
        }
        matrices.set(target!, { ...accumulator, values });
      },
    ];
  });
  const [groupsX, groupsY] = matmulGroups(spec, size);
  for (let gy = 0; gy < groupsY; gy++) {
    for (let gx = 0; gx < groupsX; gx++) {
      const names: Record<string, number> = {
        row0: gy * rowStep,
        column0: gx * columnStep,
        'dims.k': size,
        'dims.n': size,
        k0: 0,
      };
      const matrices = new Map<string, Matrix>();
      for (const line of lines.slice(0, loopStart)) {
        const declared = ACCUMULATOR.exec(line);
        if (declared === null) continue;
        const [columns, rows] = [Number(declared[2]), Number(declared[3])];
        matrices.set(declared[1]!, { rows, columns, values: new Float64Array(rows * columns) });
      }
      for (let k0 = 0; k0 < size; k0 += kStep) {
        names['k0'] = k0;
        for (const step of body) step(matrices, names);
      }
      for (const line of lines.slice(loopEnd + 1)) {
        const store = STORE.exec(line);
        if (store === null) continue;
        const matrix = matrices.get(store[2]!)!;
        const base = evaluate(store[1]!, names);
        const step = evaluate(store[3]!, names);
        for (let r = 0; r < matrix.rows; r++) {
          for (let col = 0; col < matrix.columns; col++) {
            c[base + step * r + col] = matrix.values[r * matrix.columns + col]!;
          }
        }
      }
    }
  }
  return c;
}

function product(a: Float64Array, b: Float64Array, size: number): Float64Array {
  const c = new Float64Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let k = 0; k < size; k++) {
      const left = a[r * size + k]!;
      for (let col = 0; col < size; col++) c[r * size + col]! += left * b[k * size + col]!;
    }
  }
  return c;
}

const CONFIGS: readonly FloatSubgroupMatrixConfig[] = [
  // Apple's (8 × 8 × 8, f32), NVIDIA's usual Vulkan shapes (square and M16 N8 K16), Intel's 8 × 16 × 16.
  { componentType: 'f32', resultComponentType: 'f32', M: 8, N: 8, K: 8 },
  { componentType: 'f16', resultComponentType: 'f32', M: 16, N: 16, K: 16 },
  { componentType: 'f16', resultComponentType: 'f32', M: 16, N: 8, K: 16 },
  { componentType: 'f16', resultComponentType: 'f16', M: 8, N: 16, K: 16 },
];

describe('the subgroup-matrix shader, interpreted on the CPU', () => {
  it.each(CONFIGS.map((config) => [`${config.M}×${config.N}×${config.K}`, config] as const))(
    'computes A·B in both spellings with the %s configuration',
    (_, config) => {
      const spec = subgroupMatrixKernel(config, 32);
      // The smallest side the kernel takes, doubled so that workgroups differ in both directions.
      const size = spec.sizeMultiple * 2;
      const a = Float64Array.from({ length: size * size }, (_, index) => ((index * 7919) % 13) - 6);
      const b = Float64Array.from({ length: size * size }, (_, index) => ((index * 104729) % 11) - 5);
      const expected = product(a, b, size);
      expect(spec.shaders).toHaveLength(2);
      for (const shader of spec.shaders) {
        expect(Array.from(interpret(shader, spec, a, b, size))).toEqual(Array.from(expected));
      }
    },
  );
});
