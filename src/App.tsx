import { useCallback, useMemo } from 'react';
import type { SweepConfig } from './config/sweep-config';
import { DEFAULT_HUB_URL } from './config/model-ref';
import { tokenElsewhereNote } from './hub/token-storage';
import { comparedRunFromShared } from './report/compared-run';
import { pickReference, withReferenceCautions } from './report/reference-run';
import { decodeShareFragment } from './report/share-link';
import { formatSummaryTable } from './report/summary-table';
import { adapterIdentityLabel, recordedSoftwareAdapterReason } from './bench/adapter-identity';
import { modelLabel } from './config/model-ref';
import { headlineOf } from './report/headline';
import { AdapterPanel } from './ui/AdapterPanel';
import { autorunOptedIn, autorunRequest } from './ui/automation';
import { BreakdownChart } from './ui/BreakdownChart';
import { BufferCliffNote } from './ui/BufferCliffNote';
import { ComparePanel } from './ui/ComparePanel';
import { configToDraft } from './ui/draft';
import { ExportControls } from './ui/ExportControls';
import { FoldSection } from './ui/FoldSection';
import { Headline } from './ui/Headline';
import { HistoryPanel } from './ui/HistoryPanel';
import { LinkedRunPanel } from './ui/LinkedRunPanel';
import { RunGatePanel } from './ui/RunGatePanel';
import { describeRefusal } from './ui/run-verdict';
import { LoadChart } from './ui/LoadChart';
import { LoadTable } from './ui/LoadTable';
import { decoderOfResults } from './ui/model-choice';
import { ModelPicker } from './ui/ModelPicker';
import { ProgressPanel } from './ui/ProgressPanel';
import { ReferenceCompare } from './ui/ReferenceCompare';
import { ResultsTable } from './ui/ResultsTable';
import { RooflinePanel } from './ui/RooflinePanel';
import { RunClock } from './ui/RunClock';
import { RunCost } from './ui/RunCost';
import { SharedRunPanel } from './ui/SharedRunPanel';
import { SweepForm } from './ui/SweepForm';
import { TtftChart } from './ui/TtftChart';
import { VariantChecks } from './ui/VariantChecks';
import { KernelProfiles } from './ui/KernelProfiles';
import { useAutomationMirror } from './ui/useAutomationMirror';
import { useCacheUsage } from './ui/useCacheUsage';
import { useComparisons } from './ui/useComparisons';
import { useEngine } from './ui/useEngine';
import { useHubTokens } from './ui/useHubTokens';
import { useModelRepository } from './ui/useModelRepository';
import { useResultViews } from './ui/useResultViews';
import { useRoofline } from './ui/useRoofline';
import { useRunControl } from './ui/useRunControl';
import { useEarlierRecords, useRunCost, useTimeLeft, type RunEstimateOptions } from './ui/useRunEstimate';
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
  // The configuration a link brought (autorun, linked or shared): the form starts from it.
  const linkedConfig =
    autorun.kind === 'run' || autorun.kind === 'linked'
      ? autorun.config
      : shared.kind === 'shared'
        ? shared.run.config
        : undefined;
  const form = useSweepDraft(
    () => (linkedConfig === undefined ? undefined : configToDraft(linkedConfig)),
    gpu,
    repository,
  );
  const { setDraft } = form;
  const showConfig = useCallback((config: SweepConfig) => setDraft(configToDraft(config)), [setDraft]);
  const history = useRunHistory();
  const adapterName = gpu.kind === 'ready' ? adapterIdentityLabel(gpu.adapter) : undefined;
  const formConfig = form.check.ok ? form.check.config : undefined;
  // Earlier runs of the form's model here: the cost line above Run and the run gate estimate from the same.
  const earlier = useEarlierRecords(history.store, history.runs, formConfig, adapterName, undefined);
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
    earlier,
  });
  const { status, results, running, held, timing } = runs;
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
  const referenceChoice = pickReference(results.config?.model);
  const comparedRuns = useMemo(
    () => withReferenceCautions(comparisons.runs, results.config),
    [comparisons.runs, results.config],
  );
  // A link that names another hub than the one a token is for: said, and the token stays where it belongs.
  const linkHubNote =
    linkedConfig?.model.kind === 'hub'
      ? tokenElsewhereNote(hubTokens.tokens, linkedConfig.model.hubUrl)
      : undefined;
  const estimateOptions: RunEstimateOptions = {
    store: history.store,
    runs: history.runs,
    adapter: adapterName,
    software: form.software === true,
    inspected: form.inspected,
  };
  const cost = useRunCost(formConfig, estimateOptions, earlier);
  const timeLeftMs = useTimeLeft(running, results, timing, estimateOptions);
  const headline = useMemo(() => headlineOf(views.cells), [views.cells]);
  const firstTrial = results.trials[0];
  // The shown results' repository shape (hub and folder models): the cliff note and the roofline read it.
  const resultsDecoder = decoderOfResults(form.inspected, results.config);

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
        runCost={<RunCost estimate={running ? undefined : cost} defaultsReason={form.defaults?.reason} />}
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
        clock={timing !== undefined && <RunClock startedAtMs={timing.startedAtMs} remainingMs={timeLeftMs} />}
        tookMs={timing?.endedAtMs === undefined ? undefined : timing.endedAtMs - timing.startedAtMs}
      />
      {results.trials.length > 0 && (
        <Headline
          headline={headline}
          adapter={firstTrial?.adapter ?? ''}
          model={results.config === undefined ? '' : modelLabel(results.config.model)}
          softwareAdapter={
            firstTrial !== undefined && recordedSoftwareAdapterReason(firstTrial) !== undefined
          }
          actions={<ExportControls results={results} cells={views.cells} finished={status.kind === 'done'} />}
          revealWhenChanged={status.kind === 'done' ? timing?.endedAtMs : undefined}
        />
      )}
      {views.chartRuns.length > 0 && (
        <>
          <h2>TTFT against prompt length</h2>
          <TtftChart runs={views.chartRuns} />
          <BufferCliffNote trials={results.trials} model={results.config?.model} decoder={resultsDecoder} />
          <h2>Prefill tokens per second</h2>
          <TtftChart runs={views.chartRuns} metric="tokensPerSecond" />
        </>
      )}
      {results.trials.length > 0 && (
        <>
          <FoldSection id="results" title="Results (timed repetitions)" defaultOpen>
            <ResultsTable cells={views.cells} />
            <h3>Variant checks: CPU match and node placement</h3>
            <VariantChecks loads={results.loads} trials={results.trials} />
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
      {results.loads.some((load) => load.kernelProfile !== undefined) && (
        <FoldSection id="kernels" title="Kernel profile (GPU time per op)" defaultOpen>
          <KernelProfiles loads={results.loads} />
        </FoldSection>
      )}
      {results.loads.length > 0 && (
        <FoldSection id="loads" title="Load, cold and warm" defaultOpen={false}>
          <LoadChart loads={results.loads} coldTtftMs={views.cold} cells={views.cells} />
          <LoadTable loads={results.loads} coldTtftMs={views.cold} cells={views.cells} />
        </FoldSection>
      )}
      {results.trials.length > 0 && (
        <FoldSection id="roofline" title="Against the measured peak (roofline)" defaultOpen={false}>
          <RooflinePanel
            peaks={roofline.peaks}
            onMeasure={() => void roofline.measurePeaks()}
            disabled={running || gpu.kind !== 'ready'}
            cells={views.cells}
            loads={results.loads}
            config={results.config}
            decoder={resultsDecoder}
            int8Activations={results.trials.some((trial) => trial.accuracyLevel === 4)}
          />
        </FoldSection>
      )}
      <FoldSection id="compare" title="Compare with other runs" defaultOpen>
        <ReferenceCompare
          choice={referenceChoice}
          load={comparisons.referenceLoad}
          onCompare={() => comparisons.compareReference(referenceChoice)}
        />
        <ComparePanel
          runs={comparedRuns}
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
          live={history.live}
          onDelete={(runIds) => void history.deleteRuns(runIds)}
          deleted={
            history.deleted === undefined
              ? undefined
              : { message: history.deleted.message, onUndo: history.undoDelete }
          }
        />
      </FoldSection>
    </main>
  );
}
