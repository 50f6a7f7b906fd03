import type { ReactNode } from 'react';
import type { ModelSourceKind } from '../config/model-ref';
import {
  DECODE_LOOPS,
  FIRST_TOKEN_ARGMAXES,
  TOKEN_READBACKS,
  SYNC_MODES,
  type DecodeLoop,
  type FirstTokenArgmax,
  type TokenReadback,
  type RuntimeOptions,
  type SweepOrder,
  type SyncMode,
} from '../config/sweep-config';
import { RuntimeOptionsFields } from './RuntimeOptionsFields';
import { formatBytes } from '../format-bytes';
import type { QuantizationOption } from './quantization-options';
import type { PresetId } from '../model/config';
import type { GraphForm, QkvProjection } from '../model/graph-form';
import type { AccuracyLevel } from '../model/accuracy-level';
import { QUANTIZATION_LEVELS, QUANTIZATIONS, type Quantization } from '../model/quantization';

/** What the form holds while the user edits it; parsed into a SweepConfig on Run. */
export interface SweepDraft {
  readonly modelKind: ModelSourceKind;
  readonly modelPreset: PresetId;
  readonly hubId: string;
  readonly hubRevision: string;
  readonly hubUrl: string;
  readonly quantizations: readonly Quantization[];
  readonly lengthsText: string;
  readonly warmupRuns: number;
  readonly repetitions: number;
  readonly syncModes: readonly SyncMode[];
  readonly order: SweepOrder;
  readonly decode: boolean;
  readonly decodeTokens: number;
  /** How decode steps follow each other: see SweepConfig.decodeLoop. */
  readonly decodeLoop: DecodeLoop;
  /** Where the first token is picked: see SweepConfig.firstTokenArgmax. */
  readonly firstTokenArgmax: FirstTokenArgmax;
  /** When a barrier trial asks for the first token: see SweepConfig.tokenReadback. */
  readonly tokenReadback: TokenReadback;
  /** The LM head for the last position only (built-in graphs are built so, downloaded ones rewritten). */
  readonly lastPositionLogits: boolean;
  readonly useCustomPrompt: boolean;
  readonly customPrompt: string;
  /** Context depths in tokens ("0, 1024"): each prompt length is measured on top of that much KV cache. */
  readonly depthsText: string;
  /** Check each variant against onnxruntime's wasm (CPU) backend before its trials. */
  readonly cpuMatch: boolean;
  readonly runtime: RuntimeOptions;
  /** How the built-in builder writes the graph (hub and folder models run the graph their file holds). */
  readonly graph: GraphForm;
  /** The fused graph's q/k/v projections the built-in builder writes (float and int8 levels). */
  readonly qkv: QkvProjection;
  /** MatMulNBits' accuracy_level the built-in builder writes (4-bit levels only). */
  readonly accuracyLevel: AccuracyLevel;
  /** Graph capture (built-in fused models): see SweepConfig.graphCapture. */
  readonly graphCapture: boolean;
  /** Profile each variant's kernels first: see SweepConfig.kernelProfile (never with graph capture). */
  readonly kernelProfile: boolean;
}

interface SweepFormProps {
  readonly draft: SweepDraft;
  readonly options: readonly QuantizationOption[];
  readonly running: boolean;
  readonly canRun: boolean;
  readonly problem: string | undefined;
  readonly onChange: (draft: SweepDraft) => void;
  readonly onRun: () => void;
  readonly onCancel: () => void;
  /** The model picker, rendered first in the form. */
  readonly modelPicker: ReactNode;
  /** What the run will cost, shown just above the Run button. */
  readonly runCost?: ReactNode;
}

const SYNC_MODE_LABELS: Readonly<Record<SyncMode, string>> = {
  barrier: 'barrier: the clock stops once onSubmittedWorkDone and the token are both back (honest TTFT)',
  readback: 'readback only: await the logits copy, no barrier',
  none: 'none: stop the clock when session.run returns (under-reports; for comparison)',
};

function toggle(list: readonly Quantization[], item: Quantization, on: boolean): Quantization[] {
  const kept = list.filter((existing) => existing !== item);
  // Keep the canonical order so series and CSV rows come out the same way every time.
  return on ? QUANTIZATIONS.filter((q) => q === item || kept.includes(q)) : kept;
}

function wholeNumber(text: string, fallback: number): number {
  const value = Number.parseInt(text, 10);
  return Number.isFinite(value) ? value : fallback;
}

