/** Captures where a run is measured: adapter, browser, OS, library versions. Browser-only. */
import type { RunEnvironment } from '../results/trial';
import { adapterIdentityLabel } from '../bench/adapter-identity';
import type { AdapterSummary } from './gpu-device';

interface UserAgentData {
  readonly brands: readonly { readonly brand: string; readonly version: string }[];
  getHighEntropyValues?(hints: string[]): Promise<Record<string, unknown>>;
}

function userAgentData(): UserAgentData | undefined {
  return (navigator as Navigator & { userAgentData?: UserAgentData }).userAgentData;
}

/** A short browser label (brand and version first) followed by the full user agent. */
export function browserLabel(): string {
  const brands = userAgentData()?.brands;
  const named = brands?.filter((entry) => !/not.?a.?brand/i.test(entry.brand) && entry.brand !== 'Chromium');
  const brand = named?.[0] ?? brands?.find((entry) => entry.brand === 'Chromium');
  const prefix = brand === undefined ? '' : `${brand.brand} ${brand.version}; `;
  return `${prefix}${navigator.userAgent}`;
}

/** "Windows 15.0.0 x86" from User-Agent Client Hints, or navigator.platform where they are missing. */
export async function operatingSystem(): Promise<string> {
  try {
    const hints = await userAgentData()?.getHighEntropyValues?.([
      'platform',
      'platformVersion',
      'architecture',
    ]);
    if (hints !== undefined) {
      const parts = [hints['platform'], hints['platformVersion'], hints['architecture']].filter(
        (part): part is string => typeof part === 'string' && part !== '',
      );
      if (parts.length > 0) return parts.join(' ');
    }
  } catch {
    // Client hints are optional; fall through to the legacy field.
  }
  return navigator.platform || 'unknown';
}

export async function captureEnvironment(adapter: AdapterSummary): Promise<RunEnvironment> {
  return {
    adapter: adapterIdentityLabel(adapter),
    adapterVendor: adapter.vendor,
    adapterArchitecture: adapter.architecture,
    adapterDevice: adapter.device,
    adapterDescription: adapter.description,
    adapterIsFallback: adapter.isFallbackAdapter,
    subgroupMinSize: adapter.subgroupMinSize,
    subgroupMaxSize: adapter.subgroupMaxSize,
    webglRenderer: adapter.webglRenderer,
    crossOriginIsolated: adapter.crossOriginIsolated,
    adapterFeatures: adapter.features.join(' '),
    maxBufferSizeBytes: adapter.maxBufferSizeBytes,
    maxStorageBufferBindingSizeBytes: adapter.maxStorageBufferBindingSizeBytes,
    browser: browserLabel(),
    os: await operatingSystem(),
    onnxruntimeWebVersion: __ORT_WEB_VERSION__,
    appVersion: __APP_VERSION__,
  };
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
