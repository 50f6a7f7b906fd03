/**
 * The page's hook for headless runs (the bench CLI): `#autorun=<base64url JSON SweepConfig>` fills the form
 * and starts the sweep, and the state is mirrored on `window.ttftBench` for the driver to read. A driver opts
 * in to autorun through an init script (`window.ttftBenchAutorunOptIn = true`), never through the URL, so a
 * link alone cannot start work on a visitor's GPU.
 */
import { parseSweepConfig } from '../config/sweep-config-schema';
import type { SweepStatus } from '../bench/progress';
import type { GpuBufferAccounting } from '../engine/gpu-buffer-accounting';
import type { SweepConfig } from '../config/sweep-config';
import type { TrialRecord, VariantLoadRecord } from '../results/trial';

export interface AutomationState {
  readonly status: SweepStatus;
  readonly trials: readonly TrialRecord[];
  readonly loads: readonly VariantLoadRecord[];
  readonly gpu: 'probing' | 'ready' | 'unavailable';
}

declare global {
  interface Window {
    ttftBench?: AutomationState;
    /** Set by a headless driver's init script (never by the URL): the hub token for gated models. */
    ttftBenchHubToken?: string;
    /** Set by a headless driver's init script (never by the URL): an #autorun link may start its sweep. */
    ttftBenchAutorunOptIn?: boolean;
    /** The engine worker, for headless drivers and tests (the memory benchmark, the device-loss test). */
    ttftBenchEngine?: {
      /** The app's accounting of GPU buffers on the engine's device. */
      gpuBuffers(): Promise<GpuBufferAccounting | undefined>;
      /** Destroys the engine's device, as a driver reset would. */
      loseDevice(): void;
      devicesAcquired(): number;
    };
    /** Set by tests' init scripts: GPU buffers above this size fail, as on a GPU without the memory. */
    ttftBenchTestBufferCeilingBytes?: number;
    /** Set by tests' init scripts: how soon a silent download counts as stalled (default 30 s). */
    ttftBenchStallTimeoutMs?: number;
  }
}

export function encodeAutorun(config: SweepConfig): string {
  const json = JSON.stringify(config);
  const bytes = new TextEncoder().encode(json);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `autorun=${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

export type AutorunRequest =
  | { readonly kind: 'none' }
  | { readonly kind: 'run'; readonly config: SweepConfig }
  /** A valid autorun link without a driver's opt-in: its configuration is shown with a Run button, not run. */
  | { readonly kind: 'linked'; readonly config: SweepConfig }
  | { readonly kind: 'invalid'; readonly message: string };

export function readAutorun(hash: string): AutorunRequest {
  const match = /^#?autorun=([A-Za-z0-9_-]+)$/.exec(hash);
  if (match === null) return { kind: 'none' };
  try {
    const base64 = match[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
    const parsed = parseSweepConfig(JSON.parse(json));
    return parsed.ok ? { kind: 'run', config: parsed.config } : { kind: 'invalid', message: parsed.message };
  } catch (error) {
    return { kind: 'invalid', message: `the autorun link is damaged: ${String(error)}` };
  }
}

/** Whether a headless driver opted in to autorun: only `true` itself counts, never a truthy value. */
export function autorunOptedIn(scope: { readonly ttftBenchAutorunOptIn?: unknown }): boolean {
  return scope.ttftBenchAutorunOptIn === true;
}

/** What the page does with its fragment: a valid autorun link runs only when a driver opted in. */
export function autorunRequest(hash: string, driverOptedIn: boolean): AutorunRequest {
  const request = readAutorun(hash);
  if (request.kind === 'run' && !driverOptedIn) return { kind: 'linked', config: request.config };
  return request;
}

export function publishAutomationState(state: AutomationState): void {
  window.ttftBench = state;
}