export function SweepForm(props: SweepFormProps) {
  const { draft, options, running, onChange } = props;
  return (
    <section className="panel" aria-label="Benchmark settings">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (props.canRun) props.onRun();
        }}
      >
        <div className="form-grid">
          {props.modelPicker}

          <fieldset disabled={running}>
            <legend>Quantization levels</legend>
            {options.length === 0 && <div className="hint">Pick a model to see its variants.</div>}
            {options.map((option) => (
              <label
                key={option.quantization}
                title={option.disabledReason ?? QUANTIZATION_LEVELS[option.quantization].description}
              >
                <input
                  type="checkbox"
                  name="quantization"
                  value={option.quantization}
                  checked={draft.quantizations.includes(option.quantization)}
                  disabled={option.disabledReason !== undefined}
                  onChange={(event) =>
                    onChange({
                      ...draft,
                      quantizations: toggle(draft.quantizations, option.quantization, event.target.checked),
                    })
                  }
                />{' '}
                {option.quantization}{' '}
                <span className="hint" data-testid={`variant-size-${option.quantization}`}>
                  ({option.bytesExact ? '' : '≈ '}
                  {formatBytes(option.bytes)}
                  {option.bytesExact ? ' download' : ''})
                </span>
                {option.disabledReason !== undefined && (
                  <div className="hint" data-testid={`disabled-reason-${option.quantization}`}>
                    {option.disabledReason}
                  </div>
                )}
              </label>
            ))}
          </fieldset>

          <div>
            <label>
              Prompt lengths (tokens)
              <br />
              <input
                type="text"
                className="lengths-input"
                value={draft.lengthsText}
                disabled={running || draft.useCustomPrompt}
                onChange={(event) => onChange({ ...draft, lengthsText: event.target.value })}
                data-testid="lengths"
              />
            </label>
            <label>
              Context depths (tokens already in the KV cache; 0 = fresh prompt)
              <br />
              <input
                type="text"
                value={draft.depthsText}
                disabled={running || draft.useCustomPrompt}
                onChange={(event) => onChange({ ...draft, depthsText: event.target.value })}
                data-testid="depths"
              />
            </label>
            <label>
              Warm-up runs per length{' '}
              <input
                type="number"
                min={0}
                max={20}
                value={draft.warmupRuns}
                disabled={running}
                onChange={(event) =>
                  onChange({ ...draft, warmupRuns: wholeNumber(event.target.value, draft.warmupRuns) })
                }
                data-testid="warmups"
              />
            </label>
            <label>
              Timed repetitions{' '}
              <input
                type="number"
                min={1}
                max={1000}
                value={draft.repetitions}
                disabled={running}
                onChange={(event) =>
                  onChange({ ...draft, repetitions: wholeNumber(event.target.value, draft.repetitions) })
                }
                data-testid="reps"
              />
            </label>
          </div>
        </div>

        <label>
          Order{' '}
          <select
            value={draft.order}
            disabled={running}
            onChange={(event) => onChange({ ...draft, order: event.target.value as SweepOrder })}
            data-testid="order"
          >
            <option value="interleaved">interleaved: all levels loaded, round-robin per repetition</option>
            <option value="sequential">sequential: one level at a time (less GPU memory)</option>
          </select>
        </label>

        <fieldset disabled={running}>
          <legend>GPU synchronization (timed runs)</legend>
          {SYNC_MODES.map((mode) => (
            <label key={mode}>
              <input
                type="checkbox"
                name="sync-mode"
                value={mode}
                checked={draft.syncModes.includes(mode)}
                onChange={(event) =>
                  onChange({
                    ...draft,
                    syncModes: SYNC_MODES.filter((m) =>
                      m === mode ? event.target.checked : draft.syncModes.includes(m),
                    ),
                  })
                }
              />{' '}
              {SYNC_MODE_LABELS[mode]}
            </label>
          ))}
        </fieldset>

        <label>
          <input
            type="checkbox"
            checked={draft.lastPositionLogits}
            disabled={running}
            onChange={(event) => onChange({ ...draft, lastPositionLogits: event.target.checked })}
            data-testid="last-position-logits"
          />{' '}
          LM head for the last position only (what generation needs; unchecked computes logits for every
          position, as most exported models do; a downloaded graph is rewritten when it is loaded)
        </label>

        <label>
          <input
            type="checkbox"
            checked={draft.decode}
            disabled={running}
            onChange={(event) => onChange({ ...draft, decode: event.target.checked })}
            data-testid="decode"
          />{' '}
          Then decode{' '}
          <input
            type="number"
            min={1}
            max={1024}
            value={draft.decodeTokens}
            disabled={running || !draft.decode}
            aria-label="Tokens to decode"
            onChange={(event) =>
              onChange({ ...draft, decodeTokens: wholeNumber(event.target.value, draft.decodeTokens) })
            }
            data-testid="decode-tokens"
          />{' '}
          more tokens (KV cache on the GPU, EOS ignored; after the TTFT clock stops),{' '}
          <select
            value={draft.decodeLoop}
            disabled={running || !draft.decode}
            aria-label="Decode loop"
            onChange={(event) => {
              const loop = DECODE_LOOPS.find((value) => value === event.target.value);
              if (loop !== undefined) onChange({ ...draft, decodeLoop: loop });
            }}
            data-testid="decode-loop"
          >
            <option value="synced">each token read back (latency)</option>
            <option value="pipelined">argmax on the GPU, pipelined (throughput)</option>
          </select>
        </label>

        <label>
          First token picked{' '}
          <select
            value={draft.firstTokenArgmax}
            disabled={running}
            onChange={(event) => {
              const where = FIRST_TOKEN_ARGMAXES.find((value) => value === event.target.value);
              if (where !== undefined) onChange({ ...draft, firstTokenArgmax: where });
            }}
            data-testid="first-token-argmax"
          >
            <option value="cpu">on the CPU (the logits row read back)</option>
            <option value="gpu">on the GPU (an argmax there, only the token id read back)</option>
          </select>
        </label>

        <label>
          First token read back{' '}
          <select
            value={draft.tokenReadback}
            disabled={running}
            onChange={(event) => {
              const when = TOKEN_READBACKS.find((value) => value === event.target.value);
              if (when !== undefined) onChange({ ...draft, tokenReadback: when });
            }}
            data-testid="token-readback"
          >
            <option value="with-barrier">beside the barrier (one round trip)</option>
            <option value="after-barrier">after the barrier (two round trips)</option>
          </select>
        </label>

        <label>
          <input
            type="checkbox"
            checked={draft.cpuMatch}
            disabled={running}
            onChange={(event) => onChange({ ...draft, cpuMatch: event.target.checked })}
            data-testid="cpu-match"
          />{' '}
          Check each variant against the CPU first (onnxruntime-web&apos;s wasm backend on the same files: one
          prompt, 8 greedy tokens; untimed, but costs a CPU run and a second session per variant)
        </label>

        <label>
          <input
            type="checkbox"
            checked={draft.kernelProfile && !draft.graphCapture}
            disabled={running || draft.graphCapture}
            onChange={(event) => onChange({ ...draft, kernelProfile: event.target.checked })}
            data-testid="kernel-profile"
          />{' '}
          Profile each variant&apos;s GPU kernels first (onnxruntime&apos;s own timestamps around every
          dispatch, at each prompt length: a prefill and a decode step; untimed, on a second device; not with
          graph capture)
        </label>

        <label>
          <input
            type="checkbox"
            checked={draft.useCustomPrompt}
            disabled={running}
            onChange={(event) => onChange({ ...draft, useCustomPrompt: event.target.checked })}
            data-testid="use-custom-prompt"
          />{' '}
          Benchmark my own prompt instead (its token count becomes the length)
        </label>
        {draft.useCustomPrompt && (
          <textarea
            value={draft.customPrompt}
            disabled={running}
            aria-label="Custom prompt"
            placeholder="Paste the prompt you care about"
            onChange={(event) => onChange({ ...draft, customPrompt: event.target.value })}
            data-testid="custom-prompt"
          />
        )}

        <RuntimeOptionsFields
          runtime={draft.runtime}
          disabled={running}
          onChange={(runtime) => onChange({ ...draft, runtime })}
        />

        {props.problem !== undefined && (
          <div className="error panel" role="alert" data-testid="form-problem">
            {props.problem}
          </div>
        )}

        {props.runCost}

        <div className="actions">
          <button type="submit" className="primary" disabled={!props.canRun || running} data-testid="run">
            Run
          </button>
          <button type="button" disabled={!running} onClick={props.onCancel} data-testid="cancel">
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
