import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32 as float16BitsToNumber } from '../model/float16';
import { argmaxFloat16, argmaxFloat32 } from './argmax';

describe('greedy sampling', () => {
  it('picks the first index of the largest float32 logit', () => {
    expect(argmaxFloat32(new Float32Array([0.5, -2, 3.25, 3.25, 1]))).toBe(2);
    expect(argmaxFloat32(new Float32Array([-5, -4, -6]))).toBe(1);
  });

  it('decodes float16 bit patterns exactly', () => {
    expect(float16BitsToNumber(0x3c00)).toBe(1);
    expect(float16BitsToNumber(0xc000)).toBe(-2);
    expect(float16BitsToNumber(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(float16BitsToNumber(0x0001)).toBe(2 ** -24);
    expect(float16BitsToNumber(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(float16BitsToNumber(0x7e00))).toBe(true);
  });

  it('finds the largest float16 logit, including negatives', () => {
    // -2, 1, 0.333, -0.5
    expect(argmaxFloat16(new Uint16Array([0xc000, 0x3c00, 0x3555, 0xb800]))).toBe(1);
  });

  it('rejects an empty row', () => {
    expect(() => argmaxFloat32(new Float32Array(0))).toThrow(/empty/);
  });
});
