/**
 * Runs the race in the page: one hub repository at one commit, the same prompts, the same browser, each
 * contender loaded per quantization level and their first-token runs interleaved (see race-plan).
 */
import { buildPromptOfLength } from '../bench/prompt';
import { resolveUrl } from '../hub/hub-api';
import type { ModelProvider } from '../engine/types';
import { openHubRepository } from '../hub/hub-repository';
import { repositorySource } from '../hub/repository-source';
import { providerFromSource } from '../engine/model-provider';
import { inspectRepository, type InspectedModel } from '../hub/repository';
import { externalDataLocation } from '../hub/variants';
import type { LmHead } from '../config/sweep-config';
import type { Quantization } from '../model/config';
import type { Contender, RacePrompt, VariantUrls } from './contender';
import { loadEngineContender } from './contenders/engine';
import { loadFloorContender } from './contenders/floor';
import { loadTransformersJsContender } from './contenders/transformers-js';
import type { ContenderName, RaceConfig } from './race-config';
import { planRaceRuns } from './race-plan';
import type { RaceTrial } from './race-summary';

export interface RaceLoad {
  readonly contender: ContenderName;
  readonly quantization: Quantization;
  readonly loadMs: number;
  readonly lmHead: LmHead | undefined;
}

export interface RaceOutcome {
  readonly commit: string;
  readonly loads: readonly RaceLoad[];
  readonly trials: readonly RaceTrial[];
}

function variantOf(inspected: InspectedModel, quantization: Quantization) {
  const variant = inspected.variants.find((candidate) => candidate.quantization === quantization);
  if (variant === undefined) throw new Error(`the repository has no ${quantization} variant`);
  return variant;
}

function variantUrls(config: RaceConfig, inspected: InspectedModel, quantization: Quantization): VariantUrls {
  const variant = variantOf(inspected, quantization);
  const { commit } = inspected.repository;
  const url = (path: string) => resolveUrl(config.hubUrl, config.modelId, commit, path);
  return {
    model: url(variant.modelFile.path),
    externalData: variant.externalDataFiles.map((file) => ({
      path: externalDataLocation(file),
      url: url(file.path),
    })),
  };
}

interface ContenderLoad {
  readonly name: ContenderName;
  readonly device: GPUDevice;
  /** The engine's provider: the same tokenizer made the prompts. */
  readonly engineProvider: ModelProvider;
  readonly config: RaceConfig;
  readonly inspected: InspectedModel;
  readonly quantization: Quantization;
  readonly signal: AbortSignal;
}

async function loadContender({
  name,
  device,
  engineProvider,
  config,
  inspected,
  quantization,
  signal,
}: ContenderLoad): Promise<Contender> {
  switch (name) {
    case 'engine':
      return loadEngineContender({
        device,
        provider: engineProvider,
        quantization,
        signal,
        runtime: config.runtime,
      });
    case 'floor':
      return loadFloorContender(device, variantUrls(config, inspected, quantization), config.runtime);
    case 'transformers.js': {
      const variant = variantOf(inspected, quantization);
      return loadTransformersJsContender({
        hubUrl: config.hubUrl,
        modelId: config.modelId,
        commit: inspected.repository.commit,
        modelPath: variant.modelFile.path,
        externalDataFiles: variant.externalDataFiles.length,
      });
    }
  }
}

export async function runRace(
  config: RaceConfig,
  device: GPUDevice,
  onProgress: (line: string) => void,
  signal: AbortSignal,
): Promise<RaceOutcome> {
  const repository = await openHubRepository(
    { kind: 'hub', id: config.modelId, revision: config.revision, hubUrl: config.hubUrl },
    {},
    signal,
  );
  const inspected = await inspectRepository(repository, signal);
  // One provider: its tokenizer (built from the repository's tokenizer.json) makes the prompts and runs the engine.
  const engineProvider = await providerFromSource(repositorySource(inspected, config.engineLmHead));
  const tokenizer = engineProvider.tokenizer;
  const prompts = new Map<number, RacePrompt>();
  for (const length of config.promptLengths) {
    const { text } = buildPromptOfLength(tokenizer, length);
    prompts.set(length, { text, tokenIds: tokenizer.encode(text) });
  }
  const loads: RaceLoad[] = [];
  const trials: RaceTrial[] = [];
  for (const quantization of config.quantizations) {
    const contenders: Contender[] = [];
    try {
      for (const name of config.contenders) {
        onProgress(`${quantization}: loading ${name}`);
        const started = performance.now();
        const contender = await loadContender({
          name,
          device,
          engineProvider,
          config,
          inspected,
          quantization,
          signal,
        });
        contenders.push(contender);
        loads.push({
          contender: name,
          quantization,
          loadMs: performance.now() - started,
          lmHead: contender.lmHead,
        });
      }
      for (const [promptTokens, prompt] of prompts) {
        const runs = planRaceRuns(contenders.length, config.warmupRuns, config.repetitions);
        for (const run of runs) {
          if (signal.aborted) throw new DOMException('The race was cancelled', 'AbortError');
          const contender = contenders[run.contender]!;
          const { ttftMs, firstTokenId, beforeRunMs } = await contender.firstToken(prompt);
          trials.push({
            contender: contender.name,
            quantization,
            promptTokens,
            phase: run.phase,
            round: run.round,
            ttftMs,
            firstTokenId,
            ...(beforeRunMs === undefined ? {} : { beforeRunMs }),
          });
          onProgress(
            `${quantization} pp${promptTokens} ${run.phase} ${run.round + 1}: ${contender.name} ${ttftMs.toFixed(1)} ms`,
          );
        }
      }
    } finally {
      for (const contender of contenders) await contender.release();
    }
  }
  return { commit: repository.commit, loads, trials };
}
