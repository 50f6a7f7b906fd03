/** The GPUDevice this app measures on, created by the app and handed to onnxruntime. */
import type { AdapterIdentity } from '../bench/adapter-identity';
import { requestAdapterWithRetry } from './adapter-request';
import { featuresToRequest } from './device-features';
import { installGpuBufferAccounting } from './gpu-buffer-accounting';
import { watchGpuErrors } from './gpu-errors';

/** The adapter's identity plus what the form and the engine need to know of its capabilities. */
export interface AdapterSummary extends AdapterIdentity {
  readonly features: readonly string[];
  readonly maxBufferSizeBytes: number;
  readonly maxStorageBufferBindingSizeBytes: number;
  readonly hasShaderF16: boolean;
  readonly hasTimestampQuery: boolean;
}

export type GpuAcquisition =
  | { readonly kind: 'ready'; readonly device: GPUDevice; readonly adapter: AdapterSummary }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Limits raised to the adapter's maximum: large models need big storage buffers. */
const RAISED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxStorageBuffersPerShaderStage',
] as const;

export const NO_WEBGPU_HELP =
  'This browser does not expose WebGPU. Use a recent Chrome or Edge (113+) on a machine with a supported GPU; ' +
  'on Linux start Chrome with --enable-unsafe-webgpu (and --enable-features=Vulkan), and check chrome://gpu. ' +
  'WebGPU also needs a secure context: https:// or http://localhost.';

/**
 * WebGL's unmasked renderer string, which names the GPU (`ANGLE (NVIDIA, NVIDIA H200 …, Vulkan)`) where
 * WebGPU gives only its vendor. OffscreenCanvas, so it works in the engine's worker as well as on a page.
 */
function webglRenderer(): string | undefined {
  try {
    if (typeof OffscreenCanvas === 'undefined') return undefined;
    const gl = new OffscreenCanvas(1, 1).getContext('webgl');
    if (gl === null) return undefined;
    const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer: unknown =
      debugInfo === null ? undefined : gl.getParameter(debugInfo.UNMASKED_RENDERER_WEBGL);
    // Give the context back at once: it is not needed again, and contexts are a limited resource.
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return typeof renderer === 'string' && renderer !== '' ? renderer : undefined;
  } catch {
    return undefined;
  }
}

/** What this browser tells about the adapter (fields it does not expose are undefined). */
export function captureAdapterIdentity(adapter: GPUAdapter): AdapterIdentity {
  const info = adapter.info;
  // isFallbackAdapter moved from GPUAdapter to GPUAdapterInfo; older browsers have neither.
  const fallback: unknown = 'isFallbackAdapter' in info ? info.isFallbackAdapter : undefined;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: typeof fallback === 'boolean' ? fallback : undefined,
    subgroupMinSize: info.subgroupMinSize,
    subgroupMaxSize: info.subgroupMaxSize,
    webglRenderer: webglRenderer(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
}

export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  return {
    ...captureAdapterIdentity(adapter),
    features: [...adapter.features].sort(),
    maxBufferSizeBytes: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSizeBytes: adapter.limits.maxStorageBufferBindingSize,
    hasShaderF16: adapter.features.has('shader-f16'),
    hasTimestampQuery: adapter.features.has('timestamp-query'),
  };
}

/** The high-performance adapter, with the transient-failure retries; or why there is none. */
export async function requestGpuAdapter(): Promise<
  | { readonly kind: 'adapter'; readonly adapter: GPUAdapter }
  | { readonly kind: 'unavailable'; readonly reason: string }
> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || navigator.gpu === undefined) {
    return { kind: 'unavailable', reason: NO_WEBGPU_HELP };
  }
  const requested = await requestAdapterWithRetry(navigator.gpu, { powerPreference: 'high-performance' });
  if (requested.kind === 'adapter') return { kind: 'adapter', adapter: requested.adapter };
  const what =
    requested.lastError === undefined
      ? 'No WebGPU adapter was found'
      : `requestAdapter failed: ${requested.lastError}`;
  return { kind: 'unavailable', reason: `${what} (${requested.attempts} attempts). ${NO_WEBGPU_HELP}` };
}

export async function acquireGpuDevice(): Promise<GpuAcquisition> {
  const requested = await requestGpuAdapter();
  if (requested.kind === 'unavailable') return requested;
  const adapter = requested.adapter;
  const requiredFeatures = featuresToRequest({
    features: adapter.features,
    subgroupMinSize: adapter.info.subgroupMinSize,
  });
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) {
    const value = adapter.limits[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  try {
    const device = await adapter.requestDevice({ requiredFeatures, requiredLimits });
    installGpuBufferAccounting(device);
    watchGpuErrors(device);
    return { kind: 'ready', device, adapter: summarizeAdapter(adapter) };
  } catch (error) {
    return { kind: 'unavailable', reason: `requestDevice failed: ${String(error)}` };
  }
}
