import { useState } from 'react';
import type { ModelSourceKind } from '../config/model-ref';
import { entriesFromDroppedDirectory, entriesFromFileList, type LocalFileEntry } from '../hub/local-folder';
import { PRESET_IDS, PRESETS, type PresetId } from '../model/config';
import { GRAPH_FORMS, QKV_PROJECTIONS, type GraphForm, type QkvProjection } from '../model/graph-form';
import { ACCURACY_LEVELS, type AccuracyLevel } from '../model/accuracy-level';
import type { CacheUsage } from '../hub/file-cache';
import { formatBytes } from '../format-bytes';
import type { SweepDraft } from './SweepForm';
import type { RepositoryState } from './useModelRepository';
import { errorMessage } from '../error-message';
import { hubOriginOf } from '../hub/token-storage';

interface ModelPickerProps {
  readonly draft: SweepDraft;
  readonly running: boolean;
  readonly repository: RepositoryState;
  readonly token: string;
  readonly cache: CacheUsage | undefined;
  readonly onChange: (draft: SweepDraft) => void;
  readonly onTokenChange: (token: string) => void;
  readonly rememberToken: boolean;
  readonly onRememberTokenChange: (remember: boolean) => void;
  readonly onLookUp: () => void;
  /** Stops a look-up in progress. */
  readonly onCancelLookUp?: () => void;
  readonly onFolder: (folderName: string, entries: readonly LocalFileEntry[]) => void;
  readonly onClearCache: () => void;
}

const GRAPH_FORM_LABELS: Readonly<Record<GraphForm, string>> = {
  fused: 'fused: GroupQueryAttention and fused norms, as WebGPU exports are',
  plain: 'plain: standard ONNX ops (attention as MatMul, Softmax, MatMul)',
};

const QKV_PROJECTION_LABELS: Readonly<Record<QkvProjection, string>> = {
  packed: 'packed: one projection, split inside GroupQueryAttention (as onnxruntime-genai writes them)',
  separate: 'separate: three projections',
};

const ACCURACY_LEVEL_LABELS: Readonly<Record<AccuracyLevel, string>> = {
  0: "0: onnxruntime's default (float activations)",
  4: '4: int8 activations (DP4A)',
};

const SOURCE_LABELS: Readonly<Record<ModelSourceKind, string>> = {
  builtin: 'Built-in',
  hub: 'Hugging Face model id',
  local: 'Local folder',
};

function RepositoryStatus({
  repository,
  onCancel,
}: {
  readonly repository: RepositoryState;
  readonly onCancel: (() => void) | undefined;
}) {
  switch (repository.kind) {
    case 'none':
      return null;
    case 'inspecting':
      return (
        <div className="hint" data-testid="repository-inspecting">
          Reading {repository.what}…{' '}
          {onCancel !== undefined && (
            <button type="button" onClick={onCancel} data-testid="repository-cancel">
              Cancel
            </button>
          )}
        </div>
      );
    case 'failed':
      return (
        <div className="error panel" role="alert" data-testid="repository-error">
          {repository.message}
        </div>
      );
    case 'ready': {
      const { inspected } = repository;
      const { ref, commit } = inspected.repository;
      const { decoder } = inspected;
      return (
        <div className="hint" data-testid="repository-ready" data-commit={commit}>
          {ref.kind === 'hub' ? ref.id : ref.folderName}
          {commit === '' ? '' : ` @ ${commit.slice(0, 10)}`}: {decoder.modelType}, {decoder.numLayers} layers,{' '}
          {decoder.numKeyValueHeads} KV heads × {decoder.headDim}, vocabulary {decoder.vocabSize};{' '}
          {inspected.variants.length} variant{inspected.variants.length === 1 ? '' : 's'}.
        </div>
      );
    }
  }
}

