/** The race page: `window.ttftRace.run(config)` races the contenders and returns every measured run. */
import '../security/zod-jitless';
import { adapterIdentityOf, softwareAdapterReason, type AdapterIdentity } from '../bench/adapter-identity';
import { acquireGpuDevice, adapterLabel } from '../engine/gpu-device';
import { ort } from '../engine/ort-webgpu';
import { errorMessage } from '../error-message';
import { transformersJsVersions } from './contenders/transformers-js';
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

declare global {
  interface Window {
    ttftRace?: { run(input: unknown): Promise<RaceResponse> };
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
        adapter: adapterLabel(gpu.adapter),
        adapterIdentity: adapterIdentityOf(gpu.adapter),
        softwareAdapter: softwareAdapterReason(gpu.adapter),
        engineOnnxruntimeWeb: ort.env.versions.web ?? 'unknown',
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

window.ttftRace = { run };
