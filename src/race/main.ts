/**
 * The race page: `window.ttftRace.run(config)` races the contenders and returns every measured run;
 * `window.ttftRace.adapter()` says which adapter it would race on, so a driver can refuse a software one first;
 * `window.ttftRace.publish(config)` builds a built-in model in the page and uploads it to the GPU kit's hub as a
 * repository to race (a Llama-3.2-1B-sized model is made where it runs instead of being carried there).
 */
import '../security/zod-jitless';
import {
  adapterIdentityOf,
  adapterIdentityLabel,
  checkAdapter,
  softwareAdapterReason,
  type AdapterCheck,
  type AdapterIdentity,
} from '../bench/adapter-identity';
import { acquireGpuDevice, captureAdapterIdentity, requestGpuAdapter } from '../engine/gpu-device';
import { errorMessage } from '../error-message';
import { transformersJsVersions } from './contenders/transformers-js';
import { parsePublishConfig, type PublishConfig } from './publish-config';
import { publishBuiltInRepository, type PublishOutcome } from './publish';
import { parseRaceConfig, type RaceConfig } from './race-config';
import { runRace, type RaceOutcome } from './run-race';

export interface RaceEnvironment {
  readonly userAgent: string;
  readonly adapter: string;
  readonly adapterIdentity: AdapterIdentity;
  /** Why the race measured a CPU rather than a GPU; undefined on a hardware adapter. */
  readonly softwareAdapter: string | undefined;
  readonly engineOnnxruntimeWeb: string;
  readonly transformersJs: string;
  readonly transformersJsOnnxruntimeWeb: string;
}

export type RaceResponse =
  | ({ readonly ok: true; readonly config: RaceConfig; readonly environment: RaceEnvironment } & RaceOutcome)
  | { readonly ok: false; readonly message: string };

export type PublishResponse =
  | ({ readonly ok: true; readonly config: PublishConfig; readonly userAgent: string } & PublishOutcome)
  | { readonly ok: false; readonly message: string };

declare global {
  interface Window {
    ttftRace?: {
      run(input: unknown): Promise<RaceResponse>;
      adapter(): Promise<AdapterCheck>;
      publish(input: unknown): Promise<PublishResponse>;
    };
    /** Exposed by the driving script to stream progress lines. */
    ttftRaceProgress?: (line: string) => Promise<void>;
  }
}

const status = document.getElementById('race-status');
const show = (line: string) => {
  if (status !== null) status.textContent = line;
  void window.ttftRaceProgress?.(line);
};

async function run(input: unknown): Promise<RaceResponse> {
  const parsed = parseRaceConfig(input);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const gpu = await acquireGpuDevice();
  if (gpu.kind === 'unavailable') return { ok: false, message: gpu.reason };
  try {
    const outcome = await runRace(parsed.config, gpu.device, show, new AbortController().signal);
    const theirs = transformersJsVersions();
    show(`done: ${outcome.trials.length} runs`);
    return {
      ok: true,
      config: parsed.config,
      environment: {
        userAgent: navigator.userAgent,
        adapter: adapterIdentityLabel(gpu.adapter),
        adapterIdentity: adapterIdentityOf(gpu.adapter),
        softwareAdapter: softwareAdapterReason(gpu.adapter),
        engineOnnxruntimeWeb: __ORT_WEB_VERSION__,
        transformersJs: theirs.transformersJs,
        transformersJsOnnxruntimeWeb: theirs.onnxruntimeWeb,
      },
      ...outcome,
    };
  } catch (error) {
    show(`failed: ${errorMessage(error)}`);
    return { ok: false, message: errorMessage(error) };
  } finally {
    gpu.device.destroy();
  }
}

async function adapter(): Promise<AdapterCheck> {
  const requested = await requestGpuAdapter();
  return requested.kind === 'adapter' ? checkAdapter(captureAdapterIdentity(requested.adapter)) : requested;
}

async function publish(input: unknown): Promise<PublishResponse> {
  const parsed = parsePublishConfig(input);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  try {
    const outcome = await publishBuiltInRepository(parsed.config, show, new AbortController().signal);
    show(`published ${parsed.config.modelId} at ${outcome.commit}`);
    return { ok: true, config: parsed.config, userAgent: navigator.userAgent, ...outcome };
  } catch (error) {
    show(`publishing failed: ${errorMessage(error)}`);
    return { ok: false, message: errorMessage(error) };
  }
}

window.ttftRace = { run, adapter, publish };
