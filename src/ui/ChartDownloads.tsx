import type { RefObject } from 'react';
import { downloadSvgAsPng, downloadText, svgMarkup, type SvgLegendEntry } from './download';

interface ChartDownloadsProps {
  /** The chart's figure; its plot is the recharts surface directly inside the wrapper. */
  readonly figure: RefObject<HTMLElement | null>;
  readonly fileName: string;
  readonly legend: readonly SvgLegendEntry[];
}

/** "Download SVG" and "Download PNG" for one chart, with its legend drawn into the file. */
export function ChartDownloads({ figure, fileName, legend }: ChartDownloadsProps) {
  // Legend icons are small SVGs of the same class inside the HTML legend: take the plot's own.
  const svg = () =>
    figure.current?.querySelector<SVGSVGElement>('.recharts-wrapper > svg.recharts-surface') ?? null;
  return (
    <>
      <button
        type="button"
        onClick={() => {
          const element = svg();
          if (element !== null) downloadText(`${fileName}.svg`, svgMarkup(element, legend), 'image/svg+xml');
        }}
        data-testid="download-chart-svg"
      >
        Download SVG
      </button>
      <button
        type="button"
        onClick={() => {
          const element = svg();
          if (element !== null) void downloadSvgAsPng(element, `${fileName}.png`, legend);
        }}
        data-testid="download-chart-png"
      >
        Download PNG
      </button>
    </>
  );
}
