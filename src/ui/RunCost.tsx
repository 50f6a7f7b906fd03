import type { RunEstimate } from '../report/run-estimate';
import { formatEstimate } from '../report/duration-format';

/** Before Run: why the form holds what it holds (when the adapter chose it), and what the run will cost. */
export function RunCost({
  estimate,
  defaultsReason,
}: {
  readonly estimate: RunEstimate | undefined;
  /** Set while the form shows the adapter's default sweep. */
  readonly defaultsReason: string | undefined;
}) {
  return (
    <div className="run-cost">
      {defaultsReason !== undefined && (
        <p className="hint" data-testid="defaults-reason">
          {defaultsReason}
        </p>
      )}
      {estimate !== undefined && (
        <p
          data-testid="run-cost"
          data-trials={estimate.trials}
          data-seconds={Math.round(estimate.seconds)}
          data-basis={estimate.basis}
        >
          <strong>
            {estimate.trials} trials, about {formatEstimate(estimate.seconds)}
          </strong>
          {estimate.loadSeconds >= 1 && (
            <> (of which loading the models {formatEstimate(estimate.loadSeconds)})</>
          )}
          <span className="hint"> — {estimate.basisText}.</span>
        </p>
      )}
    </div>
  );
}
