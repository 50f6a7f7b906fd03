import { useEffect, useRef, type ReactNode } from 'react';
import type { Headline as HeadlineData } from '../report/headline';
import { QUANTIZATION_LEVELS } from '../model/quantization';
import { MARKER_RADIUS, markerPaint, markerPath } from './chart-marker';

/** Milliseconds as the results table writes them (one decimal), with thousands separators. */
const MS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const RATE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/**
 * The answer first: each level's median TTFT at one representative length, on the adapter the trials ran on,
 * with what TTFT and prefill tokens/s mean. Its numbers are the results table's (the same cell summaries).
 */
export function Headline({
  headline,
  adapter,
  model,
  softwareAdapter,
  actions,
  revealWhenChanged,
}: {
  readonly headline: HeadlineData | undefined;
  /** The adapter the trials were measured on, as they record it. */
  readonly adapter: string;
  readonly model: string;
  readonly softwareAdapter: boolean;
  /** Export and share, in the same place as the answer. */
  readonly actions: ReactNode;
  /** When this changes (a run just finished here), the headline scrolls into view: the answer comes first. */
  readonly revealWhenChanged?: number | undefined;
}) {
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (revealWhenChanged !== undefined) section.current?.scrollIntoView({ block: 'start' });
  }, [revealWhenChanged]);
  return (
    <section
      className="panel headline"
      aria-labelledby="headline-heading"
      data-testid="headline"
      ref={section}
    >
      {headline === undefined ? (
        <h2 id="headline-heading">No timed repetitions have finished yet</h2>
      ) : (
        <>
          <h2 id="headline-heading">
            Time to first token at {headline.promptTokens} prompt tokens
            {headline.depthTokens > 0 ? ` after ${headline.depthTokens} tokens of context` : ''} on{' '}
            <span data-testid="headline-adapter">{adapter}</span>
          </h2>
          <p className="hint">
            {model}, median of the timed repetitions
            {headline.syncMode === 'barrier' ? '' : ` (sync mode ${headline.syncMode})`}
          </p>
          <ul className="headline-entries">
            {headline.entries.map((entry) => {
              const { colour, marker } = QUANTIZATION_LEVELS[entry.quantization].chart;
              return (
                <li
                  key={entry.quantization}
                  data-testid="headline-entry"
                  data-quantization={entry.quantization}
                  data-prompt-tokens={headline.promptTokens}
                  data-depth-tokens={headline.depthTokens}
                >
                  <span className="headline-level">
                    <svg width="14" height="14" aria-hidden="true">
                      <path d={markerPath(marker, 7, 7, MARKER_RADIUS)} {...markerPaint(colour, false)} />
                    </svg>{' '}
                    {entry.quantization}
                  </span>
                  <span className="headline-value" data-testid="headline-median">
                    {MS.format(entry.medianMs)} ms
                  </span>
                  <span className="hint">
                    {RATE.format(entry.prefillTokensPerSecond)} prompt tokens/s · n = {entry.n}
                    {entry.unstable ? ' · spread above 10%: run more repetitions' : ''}
                  </span>
                </li>
              );
            })}
          </ul>
          {headline.speedup !== undefined && (
            <p data-testid="headline-speedup">
              {headline.speedup.fastest} reaches its first token {headline.speedup.times.toFixed(1)}× sooner
              than {headline.speedup.slowest} at this length.
            </p>
          )}
        </>
      )}
      {softwareAdapter && (
        <p className="hint" data-testid="headline-software">
          Measured on a software adapter: WebGPU ran on the CPU, so these are a CPU&apos;s times, not a
          GPU&apos;s. Compare the levels&apos; ratios, not the times.
        </p>
      )}
      <p className="hint">
        <strong>TTFT</strong> (time to first token) runs from the prompt&apos;s text to the first generated
        token known on the CPU: tokenize, prefill the whole prompt on the GPU, wait for the GPU, read the
        logits back, pick the token. <strong>Prefill tokens/s</strong> is prompt tokens ÷ TTFT.
      </p>
      <div className="headline-actions">{actions}</div>
    </section>
  );
}
