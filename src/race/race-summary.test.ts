import { describe, expect, it } from 'vitest';
import type { ContenderName } from './race-config';
import { summarizeRace, type RaceTrial } from './race-summary';

const trial = (
  contender: ContenderName,
  round: number,
  ttftMs: number,
  overrides: Partial<RaceTrial> = {},
): RaceTrial => ({
  contender,
  quantization: 'q4',
  promptTokens: 256,
  phase: 'timed',
  round,
  ttftMs,
  firstTokenId: 42,
  ...overrides,
});

describe('summarizeRace', () => {
  it('gives each contender its median and the engine its ratios to the others', () => {
    const trials = [
      trial('engine', 0, 100, { phase: 'warmup' }),
      trial('engine', 0, 10, { beforeRunMs: 0.5 }),
      trial('engine', 1, 30, { beforeRunMs: 0.7 }),
      trial('engine', 2, 20, { beforeRunMs: 0.6 }),
      trial('floor', 0, 10),
      trial('floor', 1, 20),
      trial('floor', 2, 25),
      trial('transformers.js', 0, 40),
      trial('transformers.js', 1, 60),
      trial('transformers.js', 2, 50),
    ];
    const [cell] = summarizeRace(trials, ['engine', 'floor', 'transformers.js']);
    expect(cell?.contenders.map((c) => [c.contender, c.ttft.median, c.ttft.n])).toEqual([
      ['engine', 20, 3],
      ['floor', 20, 3],
      ['transformers.js', 50, 3],
    ]);
    expect(cell?.engineOverFloor?.ofMedians).toBe(1);
    // Same-round ratios 10/10, 30/20, 20/25: median 1.
    expect(cell?.engineOverFloor?.pairedMedian).toBe(1);
    expect(cell?.engineOverTransformersJs?.ofMedians).toBeCloseTo(0.4, 12);
    expect(cell?.engineOverTransformersJs?.pairedMedian).toBeCloseTo(0.4, 12);
    expect(cell?.sameFirstToken).toBe(true);
    expect(cell?.engineBeforeRunMs).toBe(0.6);
  });

  it('keeps cells apart, leaves absent contenders out and flags a disagreeing first token', () => {
    const trials = [
      trial('engine', 0, 10),
      trial('engine', 0, 12, { promptTokens: 512 }),
      trial('floor', 0, 11, { promptTokens: 512, firstTokenId: 7, phase: 'warmup' }),
      trial('floor', 0, 11, { promptTokens: 512 }),
    ];
    const cells = summarizeRace(trials, ['engine', 'floor', 'transformers.js']);
    expect(cells.map((cell) => cell.promptTokens)).toEqual([256, 512]);
    expect(cells[0]?.engineOverFloor).toBeUndefined();
    expect(cells[0]?.engineOverTransformersJs).toBeUndefined();
    expect(cells[0]?.engineBeforeRunMs).toBeUndefined();
    expect(cells[0]?.sameFirstToken).toBe(true);
    expect(cells[1]?.contenders.map((c) => c.contender)).toEqual(['engine', 'floor']);
    expect(cells[1]?.engineOverFloor?.ofMedians).toBeCloseTo(12 / 11, 12);
    expect(cells[1]?.sameFirstToken).toBe(false);
  });
});
