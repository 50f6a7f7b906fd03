import { tokenElsewhereNote } from './hub/token-storage';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { coldTtftMs, summarizeCells } from './bench/summary';
import type { SweepConfig } from './config/sweep-config';
import type { ModelSource } from './source/model-source';
import { cacheUsage, clearFileCache, type CacheUsage } from './hub/file-cache';
import { repositorySource } from './hub/repository-source';
import { repositoryFootprints } from './hub/repository-footprint';
import { builtInFootprints } from './bench/builtin-footprint';
import { variantOwnRefusals } from './bench/run-admission';
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
import { autorunOptedIn, autorunRequest, publishAutomationState } from './ui/automation';
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
import { SweepForm, type QuantizationOption, type SweepDraft } from './ui/SweepForm';
import { TtftChart, type ChartRun } from './ui/TtftChart';
import { useEngine } from './ui/useEngine';
import { useModelRepository } from './ui/useModelRepository';
import { useRunHistory } from './ui/useRunHistory';
import { useSweep, type ResumeFrom } from './ui/useSweep';
import { HistoryPanel } from './ui/HistoryPanel';
import { deleteUnlessLive } from './ui/run-deletion';
import type { DeletedRun } from './results/run-store';
import { modelLabel } from './config/model-ref';
import { RooflinePanel } from './ui/RooflinePanel';
import { useRoofline } from './ui/useRoofline';
import { builtInSource } from './worker/builtin-source';
import { DEFAULT_HUB_URL } from './config/model-ref';
import { LinkedRunPanel } from './ui/LinkedRunPanel';
import { RunGatePanel, type RunGate } from './ui/RunGatePanel';
import { useHubTokens } from './ui/useHubTokens';
import { describeRefusal, judgeRun } from './ui/run-verdict';

/**
 * A run asked for (the form, autorun, "Run this on my GPU", a linked configuration, Resume): it waits for its
 * model and the adapter, then goes through one gate (admission, then the cost) before it starts.
 */
interface PendingRun {
  readonly config: SweepConfig;
  readonly resume?: ResumeFrom;
  /** The user agreed to a long run, or a headless driver opted in to autorun. */
  readonly confirmed?: boolean;
}

/** `navigator.deviceMemory` (Chromium only; not in TypeScript's DOM types). */
function deviceMemoryGiB(): number | undefined {
  const value: unknown = (navigator as { deviceMemory?: unknown }).deviceMemory;
  return typeof value === 'number' ? value : undefined;
}

/** Imports are read whole into memory; a run of thousands of trials is a few MiB. */
const MAX_IMPORT_BYTES = 64 << 20;

