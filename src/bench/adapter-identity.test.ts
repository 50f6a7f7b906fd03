import { describe, expect, it } from 'vitest';
import {
  adapterIdentityDetails,
  adapterIdentityOf,
  checkAdapter,
  adapterIdentityLabel,
  softwareAdapterReason,
  type AdapterIdentity,
} from './adapter-identity';

// SwiftShader as Chromium 156 reports it here; an NVIDIA adapter without developer features (vendor only),
// its WebGL renderer in the form the issue quotes (the exact version string is illustrative).
const SWIFTSHADER: AdapterIdentity = {
  vendor: 'google',
  architecture: 'swiftshader',
  device: '',
  description: '',
  isFallbackAdapter: true,
  subgroupMinSize: 4,
  subgroupMaxSize: 4,
  webglRenderer:
    'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
  crossOriginIsolated: true,
};
const H200: AdapterIdentity = {
  vendor: 'nvidia',
  architecture: '',
  device: '',
  description: '',
  isFallbackAdapter: false,
  subgroupMinSize: 32,
  subgroupMaxSize: 32,
  webglRenderer: 'ANGLE (NVIDIA, NVIDIA H200 (0x00002335), Vulkan 1.4.312 (NVIDIA H200 (0x00002335)))',
  crossOriginIsolated: true,
};

describe('adapterIdentityLabel', () => {
  it("names the GPU from WebGL's renderer where WebGPU gives only the vendor", () => {
    expect(adapterIdentityLabel(H200)).toBe(
      'nvidia (WebGL: ANGLE (NVIDIA, NVIDIA H200 (0x00002335), Vulkan 1.4.312 (NVIDIA H200 (0x00002335))))',
    );
  });

  it("keeps WebGPU's own name when it has one (developer features fill in the description)", () => {
    expect(adapterIdentityLabel({ ...H200, device: '0x2335', description: 'NVIDIA H200' })).toBe(
      'nvidia / 0x2335 / NVIDIA H200',
    );
  });

  it('says so when nothing names the adapter', () => {
    const blank = { ...H200, vendor: '', webglRenderer: undefined };
    expect(adapterIdentityLabel(blank)).toBe('unknown adapter');
  });
});

describe('softwareAdapterReason', () => {
  it('recognizes SwiftShader by its architecture, before the fallback flag', () => {
    expect(softwareAdapterReason(SWIFTSHADER)).toBe(
      "the adapter is SwiftShader, Chromium's CPU implementation of Vulkan",
    );
  });

  it('recognizes Mesa and Windows CPU renderers by name', () => {
    const mesa = { ...H200, vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' };
    expect(softwareAdapterReason(mesa)).toBe("the adapter is llvmpipe, Mesa's CPU renderer");
    const warp = { ...H200, vendor: 'microsoft', description: 'Microsoft Basic Render Driver' };
    expect(softwareAdapterReason(warp)).toContain('WARP');
  });

  it('trusts the fallback flag for an adapter it does not know', () => {
    expect(softwareAdapterReason({ ...H200, vendor: 'acme', isFallbackAdapter: true })).toBe(
      'the browser marks the adapter as a fallback adapter',
    );
  });

  it('calls a hardware adapter hardware, also where the browser does not expose the fallback flag', () => {
    expect(softwareAdapterReason(H200)).toBeUndefined();
    expect(softwareAdapterReason({ ...H200, isFallbackAdapter: undefined })).toBeUndefined();
  });

  it("does not judge by WebGL's renderer, which follows another path than WebGPU", () => {
    const webglOnSwiftShader = { ...H200, webglRenderer: SWIFTSHADER.webglRenderer };
    expect(softwareAdapterReason(webglOnSwiftShader)).toBeUndefined();
  });

  it('treats no adapter as no GPU', () => {
    expect(softwareAdapterReason(undefined)).toBe('the page got no WebGPU adapter');
  });
});

describe('adapterIdentityDetails', () => {
  it('lists the fallback flag, subgroup sizes, renderer and isolation', () => {
    const named = { ...SWIFTSHADER, description: 'SwiftShader Device', subgroupMaxSize: 128 };
    expect(adapterIdentityDetails(named)).toEqual([
      'fallback adapter: yes',
      'subgroup size: 4–128',
      `WebGL renderer: ${SWIFTSHADER.webglRenderer}`,
      'cross-origin isolated: yes',
    ]);
  });

  it('leaves out the renderer where the label already shows it', () => {
    expect(adapterIdentityDetails(SWIFTSHADER)).toEqual([
      'fallback adapter: yes',
      'subgroup size: 4',
      'cross-origin isolated: yes',
    ]);
  });

  it('says what the browser did not expose', () => {
    const bare = {
      ...H200,
      isFallbackAdapter: undefined,
      subgroupMinSize: undefined,
      subgroupMaxSize: undefined,
      webglRenderer: undefined,
      crossOriginIsolated: false,
    };
    expect(adapterIdentityDetails(bare)).toEqual([
      'fallback adapter: not exposed',
      'WebGL renderer: not exposed',
      'cross-origin isolated: no',
    ]);
  });
});

describe('adapterIdentityOf', () => {
  it('keeps the identity and drops everything else', () => {
    const summary = { ...H200, features: ['subgroups'], maxBufferSizeBytes: 4 * 2 ** 30 };
    expect(adapterIdentityOf(summary)).toEqual(H200);
  });
});

describe('checkAdapter', () => {
  it('labels the adapter and says whether it is software, keeping whatever else the record holds', () => {
    const summary = { ...SWIFTSHADER, maxBufferSizeBytes: 2 ** 30 };
    expect(checkAdapter(summary)).toEqual({
      kind: 'ready',
      adapter: summary,
      label: adapterIdentityLabel(SWIFTSHADER),
      softwareReason: "the adapter is SwiftShader, Chromium's CPU implementation of Vulkan",
    });
    expect(checkAdapter(H200).softwareReason).toBeUndefined();
  });
});
