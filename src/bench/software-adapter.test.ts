import { describe, expect, it } from 'vitest';
import { isSoftwareAdapter, isSoftwareAdapterLabel } from './software-adapter';

const named = (vendor: string, architecture: string, description = '') => ({
  vendor,
  architecture,
  device: '',
  description,
});

describe('software adapters', () => {
  it("recognizes SwiftShader as Chromium reports it (the e2e machine's adapter)", () => {
    expect(isSoftwareAdapter(named('google', 'swiftshader'))).toBe(true);
  });

  it("recognizes Mesa's and Windows' CPU renderers by name, in any case", () => {
    expect(isSoftwareAdapter(named('mesa', '', 'llvmpipe (LLVM 15.0.6, 256 bits)'))).toBe(true);
    expect(isSoftwareAdapter(named('mesa', '', 'Lavapipe'))).toBe(true);
    expect(isSoftwareAdapter(named('microsoft', '', 'Microsoft Basic Render Driver'))).toBe(true);
  });

  it('trusts the fallback flag where the browser sets it', () => {
    expect(isSoftwareAdapter({ ...named('', ''), isFallbackAdapter: true })).toBe(true);
  });

  it('calls real GPUs hardware, including vendors whose names contain "warp" inside a word', () => {
    expect(isSoftwareAdapter(named('nvidia', 'hopper', 'NVIDIA H200'))).toBe(false);
    expect(isSoftwareAdapter(named('apple', 'metal-3'))).toBe(false);
    expect(isSoftwareAdapter(named('intel', 'gen-12lp', 'Intel(R) Iris(R) Xe Graphics'))).toBe(false);
    expect(isSoftwareAdapter(named('acme', '', 'Hyperwarp 9000'))).toBe(false);
    expect(isSoftwareAdapter({ ...named('nvidia', 'ampere'), isFallbackAdapter: false })).toBe(false);
  });

  it('judges the label a trial records the same way', () => {
    expect(isSoftwareAdapterLabel('google / swiftshader')).toBe(true);
    expect(isSoftwareAdapterLabel('nvidia / hopper / NVIDIA H200')).toBe(false);
  });
});
