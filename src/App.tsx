import { useCallback, useMemo } from 'react';
import type { SweepConfig } from './config/sweep-config';
import { comparedRunFromShared } from './report/compared-run';
import { decodeShareFragment } from './report/share-link';
import { formatSummaryTable } from './report/summary-table';
import { AdapterPanel } from './ui/AdapterPanel';
import { readAutorun } from './ui/automation';
import { BreakdownChart } from './ui/BreakdownChart';
import { BufferCliffNote } from './ui/BufferCliffNote';
import { ComparePanel } from './ui/ComparePanel';
import { configToDraft, INITIAL_DRAFT } from './ui/draft';
import { ExportControls } from './ui/ExportControls';
import { HistoryPanel } from './ui/HistoryPanel';
import { LoadChart } from './ui/LoadChart';
import { LoadTable } from './ui/LoadTable';
import { decoderOfResults } from './ui/model-choice';
import { ModelPicker } from './ui/ModelPicker';
import { ProgressPanel } from './ui/ProgressPanel';
import { ResultsTable } from './ui/ResultsTable';
import { RooflinePanel } from './ui/RooflinePanel';
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
      return INITIAL_DRAFT;
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
  const { status, results, running } = runs;
  useAutomationMirror({ autorun, status, results, gpu: gpu.kind, repository });
  const cache = useCacheUsage(status.kind);
  const comparisons = useComparisons();
  const views = useResultViews(results.trials, comparisons.runs);

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
      <ProgressPanel status={status} onResume={runs.resumeCurrent} />
      {views.chartRuns.length > 0 && (
        <>
          <h2>TTFT against prompt length</h2>
          <TtftChart runs={views.chartRuns} />
          <BufferCliffNote
            trials={results.trials}
            model={results.config?.model}
            decoder={decoderOfResults(form.inspected, results.config)}
          />
          <h2>Prefill tokens per second</h2>
          <TtftChart runs={views.chartRuns} metric="tokensPerSecond" />
        </>
      )}
      {results.trials.length > 0 && (
        <RooflinePanel
          peaks={roofline.peaks}
          onMeasure={() => void roofline.measurePeaks()}
          disabled={running || gpu.kind !== 'ready'}
          cells={views.cells}
          loads={results.loads}
          config={results.config}
          decoder={decoderOfResults(form.inspected, results.config)}
        />
      )}
      {results.trials.length > 0 && (
        <>
          <ExportControls results={results} cells={views.cells} finished={status.kind === 'done'} />
          <h2>Results (timed repetitions)</h2>
          <ResultsTable cells={views.cells} />
          <details>
            <summary>Summary as a markdown table (llama-bench style)</summary>
            <pre data-testid="markdown-summary">{formatSummaryTable(views.cells)}</pre>
          </details>
          <h2>Where the time goes</h2>
          <BreakdownChart cells={views.cells} />
        </>
      )}
      <ComparePanel
        runs={comparisons.runs}
        ownCells={views.ownCells}
        importError={comparisons.importError}
        onImport={comparisons.importFiles}
        onRemove={comparisons.remove}
      />
      {results.loads.length > 0 && (
        <>
          <h2>Load, cold and warm</h2>
          <LoadChart loads={results.loads} coldTtftMs={views.cold} cells={views.cells} />
          <LoadTable loads={results.loads} coldTtftMs={views.cold} cells={views.cells} />
        </>
      )}
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
    </main>
  );
}
