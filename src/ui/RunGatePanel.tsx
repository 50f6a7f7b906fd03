import type { Refusal } from '../bench/run-admission';
import { formatEstimate } from '../report/duration-format';
import type { RunEstimate } from '../report/run-estimate';

/** A run the gate stopped: refused (with reasons and what to pick instead), or waiting for a yes. */
export type RunGate =
  | {
      readonly kind: 'refused';
      readonly refusals: readonly Refusal[];
      readonly suggestions: readonly string[];
    }
  | { readonly kind: 'confirm'; readonly estimate: RunEstimate };

interface RunGatePanelProps {
  readonly gate: RunGate | undefined;
  readonly onConfirm: () => void;
  readonly onDismiss: () => void;
}

/** Why a run did not start, or the question before a long one; text only. */
export function RunGatePanel({ gate, onConfirm, onDismiss }: RunGatePanelProps) {
  if (gate === undefined) return null;
  if (gate.kind === 'refused') {
    return (
      <section className="panel error" role="alert" data-testid="run-refused">
        <strong>This run cannot work here, so nothing was built or downloaded.</strong>
        <ul>
          {gate.refusals.map((refusal, index) => (
            <li key={index}>
              {refusal.quantization === undefined ? '' : `${refusal.quantization}: `}
              {refusal.reason}
            </li>
          ))}
        </ul>
        {gate.suggestions.length > 0 && (
          <p data-testid="run-refused-instead">Instead: {gate.suggestions.join(' ')}</p>
        )}
        <button type="button" onClick={onDismiss}>
          Dismiss
        </button>
      </section>
    );
  }
  const { estimate } = gate;
  return (
    <section
      className="panel"
      role="alertdialog"
      aria-labelledby="run-confirm-heading"
      data-testid="run-confirm"
    >
      <h2 id="run-confirm-heading">This is a long run</h2>
      <p>
        It plans <strong data-testid="run-confirm-trials">{estimate.trials.toLocaleString('en-US')}</strong>{' '}
        trials and would take about{' '}
        <strong data-testid="run-confirm-duration">{formatEstimate(estimate.seconds)}</strong> (
        {estimate.basisText}). The GPU stays busy all that time; you can cancel it, and finished trials are
        kept.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={onConfirm} data-testid="run-confirm-yes">
          Run it
        </button>{' '}
        <button type="button" onClick={onDismiss} data-testid="run-confirm-no">
          Do not run
        </button>
      </div>
    </section>
  );
}
