import { describe, expect, it } from 'vitest';
import { SWIFTSHADER_ADAPTER } from '../bench/adapter-fixture';
import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import type { AdapterSummary } from '../engine/gpu-device';
import { adapterCheckOf, autorunOptedIn, autorunRequest, encodeAutorun, readAutorun } from './automation';

const LINK = `#${encodeAutorun(DEFAULT_SWEEP_CONFIG)}`;

describe('autorun needs the driver', () => {
  it("runs a valid autorun link when the driver's init script opted in", () => {
    expect(autorunRequest(LINK, true)).toEqual({ kind: 'run', config: DEFAULT_SWEEP_CONFIG });
  });

  it('only shows the linked configuration when nobody opted in (a link alone starts nothing)', () => {
    expect(autorunRequest(LINK, false)).toEqual({ kind: 'linked', config: DEFAULT_SWEEP_CONFIG });
  });

  it('reports a damaged link whether or not a driver opted in', () => {
    const damaged = `${LINK.slice(0, 20)}`;
    expect(autorunRequest(damaged, false).kind).toBe('invalid');
    expect(autorunRequest(damaged, true)).toEqual(readAutorun(damaged));
    expect(autorunRequest('#share=1.abc', true)).toEqual({ kind: 'none' });
  });

  it('carries graph capture; a link made before the option runs without it', () => {
    const captured = { ...DEFAULT_SWEEP_CONFIG, graphCapture: true };
    expect(readAutorun(`#${encodeAutorun(captured)}`)).toEqual({ kind: 'run', config: captured });
    const older: Record<string, unknown> = { ...captured };
    delete older['graphCapture'];
    const olderLink = `#autorun=${Buffer.from(JSON.stringify(older)).toString('base64url')}`;
    expect(readAutorun(olderLink)).toEqual({ kind: 'run', config: { ...captured, graphCapture: false } });
  });

  it('counts only a literal true as the opt-in, never a string a page could be tricked into', () => {
    expect(autorunOptedIn({ ttftBenchAutorunOptIn: true })).toBe(true);
    for (const value of [undefined, false, 'true', 1, {}]) {
      expect(autorunOptedIn({ ttftBenchAutorunOptIn: value })).toBe(false);
    }
    expect(autorunOptedIn({})).toBe(false);
  });
});

describe('adapterCheckOf', () => {
  // Without WebGL's renderer, so the label is WebGPU's names alone.
  const swiftShader: AdapterSummary = { ...SWIFTSHADER_ADAPTER, webglRenderer: undefined };

  it('names the adapter and says why a software one is not a GPU', () => {
    expect(adapterCheckOf({ kind: 'ready', adapter: swiftShader })).toEqual({
      kind: 'ready',
      adapter: swiftShader,
      label: 'google / swiftshader',
      softwareReason: "the adapter is SwiftShader, Chromium's CPU implementation of Vulkan",
    });
  });

  it('has no software reason for a hardware adapter', () => {
    const nvidia = { ...swiftShader, vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false };
    const check = adapterCheckOf({ kind: 'ready', adapter: nvidia });
    expect(check?.kind === 'ready' && check.softwareReason).toBeUndefined();
    expect(check?.kind === 'ready' && check.label).toBe('nvidia / hopper');
  });

  it('passes on why there is no adapter, and nothing while the engine still looks', () => {
    expect(adapterCheckOf({ kind: 'unavailable', reason: 'no WebGPU' })).toEqual({
      kind: 'unavailable',
      reason: 'no WebGPU',
    });
    expect(adapterCheckOf({ kind: 'probing' })).toBeUndefined();
  });
});
