/**
 * Runs a planned sweep: build each quantization level's model, check it (node placement, CPU match) and create
 * its session, run the planned trials in the planned order (at a context depth, on top of that variant's
 * prefix KV cache, prefilled untimed once per depth), release sessions when the plan says and everything at
 * the end (also on failure or cancel). It measures and records; the plan decides what and in which order.
 */
import { planSweep, type PlanItem } from '../bench/plan';
import { planResume } from '../bench/resume';
import { buildContinuationOfLength, buildPromptOfLength, measureCustomPrompt } from '../bench/prompt';
import type { SweepStep } from '../bench/progress';
import { modelLabel } from '../config/model-ref';
import type { SweepConfig } from '../config/sweep-config';
import type { Quantization } from '../model/config';
import type { TextTokenizer } from '../tokenizer/tokenizer';
import { prefillContext, type PrefilledContext } from './context-prefix';
import { takeGpuErrors } from './gpu-errors';
import { GpuSpanTimer } from './gpu-span-timer';
import { explainGpuErrors, explainTrialError } from './session-errors';
import type { TrialFieldsOf } from '../results/trial-fields';
import type { SweepOutcome, SweepRequest } from './types';
import { loadVariantSession, measureTrial, type LoadedVariant } from './variant-session';
import { CapturedDecoder } from './captured-decoder';
import { measureCapturedTrial } from './captured-trial';

interface PreparedPrompt {
  /** A fresh prompt (with the tokenizer's special tokens). */
  readonly text: string;
  /** The same length as a later turn, without special tokens: what runs on top of a context. */
  readonly continuation: string | undefined;
  readonly promptTokens: number;
}

function preparePrompts(config: SweepConfig, tokenizer: TextTokenizer): Map<number, PreparedPrompt> {
  const prompts = new Map<number, PreparedPrompt>();
  if (config.customPrompt !== undefined) {
    const measured = measureCustomPrompt(tokenizer, config.customPrompt);
    prompts.set(measured.promptTokens, {
      text: config.customPrompt,
      continuation: undefined,
      promptTokens: measured.promptTokens,
    });
    return prompts;
  }
  const deep = config.depths.some((depth) => depth > 0);
  for (const length of config.promptLengths) {
    const prompt = buildPromptOfLength(tokenizer, length);
    prompts.set(length, {
      text: prompt.text,
      continuation: deep ? buildContinuationOfLength(tokenizer, length).text : undefined,
      promptTokens: prompt.promptTokens,
    });
  }
  return prompts;
}

function stepOf(item: PlanItem & { kind: 'trial' }, config: SweepConfig): SweepStep {
  if (item.phase === 'warm') {
    return {
      kind: 'measuring',
      quantization: item.quantization,
      promptTokens: item.promptTokens,
      depthTokens: item.depthTokens,
      repetition: item.repetition,
      of: config.repetitions,
    };
  }
  return {
    kind: 'warmup',
    quantization: item.quantization,
    promptTokens: item.promptTokens,
    depthTokens: item.depthTokens,
    run: item.warmupRun,
    of: config.warmupRuns,
  };
}

