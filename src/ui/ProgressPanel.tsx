import type { ReactNode } from 'react';
import { describeStep, type SweepStatus } from '../bench/progress';
import { formatClock } from '../report/duration-format';

function ResumeButton({ onResume }: { readonly onResume: (() => void) | undefined }) {
  if (onResume === undefined) return null;
  return (
    <>
      {' '}
      <button type="button" className="primary" onClick={onResume} data-testid="resume-run">
        Resume
      </button>
    </>
  );
}

export function ProgressPanel({
  status,
  onResume,
  onRunAnyway,
  clock,
  tookMs,
}: {
  readonly status: SweepStatus;
  /** Offered after a cancel or failure: measures only what the run is missing. */
  readonly onResume?: (() => void) | undefined;
  /** Offered while another tab measures on this GPU: run now, with both runs' trials marked overlapped. */
  readonly onRunAnyway?: (() => void) | undefined;
  /** Elapsed and remaining time while running. */
  readonly clock?: ReactNode;
  /** How long the finished run took. */
  readonly tookMs?: number | undefined;
}) {
  switch (status.kind) {
    case 'idle':
      return null;
    case 'running': {
      const { progress } = status;
      return (
        <section className="panel" aria-live="polite" data-testid="progress">
          <progress
            max={Math.max(progress.totalTrials, 1)}
            value={progress.completedTrials}
            aria-label="Sweep progress"
          />
          <div>
            {describeStep(progress.step)} — {progress.completedTrials} of {progress.totalTrials} trials
          </div>
          {onRunAnyway !== undefined && (
            <p data-testid="gpu-busy">
              Another tab is measuring on this GPU; this run starts when it ends (or cancel it). Running both
              at once makes both slower, and every trial measured meanwhile is marked overlapped in both runs.{' '}
              <button type="button" onClick={onRunAnyway} data-testid="run-anyway">
                Run anyway
              </button>
            </p>
          )}
          {clock}
          {progress.step.kind === 'downloading' && progress.step.totalBytes > 0 && (
            <progress
              max={progress.step.totalBytes}
              value={progress.step.loadedBytes}
              aria-label="Download progress"
              data-testid="download-progress"
              data-loaded-bytes={progress.step.loadedBytes}
              data-total-bytes={progress.step.totalBytes}
            />
          )}
        </section>
      );
    }
    case 'done':
      return (
        <section className="panel" data-testid="status-done">
          Sweep finished{tookMs === undefined ? '' : ` in ${formatClock(tookMs)}`}.
        </section>
      );
    case 'cancelled':
      return (
        <section className="panel" data-testid="status-cancelled">
          Sweep cancelled; the trials that finished are kept below.
          <ResumeButton onResume={onResume} />
        </section>
      );
    case 'failed':
      return (
        <section className="panel error" role="alert" data-testid="status-failed">
          <strong>The sweep stopped:</strong> {status.message} Finished trials are kept below.
          <ResumeButton onResume={onResume} />
        </section>
      );
  }
}
