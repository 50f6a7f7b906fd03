/**
 * Runs a planned sweep: build each quantization level's model, create its session, run the planned trials in
 * the planned order, release sessions when the plan says and everything at the end (also on failure or
 * cancel). It measures and records; the plan decides what and in which order.
 */
import { planSweep, type PlanItem } from '../bench/plan';
import { buildPromptOfLength, measureCustomPrompt } from '../bench/prompt';
import type { SweepProgress, SweepStep } from '../bench/progress';
import type { SweepConfig } from '../bench/sweep-config';
import type { Quantization } from '../model/config';
import type { RunEnvironment, TrialRecord, VariantLoadRecord } from '../results/trial';
import type { TextTokenizer } from '../tokenizer/tokenizer';
import { summarize } from '../bench/statistics';
import { describeDecoderIo, type DecoderIo } from './decoder-io';
import { sha256Hex } from './environment';
import { GpuSpanTimer } from './gpu-span-timer';
import { configureOrt, createWebGpuSession, type ModelFiles, type ort } from './ort-webgpu';
import { runTrial } from './trial';

export interface ModelBuildRequest {
  readonly config: SweepConfig;
  readonly quantization: Quantization;
}

export type ModelBuilder = (request: ModelBuildRequest, signal: AbortSignal) => Promise<ModelFiles>;

export interface SweepEnvironment {
  readonly device: GPUDevice;
  /** Copied into every trial record. */
  readonly environment: RunEnvironment;
  readonly tokenizer: TextTokenizer;
  readonly buildModel: ModelBuilder;
}

export interface SweepCallbacks {
  onProgress(progress: SweepProgress): void;
  onTrial(trial: TrialRecord): void;
  onLoad(load: VariantLoadRecord): void;
}

export type SweepOutcome = 'done' | 'cancelled';

interface LoadedVariant {
  readonly session: ort.InferenceSession;
  readonly io: DecoderIo;
  readonly modelSha256: string;
}

interface PreparedPrompt {
  readonly text: string;
  readonly promptTokens: number;
}

function preparePrompts(config: SweepConfig, tokenizer: TextTokenizer): Map<number, PreparedPrompt> {
  const prompts = new Map<number, PreparedPrompt>();
  if (config.customPrompt !== undefined) {
    const measured = measureCustomPrompt(tokenizer, config.customPrompt);
    prompts.set(measured.promptTokens, { text: config.customPrompt, promptTokens: measured.promptTokens });
    return prompts;
  }
  for (const length of config.promptLengths) {
    const prompt = buildPromptOfLength(tokenizer, length);
    prompts.set(length, { text: prompt.text, promptTokens: prompt.promptTokens });
  }
  return prompts;
}

function stepOf(item: PlanItem & { kind: 'trial' }, config: SweepConfig): SweepStep {
  if (item.phase === 'warm') {
    return {
      kind: 'measuring',
      quantization: item.quantization,
      promptTokens: item.promptTokens,
      repetition: item.repetition,
      of: config.repetitions,
    };
  }
  return {
    kind: 'warmup',
    quantization: item.quantization,
    promptTokens: item.promptTokens,
    run: item.warmupRun,
    of: config.warmupRuns,
  };
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('The sweep was cancelled', 'AbortError');
}

