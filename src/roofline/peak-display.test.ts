import { describe, expect, it } from 'vitest';
import {
  dataSheetFractions,
  dataSheetPeaks,
  DATA_SHEET_MAX,
  describeAgainstDataSheet,
  describeAgreement,
  describeKernelOutcome,
  describeMatmulPeak,
  formatRate,
  fractionCell,
  parseDataSheetField,
} from './peak-display';

describe('fractionCell', () => {
  it('shows a fraction of the measured peak as a percentage up to 100%', () => {
    expect(fractionCell(0.95, 'measured')).toEqual({ kind: 'percent', text: '95.0%' });
    expect(fractionCell(0.0712, 'measured')).toEqual({ kind: 'percent', text: '7.12%' });
    expect(fractionCell(1, 'measured')).toEqual({ kind: 'percent', text: '100.0%' });
  });

  it('never shows more than 100%: a cell above the measured peak says the peak was measured low', () => {
    // The H200's idle-clock peak made one cell read 218%.
    expect(fractionCell(2.18, 'measured')).toEqual({ kind: 'above-peak', text: 'above measured peak' });
    expect(fractionCell(1.001, 'data-sheet')).toEqual({ kind: 'above-peak', text: 'above data-sheet peak' });
  });
});

describe('peak descriptions', () => {
  it('names the unit that keeps three significant digits', () => {
    expect(formatRate(1.9e9, 'FLOP/s')).toBe('1.90 GFLOP/s');
    expect(formatRate(16.5e12, 'FLOP/s')).toBe('16.5 TFLOP/s');
    expect(formatRate(229e9, 'B/s')).toBe('229 GB/s');
    expect(formatRate(4.1e12, 'B/s')).toBe('4.10 TB/s');
    expect(formatRate(2.4e5, 'FLOP/s')).toBe('0.240 MFLOP/s');
  });

  it('a matmul peak names the kernel that gave it and the size', () => {
    const peak = {
      perSecond: 16.5e12,
      series: [16.3e12, 16.5e12],
      agreement: 'agreed' as const,
      kernel: 'subgroup-matrix' as const,
      detail: 'f16×f16→f32 16×16×16, 4×2 per subgroup',
      size: 4096,
    };
    expect(describeMatmulPeak(peak)).toBe(
      '16.5 TFLOP/s (subgroup-matrix kernel, f16×f16→f32 16×16×16, 4×2 per subgroup, 4096³)',
    );
    expect(describeMatmulPeak({ ...peak, kernel: 'vec4', detail: undefined, size: 512 })).toBe(
      '16.5 TFLOP/s (vec4 kernel, 512³)',
    );
  });

  it('says whether the series agreed, with the last two numbers either way', () => {
    expect(
      describeAgreement({ perSecond: 16.5e12, series: [16.3e12, 16.5e12], agreement: 'agreed' }, 'FLOP/s'),
    ).toBe('the last two series agree within 5%: 16.3 TFLOP/s and 16.5 TFLOP/s');
    expect(
      describeAgreement(
        { perSecond: 16.4e12, series: [8.1e12, 16.3e12, 16.4e12], agreement: 'agreed' },
        'FLOP/s',
      ),
    ).toBe('the last two series agree within 5%: 16.3 TFLOP/s and 16.4 TFLOP/s (after 1 that did not)');
    expect(
      describeAgreement(
        { perSecond: 16.5e12, series: [7.5e12, 16.3e12, 8.1e12, 16.5e12], agreement: 'unstable' },
        'FLOP/s',
      ),
    ).toBe('unstable: 4 series never agreed within 5%; the last two read 8.10 TFLOP/s and 16.5 TFLOP/s');
  });

  it('lists each kernel tried with its number, or why it was left out', () => {
    expect(
      describeKernelOutcome({
        kernel: 'blocked',
        precision: 'f32',
        detail: undefined,
        result: { kind: 'measured', flopsPerSecond: 2.1e9, size: 512 },
      }),
    ).toBe('blocked f32: 2.10 GFLOP/s');
    expect(
      describeKernelOutcome({
        kernel: 'subgroup-matrix',
        precision: 'f16',
        detail: 'f16×f16→f32 16×16×16, 4×2 per subgroup',
        result: { kind: 'excluded', reason: 'wrong product: computed C[0][63] = 0, expected 3.2' },
      }),
    ).toBe(
      'subgroup-matrix (f16×f16→f32 16×16×16, 4×2 per subgroup) f16: left out — wrong product: computed C[0][63] = 0, expected 3.2',
    );
  });
});

