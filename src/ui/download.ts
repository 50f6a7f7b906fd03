import type { ChartMarker } from '../model/quantization';
import { MARKER_RADIUS, markerPaint, markerPath } from './chart-marker';

/** Saves a Blob as a file through a temporary object URL; the browser's own download UI does the rest. */
function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(fileName: string, text: string, mimeType: string): void {
  downloadBlob(fileName, new Blob([text], { type: mimeType }));
}

/** One legend entry drawn into exported charts (the on-screen legend is HTML, outside the SVG). */
export interface SvgLegendEntry {
  readonly label: string;
  readonly colour: string;
  readonly dash: string | undefined;
  /** The series' point marker, drawn on the middle of its line; hollow for compared runs. */
  readonly marker?: { readonly shape: ChartMarker; readonly hollow: boolean };
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const LEGEND_ROW_PX = 18;
const LEGEND_COLUMN_PX = 230;

function svgElement(name: string, attributes: Record<string, string>): SVGElement {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

interface StandaloneSvg {
  readonly markup: string;
  readonly width: number;
  readonly height: number;
}

/**
 * A standalone SVG document of a rendered chart: namespaced, sized, on white (charts inherit page CSS),
 * with its legend drawn below the plot so the file explains itself. Labels go in as text nodes only.
 */
function standaloneSvg(svg: SVGSVGElement, legend: readonly SvgLegendEntry[]): StandaloneSvg {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const { width, height } = svg.getBoundingClientRect();
  const perRow = Math.max(1, Math.floor(width / LEGEND_COLUMN_PX));
  const legendHeight = Math.ceil(legend.length / perRow) * LEGEND_ROW_PX + (legend.length > 0 ? 8 : 0);
  const totalWidth = Math.round(width);
  const totalHeight = Math.round(height + legendHeight);
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(totalWidth));
  copy.setAttribute('height', String(totalHeight));
  copy.setAttribute('viewBox', `0 0 ${totalWidth} ${totalHeight}`);
  copy.setAttribute('style', 'background: #ffffff; font-family: system-ui, sans-serif; font-size: 12px');
  copy.insertBefore(svgElement('rect', { width: '100%', height: '100%', fill: '#ffffff' }), copy.firstChild);
  legend.forEach((entry, index) => {
    const x = 10 + (index % perRow) * LEGEND_COLUMN_PX;
    const y = height + 8 + Math.floor(index / perRow) * LEGEND_ROW_PX + LEGEND_ROW_PX / 2;
    const line = svgElement('line', {
      x1: String(x),
      x2: String(x + 24),
      y1: String(y),
      y2: String(y),
      stroke: entry.colour,
      'stroke-width': '2',
      ...(entry.dash === undefined ? {} : { 'stroke-dasharray': entry.dash }),
    });
    const label = svgElement('text', { x: String(x + 30), y: String(y + 4), fill: '#222222' });
    label.textContent = entry.label;
    copy.append(line, label);
    if (entry.marker !== undefined) {
      const paint = markerPaint(entry.colour, entry.marker.hollow);
      copy.append(
        svgElement('path', {
          d: markerPath(entry.marker.shape, x + 12, y, MARKER_RADIUS),
          fill: paint.fill,
          stroke: paint.stroke,
          'stroke-width': String(paint.strokeWidth),
        }),
      );
    }
  });
  return { markup: new XMLSerializer().serializeToString(copy), width: totalWidth, height: totalHeight };
}

export function svgMarkup(svg: SVGSVGElement, legend: readonly SvgLegendEntry[] = []): string {
  return standaloneSvg(svg, legend).markup;
}

/** Rasterizes the chart at twice its on-screen size, for slides and issue trackers. */
export async function downloadSvgAsPng(
  svg: SVGSVGElement,
  fileName: string,
  legend: readonly SvgLegendEntry[] = [],
): Promise<void> {
  const { markup, width, height } = standaloneSvg(svg, legend);
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * 2);
    canvas.height = Math.round(height * 2);
    const context = canvas.getContext('2d');
    if (context === null) return;
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const png = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (png !== null) downloadBlob(fileName, png);
  } finally {
    URL.revokeObjectURL(url);
  }
}
