import { useCallback, useMemo } from 'react';
import type { SweepConfig } from './config/sweep-config';
import { comparedRunFromShared } from './report/compared-run';
import { decodeShareFragment } from './report/share-link';
import { formatSummaryTable } from './report/summary-table';
import { isSoftwareAdapterLabel } from './bench/software-adapter';
import { modelLabel } from './config/model-ref';
import { adapterLabel } from './engine/gpu-device';
import { headlineOf } from './report/headline';
import { AdapterPanel } from './ui/AdapterPanel';
import { readAutorun } from './ui/automation';
import { BreakdownChart } from './ui/BreakdownChart';
import { ComparePanel } from './ui/ComparePanel';
import { configToDraft } from './ui/draft';
import { ExportControls } from './ui/ExportControls';
import { FoldSection } from './ui/FoldSection';
import { Headline } from './ui/Headline';
import { HistoryPanel } from './ui/HistoryPanel';
import { LoadChart } from './ui/LoadChart';
import { LoadTable } from './ui/LoadTable';
import { decoderOfResults } from './ui/model-choice';
import { ModelPicker } from './ui/ModelPicker';
import { ProgressPanel } from './ui/ProgressPanel';
import { ResultsTable } from './ui/ResultsTable';
import { RooflinePanel } from './ui/RooflinePanel';
import { RunClock } from './ui/RunClock';
import { RunCost } from './ui/RunCost';
import { SharedRunPanel } from './ui/SharedRunPanel';
import { SweepForm } from './ui/SweepForm';
import { TtftChart } from './ui/TtftChart';
import { useAutomationMirror } from './ui/useAutomationMirror';
import { useCacheUsage } from './ui/useCacheUsage';
import { useComparisons } from './ui/useComparisons';
import { useEngine } from './ui/useEngine';
import { useHubToken } from './ui/useHubToken';
import { useModelRepository } from './ui/useModelRepository';
import { useResultViews } from './ui/useResultViews';
import { useRoofline } from './ui/useRoofline';
import { useRunControl } from './ui/useRunControl';
import { useRunCost, useTimeLeft, type RunEstimateOptions } from './ui/useRunEstimate';
import { useRunHistory } from './ui/useRunHistory';
import { useSweepDraft } from './ui/useSweepDraft';

