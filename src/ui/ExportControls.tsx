import { useState } from 'react';
import { modelLabel } from '../config/model-ref';
import type { CellSummary } from '../bench/summary';
import { trialsToCsv } from '../results/csv';
import { runToJson } from '../results/run-json';
import { formatSummaryTable } from '../report/summary-table';
import type { SweepResults } from './useSweep';
import { downloadText } from './download';
import { ShareControls } from './ShareControls';

interface ExportControlsProps {
  readonly results: SweepResults;
  readonly cells: readonly CellSummary[];
  /** Links are offered only for finished runs: a half-run link would misstate what was measured. */
  readonly finished: boolean;
}

function baseName(results: SweepResults): string {
  const model = results.config === undefined ? 'run' : modelLabel(results.config.model);
  return `ttft-${model.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
}

/** CSV of raw trials, the whole run as JSON, the summary as markdown, and the share link. */
export function ExportControls({ results, cells, finished }: ExportControlsProps) {
  const [copied, setCopied] = useState<string | undefined>(undefined);
  const firstTrial = results.trials[0];
  const copyMarkdown = () => {
    const markdown = formatSummaryTable(cells);
    if (navigator.clipboard === undefined) {
      setCopied('The clipboard is not available here; the table is under "Summary as a markdown table".');
      return;
    }
    navigator.clipboard.writeText(markdown).then(
      () => setCopied('Copied the summary as a markdown table.'),
      () => setCopied('The browser refused the clipboard; the table is under "Summary as a markdown table".'),
    );
  };
  return (
    <div className="actions">
      <button
        type="button"
        data-testid="download-csv"
        onClick={() => downloadText(`${baseName(results)}.csv`, trialsToCsv(results.trials), 'text/csv')}
      >
        Download CSV
      </button>
      <button
        type="button"
        data-testid="download-json"
        onClick={() =>
          downloadText(
            `${baseName(results)}.json`,
            runToJson({ config: results.config, loads: results.loads, trials: results.trials }),
            'application/json',
          )
        }
      >
        Download JSON
      </button>
      <button type="button" data-testid="copy-markdown" onClick={copyMarkdown}>
        Copy as markdown table
      </button>
      {copied !== undefined && (
        <span className="hint" role="status" data-testid="copy-markdown-status">
          {copied}
        </span>
      )}
      {results.config !== undefined && firstTrial !== undefined && finished && (
        <ShareControls config={results.config} cells={cells} firstTrial={firstTrial} />
      )}
    </div>
  );
}
