/**
 * Is this WebGPU adapter a CPU implementation? Its numbers are then a CPU's, and the page picks a small default
 * sweep. The same rule as branch gpukit's softwareAdapterReason (src/bench/adapter-identity.ts): the adapter's
 * names mention a software renderer, or the browser marks it as a fallback adapter. When both branches are on
 * main, this module should become a call to that one.
 */

/** What GPUAdapterInfo tells (isFallbackAdapter where the browser exposes it). */
export interface AdapterNames {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter?: boolean | undefined;
}

/** CPU implementations of graphics APIs, as adapters name themselves. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|lavapipe|microsoft basic render|\bwarp\b/i;

export function isSoftwareAdapter(adapter: AdapterNames): boolean {
  const names = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].join(' ');
  return SOFTWARE_RENDERERS.test(names) || adapter.isFallbackAdapter === true;
}

/** The same judgement from the one-line label trials record (`google / swiftshader`). */
export function isSoftwareAdapterLabel(label: string): boolean {
  return SOFTWARE_RENDERERS.test(label);
}
