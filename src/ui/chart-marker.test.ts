import { describe, expect, it } from 'vitest';
import { CHART_MARKERS } from '../model/quantization';
import { markerPath } from './chart-marker';

function coordinates(path: string): number[][] {
  // Arc commands carry radii and flags too; take only the points (after M, L, and the end point of A).
  const points: number[][] = [];
  for (const [, command, args] of path.matchAll(/([MLA])([^MLAZ]*)/g)) {
    const pairs = args!.trim().split(/\s+/);
    const last = command === 'A' ? pairs.at(-1)! : pairs.join(' ');
    for (const pair of last.split(/\s+/)) points.push(pair.split(',').map(Number));
  }
  return points;
}

describe('chart markers', () => {
  it.each(CHART_MARKERS)('%s is a closed shape around its point, about as large as the radius', (shape) => {
    const path = markerPath(shape, 100, 50, 4);
    expect(path).toMatch(/^M.*Z$/);
    const points = coordinates(path);
    expect(points.length).toBeGreaterThanOrEqual(3);
    for (const [x, y] of points) {
      expect(Math.abs(x! - 100)).toBeLessThanOrEqual(4 * 1.4);
      expect(Math.abs(y! - 50)).toBeLessThanOrEqual(4 * 1.4);
    }
    const spanX = Math.max(...points.map((p) => p[0]!)) - Math.min(...points.map((p) => p[0]!));
    expect(spanX).toBeGreaterThan(4);
  });

  it('draws every shape differently', () => {
    const paths = CHART_MARKERS.map((shape) => markerPath(shape, 0, 0, 4));
    expect(new Set(paths).size).toBe(CHART_MARKERS.length);
  });
});