export function App() {
  const { engine, engineRef } = useEngine();
  const { gpu, deviceLoss } = engine;
  const roofline = useRoofline(engineRef);
  // Headless runs (npm run bench) pass their configuration in the fragment and read state from window; a link
  // alone never starts work: without the driver's opt-in (an init script) it only shows the configuration.
  const autorun = useMemo(() => autorunRequest(window.location.hash, autorunOptedIn(window)), []);
  // A shared link (#share=…) shows someone's run read-only and fills the form with its configuration.
  const shared = useMemo(() => decodeShareFragment(window.location.hash), []);
  const [draft, setDraft] = useState<SweepDraft>(() => {
    if (autorun.kind === 'run' || autorun.kind === 'linked') return configToDraft(autorun.config);
    if (shared.kind === 'shared') return configToDraft(shared.run.config);
    return INITIAL_DRAFT;
  });
  // Tokens are kept per hub origin and sent only there; a driver's token is for the hub its autorun names.
  const hubTokens = useHubTokens(
    window.ttftBenchHubToken === undefined
      ? undefined
      : {
          token: window.ttftBenchHubToken,
          hubUrl:
            autorun.kind === 'run' && autorun.config.model.kind === 'hub'
              ? autorun.config.model.hubUrl
              : DEFAULT_HUB_URL,
        },
  );
  const { accessFor } = hubTokens;
  const { repository, lookUpHub, openFolder, cancelLookUp } = useModelRepository();
  const history = useRunHistory();
  const { status, results, latestRunId, start, cancel, show, waitingForGpu, insist } = useSweep(
    history.store,
    history.refresh,
  );
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
    // The admission check's own limits of each level (adapter, file sizes), as every way a run starts sees them.
    if (draft.modelKind !== 'builtin') {
      if (inspected === undefined) return [];
      return repositoryFootprints(inspected, limits).map((footprint) => ({
        quantization: footprint.quantization,
        bytes: footprint.weightBytes,
        bytesExact: true,
        disabledReason: variantOwnRefusals(footprint)[0],
      }));
    }
    return builtInFootprints(draft.modelPreset, limits).map((footprint) => ({
      quantization: footprint.quantization,
      bytes: footprint.weightBytes,
      bytesExact: false,
      disabledReason: variantOwnRefusals(footprint)[0],
    }));
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

  // A run asked for, waiting for its model and adapter; then judged once (admission, cost) and started,
  // refused with the reasons, or held for a yes. An opted-in autorun is the driver's own choice.
  const [pending, setPending] = useState<PendingRun | undefined>(() =>
    autorun.kind === 'run' ? { config: autorun.config, confirmed: true } : undefined,
  );
  const [gate, setGate] = useState<(RunGate & { readonly run: PendingRun }) | undefined>(undefined);
  const requestRun = useCallback((run: PendingRun) => {
    setGate(undefined);
    setPending(run);
  }, []);

  const onRun = useCallback(() => {
    if (check.ok) requestRun({ config: check.config });
  }, [check, requestRun]);

  const onLookUp = useCallback(() => {
    if (!hubRef.ok) return;
    void lookUpHub(hubRef.ref, accessFor(hubRef.ref.hubUrl));
  }, [hubRef, lookUpHub, accessFor]);

  const lookedUpFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (pending === undefined || running) return;
    const { model } = pending.config;
    const modelReady =
      model.kind === 'builtin' ||
      (repository.kind === 'ready' &&
        (model.kind === 'hub'
          ? sameHubModel(repository.inspected, model)
          : repository.inspected.repository.ref.kind === 'local'));
    if (model.kind === 'hub' && !modelReady) {
      const key = JSON.stringify(model);
      if (lookedUpFor.current !== key) {
        lookedUpFor.current = key;
        // Only the token entered for this hub goes with the request: a link naming another hub gets none.
        void lookUpHub(model, accessFor(model.hubUrl));
        return;
      }
      if (repository.kind === 'failed') setPending(undefined);
      return;
    }
    if (!modelReady) return;
    const verdict = judgeRun(
      pending.config,
      {
        adapter: gpu.kind === 'ready' ? gpu.adapter : undefined,
        inspected: repository.kind === 'ready' ? repository.inspected : undefined,
        deviceMemoryGiB: deviceMemoryGiB(),
        earlier: results.trials.filter((trial) => trial.model === modelLabel(model)),
        ...(pending.resume === undefined ? {} : { done: pending.resume.trials }),
      },
      pending.confirmed === true,
    );
    switch (verdict.kind) {
      case 'needs-model':
      case 'needs-adapter':
        return;
      case 'refused':
      case 'confirm':
        setPending(undefined);
        setGate({ ...verdict, run: pending });
        return;
      case 'go':
        if (gpu.kind !== 'ready') return;
        setPending(undefined);
        startSweep(pending.config, pending.resume);
    }
  }, [pending, gpu, running, repository, lookUpHub, accessFor, startSweep, results.trials]);

  useEffect(() => {
    publishAutomationState({
      status:
        autorun.kind === 'invalid'
          ? { kind: 'failed', message: autorun.message }
          : gate?.kind === 'refused' && status.kind === 'idle'
            ? { kind: 'failed', message: describeRefusal(gate) }
            : repository.kind === 'failed' && status.kind === 'idle'
              ? { kind: 'failed', message: repository.message }
              : status,
      trials: results.trials,
      loads: results.loads,
      gpu: gpu.kind,
    });
  }, [autorun, status, results, gpu.kind, repository, gate]);

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
  const resume = useCallback(
    (runId: string, config: SweepConfig, done: Omit<ResumeFrom, 'runId'>) => {
      setDraft(configToDraft(config));
      requestRun({ config, resume: { runId, trials: done.trials, loads: done.loads } });
    },
    [requestRun],
  );
  // Deleted runs are kept in memory for Undo until the next deletion; a live run is never deleted.
  const [deletedRuns, setDeletedRuns] = useState<
    { readonly message: string; readonly runs: readonly DeletedRun[] } | undefined
  >(undefined);
  const deleteRuns = useCallback(
    async (runIds: readonly string[]) => {
      const store = history.store;
      if (store === undefined) return;
      const results = await Promise.all(runIds.map((runId) => deleteUnlessLive(store, runId)));
      const removed = results.flatMap((result) => (result.kind === 'deleted' ? [result.deleted] : []));
      const refusedLive = results.filter((result) => result.kind === 'live').length;
      setDeletedRuns(
        removed.length === 0
          ? undefined
          : {
              message: `Deleted ${removed.length === 1 ? '1 run' : `${removed.length} runs`}.`,
              runs: removed,
            },
      );
      setHistoryNote(
        refusedLive === 0
          ? undefined
          : `${refusedLive === 1 ? 'A run is' : `${refusedLive} runs are`} being measured (in this tab or another), so ${refusedLive === 1 ? 'it was' : 'they were'} not deleted.`,
      );
      history.refresh();
    },
    [history],
  );
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
      onDelete={(runIds) => void deleteRuns(runIds)}
      live={history.live}
      deleted={
        deletedRuns === undefined
          ? undefined
          : {
              message: deletedRuns.message,
              onUndo: () => {
                const { runs } = deletedRuns;
                setDeletedRuns(undefined);
                void Promise.all(runs.map((run) => history.store?.restore(run))).then(history.refresh);
              },
            }
      }
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

  // A link that names another hub than the one a token is for: said, and the token stays where it belongs.
  const linkedConfig =
    autorun.kind === 'run' || autorun.kind === 'linked'
      ? autorun.config
      : shared.kind === 'shared'
        ? shared.run.config
        : undefined;
  const linkHubNote =
    linkedConfig?.model.kind === 'hub'
      ? tokenElsewhereNote(hubTokens.tokens, linkedConfig.model.hubUrl)
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
          requestRun({ config: shared.run.config });
          const sharedRun = comparedRunFromShared(shared.run, 'shared');
          if (sharedRun !== undefined) {
            setComparisons((current) => [sharedRun, ...current.filter((run) => run.id !== 'shared')]);
          }
        }}
      />
      <LinkedRunPanel
        request={autorun}
        canRun={gpu.kind === 'ready' && !running}
        onRun={() => {
          if (autorun.kind === 'linked') requestRun({ config: autorun.config });
        }}
      />
      {linkHubNote !== undefined && (
        <p className="hint" data-testid="token-hub-note">
          {linkHubNote}
        </p>
      )}
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
            token={hubTokens.tokenFor(draft.hubUrl)}
            cache={cache}
            onChange={setDraft}
            onTokenChange={(token) => hubTokens.setTokenFor(draft.hubUrl, token)}
            rememberToken={hubTokens.remember}
            onRememberTokenChange={hubTokens.setRemember}
            onLookUp={onLookUp}
            onCancelLookUp={cancelLookUp}
            onFolder={(folderName, entries) => void openFolder(folderName, entries)}
            onClearCache={() => void clearFileCache().then(refreshCache)}
          />
        }
      />
      <RunGatePanel
        gate={gate}
        onConfirm={() => {
          if (gate !== undefined) requestRun({ ...gate.run, confirmed: true });
        }}
        onDismiss={() => setGate(undefined)}
      />
      <ProgressPanel
        status={status}
        onResume={resumeCurrent}
        onRunAnyway={waitingForGpu ? insist : undefined}
      />
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
