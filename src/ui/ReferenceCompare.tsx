import { REFERENCE_GPU, type ReferenceChoice } from '../report/reference-run';
import type { ReferenceLoad } from './useComparisons';

/** One click sets a run measured on an NVIDIA H200, shipped with the page, beside this one. */
export function ReferenceCompare({
  choice,
  load,
  onCompare,
}: {
  readonly choice: ReferenceChoice;
  readonly load: ReferenceLoad;
  readonly onCompare: () => void;
}) {
  return (
    <div>
      <button
        type="button"
        onClick={onCompare}
        disabled={load.kind === 'loading'}
        data-testid="compare-reference"
      >
        Compare with an {REFERENCE_GPU}
      </button>{' '}
      <span className="hint" data-testid="reference-choice">
        {choice.otherModel ??
          `A run of the built-in ${choice.preset} measured on an ${REFERENCE_GPU}, shipped with this page.`}
        {load.kind === 'loading' && ' Loading…'}
      </span>
      {load.kind === 'failed' && (
        <p className="error" role="alert" data-testid="reference-error">
          {load.message}
        </p>
      )}
    </div>
  );
}
