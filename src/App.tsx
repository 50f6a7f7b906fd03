import { forgetToken, pageLocalStorage, readSavedToken, saveToken } from './hub/token-storage';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { coldTtftMs, summarizeCells } from './bench/summary';
import type { SweepConfig } from './config/sweep-config';
import type { ModelSource } from './source/model-source';
import { cacheUsage, clearFileCache, type CacheUsage } from './hub/file-cache';
import { repositorySource } from './hub/repository-source';
import { variantDisabledReason } from './hub/variant-limits';
import { BUILT_IN_QUANTIZATIONS, needsShaderF16, PRESETS } from './model/config';
import { estimateVariantBytes, largestWeightBytes } from './model/size';
import {
  comparedRunFromShared,
  importRunFile,
  seriesFromCells,
  type ComparedRun,
} from './report/compared-run';
import { decodeShareFragment, toSharedCell } from './report/share-link';
import { formatSummaryTable } from './report/summary-table';
import { AdapterPanel } from './ui/AdapterPanel';
import { BreakdownChart } from './ui/BreakdownChart';
import { publishAutomationState, readAutorun } from './ui/automation';
import { configToDraft, draftToConfig, INITIAL_DRAFT, type ModelChoice } from './ui/draft';
import { ComparePanel } from './ui/ComparePanel';
import { ExportControls } from './ui/ExportControls';
import { LoadChart } from './ui/LoadChart';
import { LoadTable } from './ui/LoadTable';
import { hubRefOf, modelChoiceOf, sameHubModel, type HubModelCheck } from './ui/model-choice';
import { ModelPicker } from './ui/ModelPicker';
import { ProgressPanel } from './ui/ProgressPanel';
import { ResultsTable } from './ui/ResultsTable';
import { SharedRunPanel } from './ui/SharedRunPanel';
import { formatBytes, SweepForm, type QuantizationOption, type SweepDraft } from './ui/SweepForm';
import { TtftChart, type ChartRun } from './ui/TtftChart';
import { useEngine } from './ui/useEngine';
import { useModelRepository } from './ui/useModelRepository';
import { useRunHistory } from './ui/useRunHistory';
import { useSweep, type ResumeFrom } from './ui/useSweep';
import { HistoryPanel } from './ui/HistoryPanel';
import { modelLabel } from './config/model-ref';
import { RooflinePanel } from './ui/RooflinePanel';
import { useRoofline } from './ui/useRoofline';
import { builtInSource } from './worker/builtin-source';

/** A run waiting for its model to be ready (autorun, "Run this on my GPU", Resume). */
interface PendingRun {
  readonly config: SweepConfig;
  readonly resume?: ResumeFrom;
}

/** Imports are read whole into memory; a run of thousands of trials is a few MiB. */
const MAX_IMPORT_BYTES = 64 << 20;