export async function runSweep(
  config: SweepConfig,
  environment: SweepEnvironment,
  callbacks: SweepCallbacks,
  signal: AbortSignal,
): Promise<SweepOutcome> {
  const runId = crypto.randomUUID();
  callbacks.onProgress({
    step: { kind: 'preparing', detail: 'Tokenizing prompts' },
    completedTrials: 0,
    totalTrials: 0,
  });
  const prompts = preparePrompts(config, environment.tokenizer);
  const plan = planSweep(config, [...prompts.keys()]);
  const totalTrials = plan.filter((item) => item.kind === 'trial').length;
  let completedTrials = 0;
  let trialIndex = 0;
  const loaded = new Map<Quantization, LoadedVariant>();
  const gpuTimer = GpuSpanTimer.create(environment.device);
  const report = (step: SweepStep) => callbacks.onProgress({ step, completedTrials, totalTrials });

  try {
    for (const item of plan) {
      if (signal.aborted) return 'cancelled';
      if (item.kind === 'release') {
        await loaded.get(item.quantization)?.session.release();
        loaded.delete(item.quantization);
        continue;
      }
      if (item.kind === 'load') {
        report({ kind: 'building', quantization: item.quantization });
        const buildStart = performance.now();
        const files = await environment.buildModel({ config, quantization: item.quantization }, signal);
        const buildMs = performance.now() - buildStart;
        throwIfAborted(signal);
        const modelSha256 = await sha256Hex(files.modelBytes);
        report({ kind: 'compiling', quantization: item.quantization });
        configureOrt(environment.device);
        const createStart = performance.now();
        const session = await createWebGpuSession(environment.device, files);
        const sessionCreateMs = performance.now() - createStart;
        loaded.set(item.quantization, {
          session,
          io: describeDecoderIo(session.inputMetadata, session.outputMetadata),
          modelSha256,
        });
        callbacks.onLoad({
          runId,
          modelPreset: config.modelPreset,
          quantization: item.quantization,
          modelBytes:
            files.modelBytes.byteLength +
            files.externalData.reduce((sum, file) => sum + file.data.byteLength, 0),
          modelSha256,
          buildMs,
          sessionCreateMs,
        });
        continue;
      }
      const variant = loaded.get(item.quantization);
      if (variant === undefined) throw new Error(`plan ran a ${item.quantization} trial before loading it`);
      const prompt = prompts.get(item.promptTokens);
      if (prompt === undefined) throw new Error(`no prompt prepared for ${item.promptTokens} tokens`);
      report(stepOf(item, config));
      const startedAt = new Date().toISOString();
      const timing = await runTrial(
        variant.session,
        environment.device,
        variant.io,
        environment.tokenizer,
        prompt.text,
        prompt.promptTokens,
        item.syncMode,
        config.decodeTokens,
        gpuTimer,
      );
      completedTrials++;
      const decodeStats = timing.decodeStepMs.length === 0 ? undefined : summarize(timing.decodeStepMs);
      callbacks.onTrial({
        runId,
        trialIndex: trialIndex++,
        modelPreset: config.modelPreset,
        quantization: item.quantization,
        promptTokens: timing.promptTokens,
        promptSource: config.customPrompt === undefined ? 'generated' : 'custom',
        phase: item.phase,
        repetition: item.repetition,
        syncMode: item.syncMode,
        ttftMs: timing.ttftMs,
        tokenizeMs: timing.tokenizeMs,
        uploadMs: timing.uploadMs,
        prefillMs: timing.prefillMs,
        gpuWaitMs: timing.gpuWaitMs,
        gpuSpanMs: timing.gpuSpanMs,
        readbackMs: timing.readbackMs,
        samplingMs: timing.samplingMs,
        firstTokenId: timing.firstTokenId,
        decodeTokens: timing.decodedTokenIds.length,
        decodeMsPerTokenMedian: decodeStats?.median ?? 0,
        decodeMsPerTokenP90: decodeStats?.p90 ?? 0,
        decodeTokensPerSecond: decodeStats === undefined ? 0 : 1000 / decodeStats.mean,
        decodedTokenIds: timing.decodedTokenIds.join(' '),
        weightSeed: config.weightSeed,
        modelSha256: variant.modelSha256,
        ...environment.environment,
        startedAt,
      });
    }
    return 'done';
  } catch (error) {
    if (signal.aborted) return 'cancelled';
    throw error;
  } finally {
    for (const variant of loaded.values()) await variant.session.release();
    gpuTimer?.destroy();
  }
}
