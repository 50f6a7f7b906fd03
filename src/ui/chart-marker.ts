/**
 * The marker shapes of the quantization registry as SVG path data, so the on-screen chart, its legend and the
 * downloaded SVG draw the same shapes. Shapes are sized to look equally heavy at the same `radius`.
 */
import type { ChartMarker } from '../model/quantization';

/** Markers' size on screen and in downloaded charts. */
export const MARKER_RADIUS = 3.5;

/** Filled for this run; hollow (white inside, coloured outline) for the runs compared with it. */
export function markerPaint(
  colour: string,
  hollow: boolean,
): { fill: string; stroke: string; strokeWidth: number } {
  return { fill: hollow ? '#ffffff' : colour, stroke: colour, strokeWidth: hollow ? 1.5 : 0.5 };
}

const point = (x: number, y: number) => `${x.toFixed(2)},${y.toFixed(2)}`;

function polygon(points: readonly (readonly [number, number])[]): string {
  return `M${points.map(([x, y]) => point(x, y)).join(' L')} Z`;
}

/** A regular star or polygon around (x, y): `corners` outer points, alternating with `inner` radius if given. */
function around(x: number, y: number, outer: number, corners: number, inner?: number, turn = 0): string {
  const points: [number, number][] = [];
  const steps = inner === undefined ? corners : corners * 2;
  for (let i = 0; i < steps; i++) {
    const radius = inner !== undefined && i % 2 === 1 ? inner : outer;
    const angle = turn + (i * 2 * Math.PI) / steps - Math.PI / 2;
    points.push([x + radius * Math.cos(angle), y + radius * Math.sin(angle)]);
  }
  return polygon(points);
}

/** A plus of arm half-width `w`, turned by `turn` (a quarter turn less an eighth gives the x). */
function plus(x: number, y: number, r: number, turn: number): string {
  const w = r * 0.32;
  const arm: [number, number][] = [
    [-w, -r],
    [w, -r],
    [w, -w],
    [r, -w],
    [r, w],
    [w, w],
    [w, r],
    [-w, r],
    [-w, w],
    [-r, w],
    [-r, -w],
    [-w, -w],
  ];
  const cos = Math.cos(turn);
  const sin = Math.sin(turn);
  return polygon(arm.map(([dx, dy]) => [x + dx * cos - dy * sin, y + dx * sin + dy * cos]));
}

export function markerPath(shape: ChartMarker, x: number, y: number, radius: number): string {
  const r = radius;
  switch (shape) {
    case 'circle':
      return `M${point(x - r, y)} A${r},${r} 0 1,0 ${point(x + r, y)} A${r},${r} 0 1,0 ${point(x - r, y)} Z`;
    case 'square':
      return polygon([
        [x - r * 0.9, y - r * 0.9],
        [x + r * 0.9, y - r * 0.9],
        [x + r * 0.9, y + r * 0.9],
        [x - r * 0.9, y + r * 0.9],
      ]);
    case 'triangle':
      return around(x, y + r * 0.15, r * 1.2, 3);
    case 'triangle-down':
      return around(x, y - r * 0.15, r * 1.2, 3, undefined, Math.PI);
    case 'diamond':
      return around(x, y, r * 1.25, 4);
    case 'plus':
      return plus(x, y, r * 1.2, 0);
    case 'cross':
      return plus(x, y, r * 1.2, Math.PI / 4);
    case 'star':
      return around(x, y, r * 1.35, 5, r * 0.6);
  }
}
