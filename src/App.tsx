import { useCallback, useMemo } from 'react';
import type { SweepConfig } from './config/sweep-config';
import { DEFAULT_HUB_URL } from './config/model-ref';
import { tokenElsewhereNote } from './hub/token-storage';
import { comparedRunFromShared } from './report/compared-run';
import { decodeShareFragment } from './report/share-link';
import { formatSummaryTable } from './report/summary-table';
import { AdapterPanel } from './ui/AdapterPanel';
import { autorunOptedIn, autorunRequest } from './ui/automation';
import { BreakdownChart } from './ui/BreakdownChart';
import { ComparePanel } from './ui/ComparePanel';
import { configToDraft, INITIAL_DRAFT } from './ui/draft';
import { ExportControls } from './ui/ExportControls';
import { HistoryPanel } from './ui/HistoryPanel';
import { LinkedRunPanel } from './ui/LinkedRunPanel';
import { RunGatePanel } from './ui/RunGatePanel';
import { describeRefusal } from './ui/run-verdict';
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
import { useHubTokens } from './ui/useHubTokens';
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
  // Headless runs (npm run bench) pass their configuration in the fragment and read state from window; it
  // runs only when the driver opted in through an init script (a URL alone never starts work). A shared link
  // (#share=…) shows someone's run read-only and fills the form with its configuration.
  const autorun = useMemo(() => autorunRequest(window.location.hash, autorunOptedIn(window)), []);
  const shared = useMemo(() => decodeShareFragment(window.location.hash), []);
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
  const { repository, lookUpHub, openFolder, cancelLookUp } = useModelRepository();
  const form = useSweepDraft(
    () => {
      if (autorun.kind === 'run' || autorun.kind === 'linked') return configToDraft(autorun.config);
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
    accessFor: hubTokens.accessFor,
    history,
    // An opted-in autorun is the driver's own choice: it needs no yes for a long run.
    initialRun: autorun.kind === 'run' ? { config: autorun.config, confirmed: true } : undefined,
    showConfig,
  });
  const { status, results, running, held } = runs;
  useAutomationMirror({
    autorun,
    status,
    results,
    gpu: gpu.kind,
    repository,
    refusal: held?.kind === 'refused' ? describeRefusal(held) : undefined,
  });
  const cache = useCacheUsage(status.kind);
  const comparisons = useComparisons();
  const views = useResultViews(results.trials, comparisons.runs);
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
      <LinkedRunPanel
        request={autorun}
        canRun={gpu.kind === 'ready' && !running}
        onRun={() => {
          if (autorun.kind === 'linked') runs.runHere({ config: autorun.config });
        }}
      />
      {linkHubNote !== undefined && (
        <p className="hint" data-testid="token-hub-note">
          {linkHubNote}
        </p>
      )}
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
            token={hubTokens.tokenFor(form.draft.hubUrl)}
            cache={cache.cache}
            onChange={setDraft}
            onTokenChange={(token) => hubTokens.setTokenFor(form.draft.hubUrl, token)}
            rememberToken={hubTokens.remember}
            onRememberTokenChange={hubTokens.setRemember}
            onLookUp={() => {
              if (form.hubRef.ok)
                void lookUpHub(form.hubRef.ref, hubTokens.accessFor(form.hubRef.ref.hubUrl));
            }}
            onCancelLookUp={cancelLookUp}
            onFolder={(folderName, entries) => void openFolder(folderName, entries)}
            onClearCache={cache.clear}
          />
        }
      />
      <RunGatePanel gate={held} onConfirm={runs.confirmHeld} onDismiss={runs.dismissHeld} />
      <ProgressPanel
        status={status}
        onResume={runs.resumeCurrent}
        onRunAnyway={runs.waitingForGpu ? runs.insist : undefined}
      />
      {views.chartRuns.length > 0 && (
        <>
          <h2>TTFT against prompt length</h2>
          <TtftChart runs={views.chartRuns} />
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
        live={history.live}
        onDelete={(runIds) => void history.deleteRuns(runIds)}
        deleted={
          history.deleted === undefined
            ? undefined
            : { message: history.deleted.message, onUndo: history.undoDelete }
        }
      />
    </main>
  );
}
