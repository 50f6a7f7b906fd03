import { useState } from 'react';
import type { SweepConfig } from '../config/sweep-config';
import type { CellSummary } from '../bench/summary';
import {
  encodeShareFragment,
  SHARE_LINK_BUDGET_CHARS,
  toSharedCell,
  type SharedRun,
} from '../report/share-link';
import type { TrialRecord } from '../results/trial';

interface ShareControlsProps {
  readonly config: SweepConfig;
  readonly cells: readonly CellSummary[];
  readonly firstTrial: TrialRecord;
}

function linkFor(run: SharedRun): string {
  const url = new URL(window.location.href);
  url.hash = encodeShareFragment(run);
  return url.href;
}

/** Builds the share link; says when it would be too long or only work on this machine. */
export function ShareControls({ config, cells, firstTrial }: ShareControlsProps) {
  const [link, setLink] = useState<string | undefined>(undefined);
  const [note, setNote] = useState<string | undefined>(undefined);
  const makeLink = () => {
    const full: SharedRun = {
      version: 1,
      config,
      results: {
        environment: {
          adapter: firstTrial.adapter,
          browser: firstTrial.browser,
          os: firstTrial.os,
          onnxruntimeWebVersion: firstTrial.onnxruntimeWebVersion,
          appVersion: firstTrial.appVersion,
        },
        cells: cells.map(toSharedCell),
        measuredAt: firstTrial.startedAt,
      },
    };
    let href = linkFor(full);
    const notes: string[] = [];
    if (href.length > SHARE_LINK_BUDGET_CHARS) {
      href = linkFor({ version: 1, config });
      notes.push(
        'The results do not fit in a link; this link carries the configuration only. Download the JSON file to share the numbers.',
      );
    }
    if (['localhost', '127.0.0.1', '[::1]'].includes(window.location.hostname)) {
      notes.push(
        'This link points at localhost, so it only opens on this machine; publish the app (npm run build) or share the JSON file.',
      );
    }
    setLink(href);
    setNote(notes.length > 0 ? notes.join(' ') : undefined);
    void navigator.clipboard?.writeText(href).catch(() => undefined);
  };
  return (
    <div>
      <button type="button" onClick={makeLink} data-testid="copy-link">
        Copy link
      </button>
      {link !== undefined && (
        <div className="panel">
          <input
            type="text"
            readOnly
            value={link}
            aria-label="Share link"
            data-testid="share-link"
            style={{ width: '100%' }}
          />
          {note !== undefined && (
            <div className="hint" data-testid="share-note">
              {note}
            </div>
          )}
        </div>
      )}
    </div>
  );
}