export function App() {
  const { engine, engineRef } = useEngine();
  const { gpu } = engine;
  const roofline = useRoofline(engineRef);
  // Headless runs (npm run bench) pass their configuration in the fragment and read state from window;
  // a shared link (#share=…) shows someone's run read-only and fills the form with its configuration.
  const autorun = useMemo(() => readAutorun(window.location.hash), []);
  const shared = useMemo(() => decodeShareFragment(window.location.hash), []);
  const hubToken = useHubToken();
  const { repository, lookUpHub, openFolder } = useModelRepository();
  const form = useSweepDraft(
    () => {
      if (autorun.kind === 'run') return configToDraft(autorun.config);
      if (shared.kind === 'shared') return configToDraft(shared.run.config);
      return undefined;
    },
    gpu,
    repository,
  );
  const { setDraft } = form;
  const showConfig = useCallback((config: SweepConfig) => setDraft(configToDraft(config)), [setDraft]);
  const history = useRunHistory();
  const runs = useRunControl({
    engineRef,
    gpu,
    repository,
    inspected: form.inspected,
    lookUpHub,
    hubAccess: hubToken.access,
    history,
    initialRun: autorun.kind === 'run' ? { config: autorun.config } : undefined,
    showConfig,
  });
  const { status, results, running, timing } = runs;
  useAutomationMirror({ autorun, status, results, gpu: gpu.kind, repository });
  const cache = useCacheUsage(status.kind);
  const comparisons = useComparisons();
  const views = useResultViews(results.trials, comparisons.runs);
  const estimateOptions: RunEstimateOptions = {
    store: history.store,
    runs: history.runs,
    adapter: gpu.kind === 'ready' ? adapterLabel(gpu.adapter) : undefined,
    software: form.software === true,
    inspected: form.inspected,
  };
  const cost = useRunCost(form.check.ok ? form.check.config : undefined, estimateOptions);
  const timeLeftMs = useTimeLeft(running, results, timing, estimateOptions);
  const headline = useMemo(() => headlineOf(views.cells), [views.cells]);
  const measuredOn = results.trials[0]?.adapter ?? '';

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
        deviceLoss={engine.deviceLoss}
        buffers={engine.buffers}
      />
      <SharedRunPanel
        request={shared}
        canRun={gpu.kind === 'ready' && !running}
        onRunHere={() => {
          if (shared.kind !== 'shared') return;
          runs.runHere({ config: shared.run.config });
          const sharedRun = comparedRunFromShared(shared.run, 'shared');
          if (sharedRun !== undefined) comparisons.showFirst(sharedRun);
        }}
      />
      <SweepForm
        draft={form.runnableDraft}
        options={form.options}
        running={running}
        canRun={form.check.ok && gpu.kind === 'ready'}
        problem={form.check.ok ? undefined : form.check.message}
        onChange={setDraft}
        onRun={() => {
          if (form.check.ok) runs.run(form.check.config);
        }}
        onCancel={runs.cancel}
        runCost={<RunCost estimate={running ? undefined : cost} defaultsReason={form.defaults?.reason} />}
        modelPicker={
          <ModelPicker
            draft={form.draft}
            running={running}
            repository={repository}
            token={hubToken.token}
            cache={cache.cache}
            onChange={setDraft}
            onTokenChange={hubToken.setToken}
            rememberToken={hubToken.remember}
            onRememberTokenChange={hubToken.setRemember}
            onLookUp={() => {
              if (form.hubRef.ok) void lookUpHub(form.hubRef.ref, hubToken.access);
            }}
            onFolder={(folderName, entries) => void openFolder(folderName, entries)}
            onClearCache={cache.clear}
          />
        }
      />
      <ProgressPanel
        status={status}
        onResume={runs.resumeCurrent}
        clock={timing !== undefined && <RunClock startedAtMs={timing.startedAtMs} remainingMs={timeLeftMs} />}
        tookMs={timing?.endedAtMs === undefined ? undefined : timing.endedAtMs - timing.startedAtMs}
      />
      {results.trials.length > 0 && (
        <Headline
          headline={headline}
          adapter={measuredOn}
          model={results.config === undefined ? '' : modelLabel(results.config.model)}
          softwareAdapter={isSoftwareAdapterLabel(measuredOn)}
          actions={<ExportControls results={results} cells={views.cells} finished={status.kind === 'done'} />}
          revealWhenChanged={status.kind === 'done' ? timing?.endedAtMs : undefined}
        />
      )}
      {views.chartRuns.length > 0 && (
        <>
          <h2>TTFT against prompt length</h2>
          <TtftChart runs={views.chartRuns} />
          <h2>Prefill tokens per second</h2>
          <TtftChart runs={views.chartRuns} metric="tokensPerSecond" />
        </>
      )}
      {results.trials.length > 0 && (
        <>
          <FoldSection id="results" title="Results (timed repetitions)" defaultOpen>
            <ResultsTable cells={views.cells} />
            <details>
              <summary>Summary as a markdown table (llama-bench style)</summary>
              <pre data-testid="markdown-summary">{formatSummaryTable(views.cells)}</pre>
            </details>
          </FoldSection>
          <FoldSection id="breakdown" title="Where the time goes" defaultOpen>
            <BreakdownChart cells={views.cells} />
          </FoldSection>
        </>
      )}
      {results.loads.length > 0 && (
        <FoldSection id="loads" title="Load, cold and warm" defaultOpen={false}>
          <LoadChart loads={results.loads} coldTtftMs={views.cold} cells={views.cells} />
          <LoadTable loads={results.loads} coldTtftMs={views.cold} cells={views.cells} />
        </FoldSection>
      )}
      {results.trials.length > 0 && (
        <FoldSection id="roofline" title="Against this GPU's peak" defaultOpen={false}>
          <RooflinePanel
            peaks={roofline.peaks}
            onMeasure={() => void roofline.measurePeaks()}
            disabled={running || gpu.kind !== 'ready'}
            cells={views.cells}
            loads={results.loads}
            config={results.config}
            decoder={decoderOfResults(form.inspected, results.config)}
          />
        </FoldSection>
      )}
      <FoldSection id="compare" title="Compare with other runs" defaultOpen>
        <ComparePanel
          runs={comparisons.runs}
          ownCells={views.ownCells}
          importError={comparisons.importError}
          onImport={comparisons.importFiles}
          onRemove={comparisons.remove}
        />
      </FoldSection>
      <FoldSection id="history" title="History" defaultOpen>
        <HistoryPanel
          runs={history.runs}
          problem={history.problem}
          shownRunId={results.runId}
          busy={running}
          onOpen={runs.openStored}
          onResume={runs.resumeStored}
          onRename={history.rename}
          onDelete={history.remove}
        />
      </FoldSection>
    </main>
  );
}