export async function runSweep(request: SweepRequest): Promise<SweepOutcome> {
  const { config, device, provider, callbacks, signal } = request;
  const runId = request.runId ?? crypto.randomUUID();
  const done = request.resumeFrom ?? [];
  callbacks.onProgress({
    step: { kind: 'preparing', detail: 'Tokenizing prompts' },
    completedTrials: 0,
    totalTrials: 0,
  });
  const { tokenizer } = provider;
  const { model: modelRef, revision } = provider.description;
  const model = modelLabel(modelRef);
  const runFields: TrialFieldsOf<'run'> = {
    runId,
    model,
    modelSource: modelRef.kind,
    modelRevision: revision,
    promptSource: config.customPrompt === undefined ? 'generated' : 'custom',
    weightSeed: config.weightSeed,
    ortBuild: config.runtime.ortBuild,
    ortValidationMode: config.runtime.validationMode,
    ortBufferCache: config.runtime.bufferCache,
    decodeLoop: config.decodeLoop,
    firstTokenArgmax: config.firstTokenArgmax,
    tokenReadback: config.tokenReadback,
  };
  const prompts = preparePrompts(config, tokenizer);
  const plan = planResume(planSweep(config, [...prompts.keys()]), done);
  let completedTrials = done.length;
  const totalTrials = completedTrials + plan.filter((item) => item.kind === 'trial').length;
  let trialIndex = done.reduce((next, trial) => Math.max(next, trial.trialIndex + 1), 0);
  const loaded = new Map<Quantization, LoadedVariant>();
  // With graph capture: each variant's captured sessions for the prompt length being measured (lengths are the
  // outer loop, so one length at a time).
  const captured = new Map<Quantization, CapturedDecoder>();
  const dropCaptured = async (quantization: Quantization) => {
    await captured.get(quantization)?.release();
    captured.delete(quantization);
  };
  const capturedAt = async (
    quantization: Quantization,
    variant: LoadedVariant,
    promptTokens: number,
  ): Promise<CapturedDecoder> => {
    const held = captured.get(quantization);
    if (held?.promptTokens === promptTokens) return held;
    await dropCaptured(quantization);
    if (variant.files === undefined) {
      throw new Error(`the ${quantization} variant was not loaded for graph capture`);
    }
    report({ kind: 'compiling', quantization });
    const decoder = await CapturedDecoder.create({
      device,
      files: variant.files,
      io: variant.io,
      kvSource: variant.session,
      runtime: config.runtime,
      promptTokens,
      decodeTokens: config.decodeTokens,
    });
    captured.set(quantization, decoder);
    return decoder;
  };
  // Each variant's context at the depth it is being measured at (one at a time: depths are the outer loop).
  const contexts = new Map<Quantization, PrefilledContext>();
  const prefixIds = new Map<number, readonly number[]>();
  const gpuTimer = GpuSpanTimer.create(device);
  const report = (step: SweepStep) => callbacks.onProgress({ step, completedTrials, totalTrials });
  const dropContext = (quantization: Quantization) => {
    contexts.get(quantization)?.release();
    contexts.delete(quantization);
  };
  /** The variant's prefix KV cache of `depthTokens` tokens, prefilled (untimed) when first needed. */
  const contextAt = async (
    quantization: Quantization,
    variant: LoadedVariant,
    depthTokens: number,
  ): Promise<PrefilledContext | undefined> => {
    if (depthTokens === 0) return undefined;
    const held = contexts.get(quantization);
    if (held?.tokens === depthTokens) return held;
    dropContext(quantization);
    report({ kind: 'context', quantization, depthTokens });
    let tokenIds = prefixIds.get(depthTokens);
    if (tokenIds === undefined) {
      // Exact-length text, special tokens included, like a fresh prompt: the conversation's first turns.
      tokenIds = buildPromptOfLength(tokenizer, depthTokens).tokenIds;
      prefixIds.set(depthTokens, tokenIds);
    }
    const what = `prefilling ${depthTokens} tokens of context for ${quantization}`;
    let context: PrefilledContext;
    try {
      context = await prefillContext({ session: variant.session, device, io: variant.io, tokenIds });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new Error(explainTrialError(what, error), { cause: error });
    }
    contexts.set(quantization, context);
    // A prefix that ran through a GPU error holds nothing real: no trial is measured on it.
    const errors = await takeGpuErrors(device);
    if (errors.length > 0) throw new Error(explainGpuErrors(what, errors));
    return context;
  };

  try {
    for (const item of plan) {
      if (signal.aborted) return 'cancelled';
      if (item.kind === 'release') {
        dropContext(item.quantization);
        await dropCaptured(item.quantization);
        await loaded.get(item.quantization)?.session.release();
        loaded.delete(item.quantization);
        continue;
      }
      if (item.kind === 'load') {
        const { quantization } = item;
        report(
          modelRef.kind === 'builtin'
            ? { kind: 'building', quantization }
            : { kind: 'downloading', quantization, loadedBytes: 0, totalBytes: 0, bytesPerSecond: 0 },
        );
        const load = await loadVariantSession({
          device,
          provider,
          quantization,
          signal,
          runtime: config.runtime,
          steps: {
            onFetch: (fetched) => report({ kind: 'downloading', quantization, ...fetched }),
            onChecking: () => report({ kind: 'checking', quantization, cpuMatch: config.cpuMatch }),
            onProfiling: () => report({ kind: 'profiling', quantization }),
            onCompiling: () => report({ kind: 'compiling', quantization }),
          },
          check: { cpuMatch: config.cpuMatch },
          graphCapture: config.graphCapture,
          // Fresh prompts only: a profile says what a prompt length costs, whatever context a trial adds.
          kernelProfile:
            config.kernelProfile && !config.graphCapture
              ? { promptTexts: [...prompts.values()].map((prompt) => prompt.text) }
              : undefined,
        });
        loaded.set(quantization, load.variant);
        callbacks.onLoad({
          runId,
          model,
          quantization,
          modelBytes: load.modelBytes,
          modelSha256: load.variant.modelSha256,
          filesFrom: load.filesFrom,
          prepareMs: load.prepareMs,
          sessionCreateMs: load.sessionCreateMs,
          ...(load.nodesPerLayer === undefined ? {} : { nodesPerLayer: load.nodesPerLayer }),
          ...(load.check === undefined
            ? {}
            : { placement: load.check.placement, checkMs: load.check.checkMs }),
          ...(load.kernelProfile === undefined ? {} : { kernelProfile: load.kernelProfile }),
        });
        continue;
      }
      const variant = loaded.get(item.quantization);
      if (variant === undefined) throw new Error(`plan ran a ${item.quantization} trial before loading it`);
      const prompt = prompts.get(item.promptTokens);
      if (prompt === undefined) throw new Error(`no prompt prepared for ${item.promptTokens} tokens`);
      const context = await contextAt(item.quantization, variant, item.depthTokens);
      const promptText = context === undefined ? prompt.text : prompt.continuation;
      if (promptText === undefined)
        throw new Error(`no continuation prepared for ${item.promptTokens} tokens`);
      report(stepOf(item, config));
      const startedAt = new Date().toISOString();
      const what = `running the ${item.quantization} trial at ${item.promptTokens} tokens${item.depthTokens > 0 ? ` on ${item.depthTokens} tokens of context` : ''}`;
      const measurement = config.graphCapture
        ? await measureCapturedTrial({
            decoder: await capturedAt(item.quantization, variant, prompt.promptTokens),
            device,
            tokenizer,
            promptText,
            syncMode: item.syncMode,
            decodeTokens: config.decodeTokens,
            decodeLoop: config.decodeLoop,
            firstTokenArgmax: config.firstTokenArgmax,
            tokenReadback: config.tokenReadback,
            gpuTimer,
            signal,
            what,
          })
        : await measureTrial({
            device,
            variant,
            tokenizer,
            promptText,
            promptTokens: prompt.promptTokens,
            context,
            syncMode: item.syncMode,
            decodeTokens: config.decodeTokens,
            decodeLoop: config.decodeLoop,
            firstTokenArgmax: config.firstTokenArgmax,
            tokenReadback: config.tokenReadback,
            gpuTimer,
            signal,
            what,
          });
      completedTrials++;
      callbacks.onTrial({
        ...runFields,
        trialIndex: trialIndex++,
        quantization: item.quantization,
        depthTokens: item.depthTokens,
        phase: item.phase,
        repetition: item.repetition,
        syncMode: item.syncMode,
        startedAt,
        // The page marks trials that ran while another tab measured on the same GPU (it knows, the engine not).
        overlapped: false,
        ...variant.recordFields,
        ...measurement,
        ...request.environment,
      });
    }
    return 'done';
  } catch (error) {
    if (signal.aborted) return 'cancelled';
    throw error;
  } finally {
    for (const quantization of contexts.keys()) dropContext(quantization);
    for (const quantization of [...captured.keys()]) await dropCaptured(quantization);
    for (const variant of loaded.values()) await variant.session.release();
    gpuTimer?.destroy();
  }
}