describe('data-sheet peaks', () => {
  it('accepts an empty field or a positive number, and says what is wrong otherwise', () => {
    const max = DATA_SHEET_MAX.teraFlopsPerSecond;
    expect(parseDataSheetField('', max)).toEqual({ kind: 'empty' });
    expect(parseDataSheetField('  67 ', max)).toEqual({ kind: 'value', value: 67 });
    expect(parseDataSheetField('989.5', max)).toEqual({ kind: 'value', value: 989.5 });
    expect(parseDataSheetField('4.8e3', max)).toEqual({ kind: 'value', value: 4800 });
    expect(parseDataSheetField('67 TFLOPS', max)).toEqual({
      kind: 'invalid',
      message: 'enter a number, like 67 or 4800',
    });
    expect(parseDataSheetField('-3', max).kind).toBe('invalid');
    expect(parseDataSheetField('0', max)).toEqual({ kind: 'invalid', message: 'must be more than 0' });
    expect(parseDataSheetField('67000000', max)).toEqual({
      kind: 'invalid',
      message: 'must be at most 100000',
    });
  });

  it('says what share of the data sheet the measured peaks are, and when a measured one is above it', () => {
    const measured = { flopsPerSecond: 16.5e12, bytesPerSecond: 3.9e12 };
    expect(describeAgainstDataSheet(measured, { flopsPerSecond: 67e12, bytesPerSecond: 4.8e12 })).toBe(
      'Against the data sheet: the measured f32 multiply peak is 24.6% of it; the measured bandwidth is 81.3% of it.',
    );
    expect(describeAgainstDataSheet(measured, { flopsPerSecond: 10e12, bytesPerSecond: undefined })).toBe(
      "Against the data sheet: the measured f32 multiply peak is above it (is the figure entered this GPU's, for this precision?).",
    );
    expect(describeAgainstDataSheet(measured, { flopsPerSecond: undefined, bytesPerSecond: undefined })).toBe(
      undefined,
    );
  });

  it("places a prefill against the data sheet's FLOP/s and roofline", () => {
    const sheet = dataSheetPeaks({ kind: 'value', value: 67 }, { kind: 'value', value: 4800 });
    expect(sheet).toEqual({ flopsPerSecond: 67e12, bytesPerSecond: 4800e9 });
    // Llama-3.2-1B q4 at pp512: ~1.3 TFLOP in 89.4 ms.
    const flops = 1.3e12;
    const gpuTimeMs = 89.4;
    const point = { flops, achievedFlopsPerSecond: flops / (gpuTimeMs / 1000) };
    const fractions = dataSheetFractions(point, 1e9, gpuTimeMs, sheet);
    expect(fractions.ofPeak).toBeCloseTo(flops / 0.0894 / 67e12, 10);
    // Compute-bound: 1.3 TFLOP at 67 TFLOP/s is 19.4 ms, reading 1 GB at 4.8 TB/s 0.21 ms.
    expect(fractions.ofRoofline).toBeCloseTo(((flops / 67e12) * 1000) / gpuTimeMs, 10);
    expect(dataSheetFractions(point, 1e9, gpuTimeMs, { ...sheet, bytesPerSecond: undefined })).toEqual({
      ofPeak: fractions.ofPeak,
      ofRoofline: undefined,
    });
    expect(
      dataSheetFractions(point, 1e9, gpuTimeMs, dataSheetPeaks({ kind: 'empty' }, { kind: 'empty' })),
    ).toEqual({
      ofPeak: undefined,
      ofRoofline: undefined,
    });
  });
});