export function ModelPicker(props: ModelPickerProps) {
  const { draft, running, onChange } = props;
  const [dropProblem, setDropProblem] = useState<string | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  const preset = PRESETS[draft.modelPreset];

  const onDrop = async (event: React.DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const entry = event.dataTransfer.items[0]?.webkitGetAsEntry();
    if (entry === null || entry === undefined || !entry.isDirectory) {
      setDropProblem('Drop a folder (with config.json, tokenizer.json and onnx/ inside), not a file.');
      return;
    }
    setDropProblem(undefined);
    try {
      props.onFolder(entry.name, await entriesFromDroppedDirectory(entry as FileSystemDirectoryEntry));
    } catch (error) {
      setDropProblem(`The folder could not be read: ${errorMessage(error)}`);
    }
  };

  return (
    <fieldset disabled={running} className="model-picker" data-testid="model-picker">
      <legend>Model</legend>
      <div role="radiogroup" aria-label="Model source">
        {(Object.keys(SOURCE_LABELS) as ModelSourceKind[]).map((kind) => (
          <label key={kind}>
            <input
              type="radio"
              name="model-source"
              value={kind}
              checked={draft.modelKind === kind}
              onChange={() => onChange({ ...draft, modelKind: kind })}
              data-testid={`model-source-${kind}`}
            />{' '}
            {SOURCE_LABELS[kind]}{' '}
          </label>
        ))}
      </div>

      {draft.modelKind === 'builtin' && (
        <label>
          <select
            value={draft.modelPreset}
            onChange={(event) => onChange({ ...draft, modelPreset: event.target.value as PresetId })}
            data-testid="preset"
            aria-label="Built-in model"
          >
            {PRESET_IDS.map((id) => (
              <option key={id} value={id}>
                {PRESETS[id].label}
              </option>
            ))}
          </select>
          <div className="hint">{preset.description}</div>
        </label>
      )}
      {draft.modelKind === 'builtin' && (
        <label>
          Graph{' '}
          <select
            value={draft.graph}
            onChange={(event) => {
              const graph = GRAPH_FORMS.find((form) => form === event.target.value);
              if (graph !== undefined) onChange({ ...draft, graph });
            }}
            data-testid="graph-form"
          >
            {GRAPH_FORMS.map((form) => (
              <option key={form} value={form}>
                {GRAPH_FORM_LABELS[form]}
              </option>
            ))}
          </select>
        </label>
      )}
      {draft.modelKind === 'builtin' && (
        <label>
          Q/K/V projections{' '}
          <select
            value={draft.qkv}
            disabled={draft.graph !== 'fused'}
            onChange={(event) => {
              const qkv = QKV_PROJECTIONS.find((layout) => layout === event.target.value);
              if (qkv !== undefined) onChange({ ...draft, qkv });
            }}
            data-testid="qkv-projection"
          >
            {QKV_PROJECTIONS.map((layout) => (
              <option key={layout} value={layout}>
                {QKV_PROJECTION_LABELS[layout]}
              </option>
            ))}
          </select>
          <div className="hint">
            {draft.graph === 'fused'
              ? 'Float and int8 levels; 4-bit ones stay three, which onnxruntime fuses with their norm itself'
              : 'Needs the fused graph form.'}
          </div>
        </label>
      )}
      {draft.modelKind === 'builtin' && (
        <label>
          4-bit accuracy level{' '}
          <select
            value={draft.accuracyLevel}
            onChange={(event) => {
              const accuracyLevel = ACCURACY_LEVELS.find((level) => String(level) === event.target.value);
              if (accuracyLevel !== undefined) onChange({ ...draft, accuracyLevel });
            }}
            data-testid="accuracy-level"
          >
            {ACCURACY_LEVELS.map((level) => (
              <option key={level} value={level}>
                {ACCURACY_LEVEL_LABELS[level]}
              </option>
            ))}
          </select>
          <div className="hint">
            4: activations quantized to int8 per block; onnxruntime takes its DP4A kernels where the GPU has
            subgroups
          </div>
        </label>
      )}
      {draft.modelKind === 'builtin' && (
        <label>
          <input
            type="checkbox"
            checked={draft.graphCapture && draft.graph === 'fused'}
            disabled={draft.graph !== 'fused'}
            onChange={(event) => onChange({ ...draft, graphCapture: event.target.checked })}
            data-testid="graph-capture"
          />{' '}
          Graph capture
          <div className="hint">
            {draft.graph === 'fused'
              ? 'Replays recorded GPU commands: one captured session per prompt length and one for decode, on a fixed-size KV cache (fresh prompts only: depth 0). Holds three copies of the weights while a length is measured.'
              : 'Needs the fused graph form.'}
          </div>
        </label>
      )}

      {draft.modelKind === 'hub' && (
        <div className="hub-fields">
          <label>
            Model id
            <input
              type="text"
              value={draft.hubId}
              placeholder="onnx-community/Llama-3.2-1B-Instruct-ONNX"
              spellCheck={false}
              onChange={(event) => onChange({ ...draft, hubId: event.target.value.trim() })}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  props.onLookUp();
                }
              }}
              data-testid="hub-id"
            />
          </label>
          <label>
            Revision
            <input
              type="text"
              value={draft.hubRevision}
              spellCheck={false}
              onChange={(event) => onChange({ ...draft, hubRevision: event.target.value.trim() })}
              data-testid="hub-revision"
            />
          </label>
          <label>
            Hub URL
            <input
              type="url"
              value={draft.hubUrl}
              spellCheck={false}
              onChange={(event) => onChange({ ...draft, hubUrl: event.target.value })}
              data-testid="hub-url"
            />
          </label>
          <label>
            Access token (gated models; kept in memory, never in results, files or links; sent only to{' '}
            {hubOriginOf(draft.hubUrl) ?? 'the hub above'})
            <input
              type="password"
              value={props.token}
              autoComplete="off"
              onChange={(event) => props.onTokenChange(event.target.value.trim())}
              data-testid="hub-token"
            />
          </label>
          <label>
            <input
              type="checkbox"
              checked={props.rememberToken}
              onChange={(event) => props.onRememberTokenChange(event.target.checked)}
              data-testid="hub-token-remember"
            />
            Remember the token in this browser (local storage, readable by anyone using this browser profile)
          </label>
          <button type="button" onClick={props.onLookUp} data-testid="hub-look-up">
            Look up variants
          </button>
          <div className="hint" data-testid="cache-usage">
            Downloaded files are kept in this browser&apos;s Cache Storage:{' '}
            {props.cache === undefined
              ? '…'
              : `${props.cache.files} file${props.cache.files === 1 ? '' : 's'}, ${formatBytes(props.cache.bytes)}`}
            .{' '}
            <button type="button" onClick={props.onClearCache} data-testid="clear-cache">
              Clear cache
            </button>
          </div>
        </div>
      )}

      {draft.modelKind === 'local' && (
        <div
          className={dragging ? 'drop-zone dragging' : 'drop-zone'}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => void onDrop(event)}
          data-testid="drop-zone"
        >
          <label>
            Pick a folder laid out like a hub repository (config.json, tokenizer.json, onnx/model*.onnx), or
            drop it here. Files are read in this browser; nothing is uploaded.
            <input
              type="file"
              // React does not know webkitdirectory; it is in every browser that has WebGPU.
              {...{ webkitdirectory: '', directory: '' }}
              multiple
              onChange={(event) => {
                const files = [...(event.target.files ?? [])];
                if (files.length === 0) return;
                setDropProblem(undefined);
                const { folderName, entries } = entriesFromFileList(files);
                props.onFolder(folderName, entries);
              }}
              data-testid="folder-input"
            />
          </label>
          {dropProblem !== undefined && (
            <div className="error" role="alert">
              {dropProblem}
            </div>
          )}
        </div>
      )}

      {draft.modelKind !== 'builtin' && (
        <RepositoryStatus repository={props.repository} onCancel={props.onCancelLookUp} />
      )}
    </fieldset>
  );
}