export function App() {
  const { engine, engineRef } = useEngine();
  const { gpu, deviceLoss } = engine;
  const roofline = useRoofline(engineRef);
  // Headless runs (npm run bench) pass their configuration in the fragment and read state from window.
  const autorun = useMemo(() => readAutorun(window.location.hash), []);
  // A shared link (#share=…) shows someone's run read-only and fills the form with its configuration.
  const shared = useMemo(() => decodeShareFragment(window.location.hash), []);
  const [draft, setDraft] = useState<SweepDraft>(() => {
    if (autorun.kind === 'run') return configToDraft(autorun.config);
    if (shared.kind === 'shared') return configToDraft(shared.run.config);
    return INITIAL_DRAFT;
  });
  // The token lives in this component's memory (and in local storage only if the user asks): never in the
  // draft, config, CSV, JSON or links.
  const [rememberToken, setRememberToken] = useState(() => readSavedToken(pageLocalStorage()) !== undefined);
  const [token, setToken] = useState(
    () => window.ttftBenchHubToken ?? readSavedToken(pageLocalStorage()) ?? '',
  );
  useEffect(() => {
    if (rememberToken) saveToken(pageLocalStorage(), token);
    else forgetToken(pageLocalStorage());
  }, [rememberToken, token]);
  const { repository, lookUpHub, openFolder, cancelLookUp } = useModelRepository();
  const history = useRunHistory();
  const { status, results, latestRunId, start, cancel, show } = useSweep(history.store, history.refresh);
  const running = status.kind === 'running';
  const [cache, setCache] = useState<CacheUsage | undefined>(undefined);
  const refreshCache = useCallback(() => {
    void cacheUsage().then(setCache, () => setCache({ files: 0, bytes: 0 }));
  }, []);
  useEffect(refreshCache, [refreshCache, status.kind]);

  const hubRef = useMemo((): HubModelCheck => hubRefOf(draft), [draft]);
  const choice = useMemo(
    (): ModelChoice => modelChoiceOf(draft, hubRef, repository),
    [draft, hubRef, repository],
  );
  const inspected =
    draft.modelKind !== 'builtin' && repository.kind === 'ready' ? repository.inspected : undefined;

  const options = useMemo<QuantizationOption[]>(() => {
    const limits = gpu.kind === 'ready' ? gpu.adapter : undefined;
    if (draft.modelKind !== 'builtin') {
      if (inspected === undefined) return [];
      return inspected.variants.map((variant) => ({
        quantization: variant.quantization,
        bytes: variant.totalBytes,
        bytesExact: true,
        disabledReason:
          limits === undefined ? undefined : variantDisabledReason(variant, inspected.decoder, limits),
      }));
    }
    const config = PRESETS[draft.modelPreset].config;
    return BUILT_IN_QUANTIZATIONS.map((quantization) => {
      const largest = largestWeightBytes(config, quantization);
      let disabledReason: string | undefined;
      if (needsShaderF16(quantization) && limits !== undefined && !limits.hasShaderF16) {
        disabledReason = 'Needs the WebGPU feature shader-f16, which this adapter does not have.';
      } else if (limits !== undefined && largest > limits.maxBufferSizeBytes) {
        disabledReason = `Its largest weight (${formatBytes(largest)}) exceeds this adapter's maxBufferSize (${formatBytes(limits.maxBufferSizeBytes)}).`;
      }
      return {
        quantization,
        bytes: estimateVariantBytes(config, quantization),
        bytesExact: false,
        disabledReason,
      };
    });
  }, [draft.modelKind, draft.modelPreset, inspected, gpu]);

  // Never keep a quantization selected that this model lacks or this adapter cannot run.
  const runnableDraft = useMemo(
    () => ({
      ...draft,
      quantizations: draft.quantizations.filter((q) =>
        options.some((option) => option.quantization === q && option.disabledReason === undefined),
      ),
    }),
    [draft, options],
  );
  const check = draftToConfig(runnableDraft, choice);

  const makeSource = useCallback(
    (config: SweepConfig) => async (): Promise<ModelSource> => {
      if (config.model.kind === 'builtin')
        return builtInSource(config.model.preset, config.weightSeed, config.lmHead);
      if (inspected === undefined) throw new Error('The model repository is not loaded; look it up again.');
      return repositorySource(inspected, config.lmHead);
    },
    [inspected],
  );

  const startSweep = useCallback(
    (config: SweepConfig, resume?: ResumeFrom) => {
      const client = engineRef.current;
      if (client === null || gpu.kind !== 'ready') return;
      void start({ config, engine: client, adapter: gpu.adapter, makeSource: makeSource(config), resume });
    },
    [engineRef, gpu, start, makeSource],
  );

  const onRun = useCallback(() => {
    if (check.ok) startSweep(check.config);
  }, [check, startSweep]);

  const hubAccess = useMemo(
    () => ({
      ...(token === '' ? {} : { token }),
      ...(window.ttftBenchStallTimeoutMs === undefined
        ? {}
        : { stallTimeoutMs: window.ttftBenchStallTimeoutMs }),
    }),
    [token],
  );
  const onLookUp = useCallback(() => {
    if (!hubRef.ok) return;
    void lookUpHub(hubRef.ref, hubAccess);
  }, [hubRef, lookUpHub, hubAccess]);

  // A configuration waiting for its model (autorun, "Run this on my GPU"): started once the model is ready.
  const [pending, setPending] = useState<PendingRun | undefined>(() =>
    autorun.kind === 'run' ? { config: autorun.config } : undefined,
  );
  const lookedUpFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (pending === undefined || gpu.kind !== 'ready' || running) return;
    const { model } = pending.config;
    if (model.kind === 'hub') {
      const key = JSON.stringify(model);
      if (lookedUpFor.current !== key) {
        lookedUpFor.current = key;
        void lookUpHub(model, hubAccess);
        return;
      }
      if (repository.kind === 'failed') {
        setPending(undefined);
        return;
      }
      if (repository.kind !== 'ready' || !sameHubModel(repository.inspected, model)) return;
    }
    if (model.kind === 'local') {
      if (repository.kind !== 'ready' || repository.inspected.repository.ref.kind !== 'local') return;
    }
    setPending(undefined);
    startSweep(pending.config, pending.resume);
  }, [pending, gpu.kind, running, repository, lookUpHub, hubAccess, startSweep]);

  useEffect(() => {
    publishAutomationState({
      status:
        autorun.kind === 'invalid'
          ? { kind: 'failed', message: autorun.message }
          : repository.kind === 'failed' && status.kind === 'idle'
            ? { kind: 'failed', message: repository.message }
            : status,
      trials: results.trials,
      loads: results.loads,
      gpu: gpu.kind,
    });
  }, [autorun, status, results, gpu.kind, repository]);

  const cells = useMemo(() => summarizeCells(results.trials), [results.trials]);
  const ownCells = useMemo(() => cells.map(toSharedCell), [cells]);

  // Other runs overlaid on this one: the shared run once it is re-run here, and imported files.
  const [comparisons, setComparisons] = useState<readonly ComparedRun[]>([]);
  const [importError, setImportError] = useState<string | undefined>(undefined);
  const nextComparisonId = useRef(0);
  const onImport = useCallback((files: readonly File[]) => {
    void Promise.all(
      files.map(async (file) => {
        const id = `file-${nextComparisonId.current++}`;
        if (file.size > MAX_IMPORT_BYTES) {
          return { ok: false as const, message: `${file.name}: larger than ${MAX_IMPORT_BYTES >> 20} MiB.` };
        }
        return importRunFile(file.name, await file.text(), id);
      }),
    ).then((imported) => {
      const runs = imported.flatMap((result) => (result.ok ? [result.run] : []));
      const problems = imported.flatMap((result) => (result.ok ? [] : [result.message]));
      setComparisons((current) => [...current, ...runs]);
      setImportError(problems.length === 0 ? undefined : problems.join(' '));
    });
  }, []);
  const chartRuns = useMemo((): ChartRun[] => {
    const own = ownCells.length === 0 ? [] : [{ label: 'this run', series: seriesFromCells(ownCells) }];
    return [...own, ...comparisons.map((run) => ({ label: run.label, series: seriesFromCells(run.cells) }))];
  }, [ownCells, comparisons]);
  const cold = useMemo(() => coldTtftMs(results.trials), [results.trials]);

  const [historyNote, setHistoryNote] = useState<string | undefined>(undefined);
  const loadStored = useCallback(
    async (runId: string) => {
      const loaded = await history.store?.load(runId);
      if (loaded === undefined) {
        setHistoryNote("That run could not be read from this browser's storage.");
        return undefined;
      }
      setHistoryNote(
        loaded.skipped > 0 ? `${loaded.skipped} damaged records of that run were skipped.` : undefined,
      );
      return loaded;
    },
    [history.store],
  );
  const resume = useCallback((runId: string, config: SweepConfig, done: Omit<ResumeFrom, 'runId'>) => {
    setDraft(configToDraft(config));
    setPending({ config, resume: { runId, trials: done.trials, loads: done.loads } });
  }, []);
  const historyPanel = (
    <HistoryPanel
      runs={history.runs}
      problem={history.problem ?? historyNote}
      shownRunId={results.runId}
      busy={running}
      onOpen={(runId) =>
        void loadStored(runId).then((loaded) => {
          if (loaded === undefined) return;
          show({ runId, config: loaded.run.config, trials: loaded.trials, loads: loaded.loads });
          setDraft(configToDraft(loaded.run.config));
        })
      }
      onResume={(runId) =>
        void loadStored(runId).then((loaded) => {
          if (loaded !== undefined) resume(runId, loaded.run.config, loaded);
        })
      }
      onRename={(runId, name) => void history.store?.rename(runId, name).then(history.refresh)}
      onDelete={(runId) => void history.store?.delete(runId).then(history.refresh)}
    />
  );
  // After a cancel, failure or lost device: continue this run, measuring only what it is missing.
  const { runId: currentRunId, config: currentConfig } = results;
  const resumeCurrent =
    (status.kind === 'failed' || status.kind === 'cancelled') &&
    currentRunId !== undefined &&
    currentRunId === latestRunId &&
    currentConfig !== undefined &&
    gpu.kind === 'ready'
      ? () => resume(currentRunId, currentConfig, results)
      : undefined;

  return (
    <main>
      <h1>ttft-bench</h1>
      <p className="hint">
        Time to first token of a Llama model in this browser, on this GPU, through onnxruntime-web&apos;s
        WebGPU backend. Each trial runs tokenize → prefill → GPU barrier → logits readback → greedy token.
      </p>
      <AdapterPanel
        gpu={gpu}
        restarting={engine.devicesAcquired > 0}
        deviceLoss={deviceLoss}
        buffers={engine.buffers}
      />
      <SharedRunPanel
        request={shared}
        canRun={gpu.kind === 'ready' && !running}
        onRunHere={() => {
          if (shared.kind !== 'shared') return;
          setDraft(configToDraft(shared.run.config));
          setPending({ config: shared.run.config });
          const sharedRun = comparedRunFromShared(shared.run, 'shared');
          if (sharedRun !== undefined) {
            setComparisons((current) => [sharedRun, ...current.filter((run) => run.id !== 'shared')]);
          }
        }}
      />
      <SweepForm
        draft={runnableDraft}
        options={options}
        running={running}
        canRun={check.ok && gpu.kind === 'ready'}
        problem={check.ok ? undefined : check.message}
        onChange={setDraft}
        onRun={onRun}
        onCancel={cancel}
        modelPicker={
          <ModelPicker
            draft={draft}
            running={running}
            repository={repository}
            token={token}
            cache={cache}
            onChange={setDraft}
            onTokenChange={setToken}
            rememberToken={rememberToken}
            onRememberTokenChange={setRememberToken}
            onLookUp={onLookUp}
            onCancelLookUp={cancelLookUp}
            onFolder={(folderName, entries) => void openFolder(folderName, entries)}
            onClearCache={() => void clearFileCache().then(refreshCache)}
          />
        }
      />
      <ProgressPanel status={status} onResume={resumeCurrent} />
      {chartRuns.length > 0 && (
        <>
          <h2>TTFT against prompt length</h2>
          <TtftChart runs={chartRuns} />
          <h2>Prefill tokens per second</h2>
          <TtftChart runs={chartRuns} metric="tokensPerSecond" />
        </>
      )}
      {results.trials.length > 0 && (
        <RooflinePanel
          peaks={roofline.peaks}
          onMeasure={() => void roofline.measurePeaks()}
          disabled={running || gpu.kind !== 'ready'}
          cells={cells}
          loads={results.loads}
          config={results.config}
          decoder={
            inspected !== undefined &&
            results.config !== undefined &&
            results.config.model.kind !== 'builtin' &&
            modelLabel(results.config.model) === modelLabel(inspected.repository.ref)
              ? inspected.decoder
              : undefined
          }
        />
      )}
      {results.trials.length > 0 && (
        <>
          <ExportControls results={results} cells={cells} finished={status.kind === 'done'} />
          <h2>Results (timed repetitions)</h2>
          <ResultsTable cells={cells} />
          <details>
            <summary>Summary as a markdown table (llama-bench style)</summary>
            <pre data-testid="markdown-summary">{formatSummaryTable(cells)}</pre>
          </details>
          <h2>Where the time goes</h2>
          <BreakdownChart cells={cells} />
        </>
      )}
      <ComparePanel
        runs={comparisons}
        ownCells={ownCells}
        importError={importError}
        onImport={onImport}
        onRemove={(id) => setComparisons((current) => current.filter((run) => run.id !== id))}
      />
      {results.loads.length > 0 && (
        <>
          <h2>Load, cold and warm</h2>
          <LoadChart loads={results.loads} coldTtftMs={cold} cells={cells} />
          <LoadTable loads={results.loads} coldTtftMs={cold} cells={cells} />
        </>
      )}
      {historyPanel}
    </main>
  );
}
