import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize } from '../bench/statistics';
import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import { trialsToCsv } from '../results/csv';
import { trial } from '../results/trial-fixture';
import { importRunFile } from './compared-run';
import { summaryProblem, trialsProblem } from './cross-field';
import { decodeShareFragment, encodeShareFragment, sharedCellsProblem, type SharedCell } from './share-link';
import { sharedCell } from './shared-cell-fixture';

const measurements = fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 60 });

function fieldsOf(values: readonly number[]) {
  const s = summarize(values);
  return {
    n: s.n,
    median: s.median,
    p10: s.p10,
    p90: s.p90,
    mean: s.mean,
    sd: s.stdDev,
    min: s.min,
    max: s.max,
  };
}

function linkWith(cells: readonly SharedCell[]): string {
  return `#${encodeShareFragment({
    version: 1,
    config: DEFAULT_SWEEP_CONFIG,
    results: {
      environment: {
        adapter: 'a',
        browser: 'b',
        os: 'c',
        onnxruntimeWebVersion: '1.30.0',
        appVersion: '0.1.0',
      },
      cells,
      measuredAt: '2026-11-24T22:00:00.000Z',
    },
  })}`;
}

describe('cross-field checks of summaries', () => {
  it('accepts every summary real measurements give', () => {
    fc.assert(fc.property(measurements, (values) => summaryProblem(fieldsOf(values)) === undefined));
  });

  it('refuses a summary whose p10 and p90 were swapped', () => {
    fc.assert(
      fc.property(measurements, (values) => {
        const fields = fieldsOf(values);
        fc.pre(fields.p90 - fields.p10 > 1e-3 * Math.max(1, fields.p90));
        return summaryProblem({ ...fields, p10: fields.p90, p90: fields.p10 }) !== undefined;
      }),
    );
  });

  it('refuses a mean further from the median than one standard deviation', () => {
    fc.assert(
      fc.property(measurements, fc.double({ min: 1.01, max: 100, noNaN: true }), (values, factor) => {
        const fields = fieldsOf(values);
        const mean = fields.median + factor * fields.sd + 1;
        return summaryProblem({ ...fields, mean, min: undefined, max: undefined }) !== undefined;
      }),
    );
  });

  it('names what is wrong', () => {
    const good = { n: 5, median: 10, p10: 9, p90: 12, mean: 10.5, sd: 1 };
    expect(summaryProblem(good)).toBeUndefined();
    expect(summaryProblem({ ...good, n: 0 })).toMatch(/at least one measurement/);
    expect(summaryProblem({ ...good, sd: -1 })).toMatch(/cannot be negative/);
    expect(summaryProblem({ ...good, p10: 11 })).toBe(
      'p10 ≤ median ≤ p90 does not hold (p10 11 > median 10)',
    );
    expect(summaryProblem({ ...good, min: 9.5, max: 20 })).toMatch(/min 9.5 > p10 9/);
    expect(summaryProblem({ ...good, min: 1, max: 11 })).toMatch(/p90 12 > max 11/);
    expect(summaryProblem({ ...good, mean: 100, sd: 1 })).toMatch(/further from the median/);
    expect(summaryProblem({ n: 1, median: 5, p10: 5, p90: 5, mean: 5, sd: 0 })).toBeUndefined();
    expect(summaryProblem({ n: 1, median: 5, p10: 5, p90: 5, mean: 5.5, sd: 1 })).toMatch(/no spread/);
  });
});

describe('shared links with impossible results', () => {
  it('are refused with the reason, and nothing of them is shown', () => {
    const swapped = decodeShareFragment(linkWith([sharedCell({ p10Ms: 30, medianMs: 20, p90Ms: 10 })]));
    expect(swapped).toEqual({
      kind: 'invalid',
      message:
        "This shared link's results cannot be right (q4 at 16 tokens (barrier): p10 ≤ median ≤ p90 does not " +
        'hold (p10 30 > median 20)), so they are not shown.',
    });
    const unrelatedMean = decodeShareFragment(linkWith([sharedCell({ meanMs: 5000, stdDevMs: 1 })]));
    expect(unrelatedMean.kind === 'invalid' && unrelatedMean.message).toMatch(/further from the median/);
  });

  it('give each cell once: fifty identical cells are one problem, not fifty rows', () => {
    const fifty = Array.from({ length: 50 }, () => sharedCell({}));
    expect(sharedCellsProblem(fifty)).toBe('q4 at 16 tokens (barrier) is given more than once');
    const decoded = decodeShareFragment(linkWith(fifty));
    expect(decoded.kind === 'invalid' && decoded.message).toMatch(/given more than once/);
    // The same cell at another length, context depth or sync mode is another cell.
    expect(
      sharedCellsProblem([
        sharedCell({}),
        sharedCell({ promptTokens: 32 }),
        sharedCell({ depthTokens: 256 }),
        sharedCell({ syncMode: 'none' }),
      ]),
    ).toBeUndefined();
    expect(sharedCellsProblem([sharedCell({ depthTokens: 256 }), sharedCell({ depthTokens: 256 })])).toBe(
      'q4 at 16 tokens at depth 256 (barrier) is given more than once',
    );
  });
});

describe('imported trials', () => {
  it('are refused when a trial repeats or its parts do not add up to its TTFT', () => {
    const one = trial({ runId: 'r', trialIndex: 3, ttftMs: 40 });
    expect(trialsProblem([one])).toBeUndefined();
    expect(trialsProblem([one, { ...one }])).toBe('trial 3 of run r is given more than once');
    expect(trialsProblem([{ ...one, ttftMs: 1e9 }])).toMatch(
      /add up to 40 ms, not its TTFT of 1000000000 ms/,
    );
    const imported = importRunFile('odd.csv', trialsToCsv([one, one]), 'x');
    expect(imported).toEqual({
      ok: false,
      message:
        'odd.csv: these trials cannot be right (trial 3 of run r is given more than once); not imported.',
    });
  });

  it('accept any trial whose parts were measured as consecutive clock readings', () => {
    const parts = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 6, maxLength: 6 });
    fc.assert(
      fc.property(parts, (values) => {
        // Clock readings, as the engine takes them; each part is the difference of two.
        const stamps = values.reduce<number[]>((list, value) => [...list, list.at(-1)! + value], [1000.5]);
        const diff = (i: number) => stamps[i + 1]! - stamps[i]!;
        const measured = trial({
          tokenizeMs: diff(0),
          uploadMs: diff(1),
          prefillMs: diff(2),
          gpuWaitMs: diff(3),
          readbackMs: diff(4),
          samplingMs: diff(5),
          ttftMs: stamps[6]! - stamps[0]!,
        });
        return trialsProblem([measured]) === undefined;
      }),
    );
  });
});
