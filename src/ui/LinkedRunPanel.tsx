import { describeModel } from '../config/model-ref';
import type { AutorunRequest } from './automation';

interface LinkedRunPanelProps {
  readonly request: AutorunRequest;
  readonly canRun: boolean;
  readonly onRun: () => void;
}

/**
 * An #autorun link opened without a headless driver's opt-in: a link alone never starts work, so its
 * configuration is shown (and put in the form) with a Run button. A damaged one gets a message.
 */
export function LinkedRunPanel({ request, canRun, onRun }: LinkedRunPanelProps) {
  if (request.kind === 'invalid') {
    return (
      <section className="panel error" role="alert" data-testid="autorun-invalid">
        This autorun link cannot be used: {request.message}. The form below still works.
      </section>
    );
  }
  if (request.kind !== 'linked') return null;
  const { config } = request;
  return (
    <section className="panel" data-testid="autorun-linked">
      <h2>A linked configuration</h2>
      <p className="hint">
        This link asks to run a benchmark on your GPU. It does not start by itself: check it (it is also in
        the form below) and press Run if you want it.
      </p>
      <p data-testid="autorun-linked-config">
        {describeModel(config.model)}: {config.quantizations.join(', ')} at{' '}
        {config.customPrompt === undefined ? `${config.promptLengths.join(', ')} tokens` : 'a custom prompt'},{' '}
        {config.warmupRuns} warm-ups, {config.repetitions} repetitions, sync {config.syncModes.join(', ')}
        {config.decodeTokens > 0 ? `, decode ${config.decodeTokens} tokens` : ''}.
      </p>
      <button type="button" className="primary" disabled={!canRun} onClick={onRun} data-testid="run-linked">
        Run
      </button>
    </section>
  );
}
