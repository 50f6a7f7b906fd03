import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { chartSeries, coldTtftMs, summarizeCells } from './bench/summary';
import type { ModelBuilder } from './engine/sweep-runner';
import { needsShaderF16, PRESETS, QUANTIZATIONS } from './model/config';
import { estimateVariantBytes, largestWeightBytes } from './model/size';
import { trialsToCsv } from './results/csv';
import { decodeShareFragment } from './results/share-link';
import { formatSummaryTable } from './results/summary-table';
import { AdapterPanel } from './ui/AdapterPanel';
import { BreakdownChart } from './ui/BreakdownChart';
import { publishAutomationState, readAutorun } from './ui/automation';
import { configToDraft, draftToConfig, INITIAL_DRAFT } from './ui/draft';
import { downloadText } from './ui/download';
import { LoadChart } from './ui/LoadChart';
import { LoadTable } from './ui/LoadTable';
import { ProgressPanel } from './ui/ProgressPanel';
import { ResultsTable } from './ui/ResultsTable';
import { ShareControls } from './ui/ShareControls';
import { SharedRunPanel } from './ui/SharedRunPanel';
import { formatBytes, SweepForm, type QuantizationOption, type SweepDraft } from './ui/SweepForm';
import { TtftChart } from './ui/TtftChart';
import { useGpu } from './ui/useGpu';
import { useSweep } from './ui/useSweep';
import { buildModelInWorker } from './worker/model-builder-client';

const buildModel: ModelBuilder = (request, signal) =>
  buildModelInWorker(
    PRESETS[request.config.modelPreset].config,
    request.quantization,
    request.config.weightSeed,
    signal,
  );

export function App() {
  const { gpu, deviceRef } = useGpu();
  // Headless runs (npm run bench) pass their configuration in the fragment and read state from window.
  const autorun = useMemo(() => readAutorun(window.location.hash), []);
  // A shared link (#share=…) shows someone's run read-only and fills the form with its configuration.
  const shared = useMemo(() => decodeShareFragment(window.location.hash), []);
  const [draft, setDraft] = useState<SweepDraft>(() => {
    if (autorun.kind === 'run') return configToDraft(autorun.config);
    if (shared.kind === 'shared') return configToDraft(shared.run.config);
    return INITIAL_DRAFT;
  });
  const { status, results, start, cancel } = useSweep(buildModel);
  const running = status.kind === 'running';

  const options = useMemo<QuantizationOption[]>(() => {
    const config = PRESETS[draft.modelPreset].config;
    return QUANTIZATIONS.map((quantization) => {
      const largest = largestWeightBytes(config, quantization);
      let disabledReason: string | undefined;
      if (needsShaderF16(quantization) && gpu.kind === 'ready' && !gpu.adapter.hasShaderF16) {
        disabledReason = 'Needs the WebGPU feature shader-f16, which this adapter does not have.';
      } else if (gpu.kind === 'ready' && largest > gpu.adapter.maxBufferSizeBytes) {
        disabledReason = `Its largest weight (${formatBytes(largest)}) exceeds this adapter's maxBufferSize (${formatBytes(gpu.adapter.maxBufferSizeBytes)}).`;
      }
      return { quantization, estimatedBytes: estimateVariantBytes(config, quantization), disabledReason };
    });
  }, [draft.modelPreset, gpu]);

  // Never keep a quantization selected that this adapter cannot run.
  const runnableDraft = useMemo(
    () => ({
      ...draft,
      quantizations: draft.quantizations.filter((q) =>
        options.some((option) => option.quantization === q && option.disabledReason === undefined),
      ),
    }),
    [draft, options],
  );
  const check = draftToConfig(runnableDraft);

  const onRun = useCallback(() => {
    const device = deviceRef.current;
    if (!check.ok || device === null || gpu.kind !== 'ready') return;
    void start(check.config, device, gpu.adapter);
  }, [check, deviceRef, gpu, start]);

  const autorunStarted = useRef(false);
  useEffect(() => {
    if (
      autorun.kind !== 'run' ||
      autorunStarted.current ||
      gpu.kind !== 'ready' ||
      deviceRef.current === null
    )
      return;
    autorunStarted.current = true;
    void start(autorun.config, deviceRef.current, gpu.adapter);
  }, [autorun, gpu, deviceRef, start]);
  useEffect(() => {
    publishAutomationState({
      status: autorun.kind === 'invalid' ? { kind: 'failed', message: autorun.message } : status,
      trials: results.trials,
      loads: results.loads,
      gpu: gpu.kind,
    });
  }, [autorun, status, results, gpu.kind]);

  const cells = useMemo(() => summarizeCells(results.trials), [results.trials]);
  const series = useMemo(() => chartSeries(results.trials), [results.trials]);
  const cold = useMemo(() => coldTtftMs(results.trials), [results.trials]);

  return (
    <main>
      <h1>ttft-bench</h1>
      <p className="hint">
        Time to first token of a Llama model in this browser, on this GPU, through onnxruntime-web&apos;s
        WebGPU backend. Each trial runs tokenize → prefill → GPU barrier → logits readback → greedy token.
      </p>
      <AdapterPanel gpu={gpu} />
      <SharedRunPanel
        request={shared}
        canRun={gpu.kind === 'ready' && !running}
        onRunHere={() => {
          const device = deviceRef.current;
          if (shared.kind !== 'shared' || device === null || gpu.kind !== 'ready') return;
          setDraft(configToDraft(shared.run.config));
          void start(shared.run.config, device, gpu.adapter);
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
      />
      <ProgressPanel status={status} />
      {results.trials.length > 0 && (
        <>
          <h2>TTFT against prompt length</h2>
          <TtftChart series={series} />
          <div className="actions">
            <button
              type="button"
              data-testid="download-csv"
              onClick={() =>
                downloadText(
                  `ttft-${results.config?.modelPreset ?? 'run'}.csv`,
                  trialsToCsv(results.trials),
                  'text/csv',
                )
              }
            >
              Download CSV
            </button>
            {results.config !== undefined && results.trials[0] !== undefined && status.kind === 'done' && (
              <ShareControls config={results.config} cells={cells} firstTrial={results.trials[0]} />
            )}
          </div>
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
      {results.loads.length > 0 && (
        <>
          <h2>Load, cold and warm</h2>
          <LoadChart loads={results.loads} coldTtftMs={cold} cells={cells} />
          <LoadTable loads={results.loads} coldTtftMs={cold} cells={cells} />
        </>
      )}
    </main>
  );
}
