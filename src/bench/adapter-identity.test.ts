import { describe, expect, it } from 'vitest';
import {
  adapterIdentityDetails,
  adapterIdentityOf,
  checkAdapter,
  adapterIdentityLabel,
  recordedSoftwareAdapterReason,
  softwareAdapterReason,
  type AdapterIdentity,
} from './adapter-identity';
import { SWIFTSHADER_IDENTITY } from './adapter-fixture';

const SWIFTSHADER = SWIFTSHADER_IDENTITY;
// An NVIDIA adapter without developer features (vendor only), its WebGL renderer in the form the issue quotes
// (the exact version string is illustrative).
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

  it('recognizes Mesa and Windows CPU renderers by name, in any case', () => {
    const mesa = { ...H200, vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' };
    expect(softwareAdapterReason(mesa)).toBe("the adapter is llvmpipe, Mesa's CPU renderer");
    expect(softwareAdapterReason({ ...H200, vendor: 'mesa', description: 'Lavapipe' })).toBe(
      "the adapter is lavapipe, Mesa's CPU implementation of Vulkan",
    );
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

  it('calls real GPUs hardware, including vendors whose names contain "warp" inside a word', () => {
    const named = (vendor: string, architecture: string, description = '') => ({
      ...H200,
      vendor,
      architecture,
      description,
      isFallbackAdapter: undefined,
    });
    expect(softwareAdapterReason(named('nvidia', 'hopper', 'NVIDIA H200'))).toBeUndefined();
    expect(softwareAdapterReason(named('apple', 'metal-3'))).toBeUndefined();
    expect(softwareAdapterReason(named('intel', 'gen-12lp', 'Intel(R) Iris(R) Xe Graphics'))).toBeUndefined();
    expect(softwareAdapterReason(named('acme', '', 'Hyperwarp 9000'))).toBeUndefined();
  });

  it("does not judge by WebGL's renderer, which follows another path than WebGPU", () => {
    const webglOnSwiftShader = { ...H200, webglRenderer: SWIFTSHADER.webglRenderer };
    expect(softwareAdapterReason(webglOnSwiftShader)).toBeUndefined();
  });

  it('treats no adapter as no GPU', () => {
    expect(softwareAdapterReason(undefined)).toBe('the page got no WebGPU adapter');
  });
});

describe('recordedSoftwareAdapterReason', () => {
  const recorded = (identity: AdapterIdentity) => ({
    adapter: adapterIdentityLabel(identity),
    adapterVendor: identity.vendor,
    adapterArchitecture: identity.architecture,
    adapterDevice: identity.device,
    adapterDescription: identity.description,
    adapterIsFallback: identity.isFallbackAdapter,
  });

  it("judges the adapter a trial ran on by the trial's own identity fields, like the live adapter", () => {
    expect(recordedSoftwareAdapterReason(recorded(SWIFTSHADER))).toBe(softwareAdapterReason(SWIFTSHADER));
    expect(recordedSoftwareAdapterReason(recorded(H200))).toBeUndefined();
    const flagged = { ...H200, vendor: 'acme', isFallbackAdapter: true };
    expect(recordedSoftwareAdapterReason(recorded(flagged))).toBe(
      'the browser marks the adapter as a fallback adapter',
    );
  });

  it('never by the WebGL renderer its label may carry (an H200 whose WebGL runs on SwiftShader)', () => {
    const webglOnSwiftShader = { ...H200, webglRenderer: SWIFTSHADER.webglRenderer };
    expect(recordedSoftwareAdapterReason(recorded(webglOnSwiftShader))).toBeUndefined();
    const unnamed = { ...webglOnSwiftShader, vendor: '', isFallbackAdapter: undefined };
    expect(recordedSoftwareAdapterReason(recorded(unnamed))).toBeUndefined();
  });

  it('judges a record from before the identity fields by its label', () => {
    const older = (adapter: string) => ({
      adapter,
      adapterVendor: '',
      adapterArchitecture: '',
      adapterDevice: '',
      adapterDescription: '',
      adapterIsFallback: undefined,
    });
    expect(recordedSoftwareAdapterReason(older('google / swiftshader'))).toBe(
      "the adapter is SwiftShader, Chromium's CPU implementation of Vulkan",
    );
    expect(recordedSoftwareAdapterReason(older('nvidia / hopper / NVIDIA H200'))).toBeUndefined();
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
