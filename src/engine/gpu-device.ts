/** The GPUDevice this app measures on, created by the app and handed to onnxruntime. */
import { featuresToRequest } from './device-features';
import { installGpuBufferAccounting } from './gpu-buffer-accounting';
import { watchGpuErrors } from './gpu-errors';

export interface AdapterSummary {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
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

export function summarizeAdapter(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    features: [...adapter.features].sort(),
    maxBufferSizeBytes: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSizeBytes: adapter.limits.maxStorageBufferBindingSize,
    hasShaderF16: adapter.features.has('shader-f16'),
    hasTimestampQuery: adapter.features.has('timestamp-query'),
  };
}

/** One line naming the adapter, as CSV rows carry it. */
export function adapterLabel(adapter: AdapterSummary): string {
  const parts = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter(
    (part) => part !== '',
  );
  return parts.length > 0 ? parts.join(' / ') : 'unknown adapter';
}

export async function acquireGpuDevice(): Promise<GpuAcquisition> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || navigator.gpu === undefined) {
    return { kind: 'unavailable', reason: NO_WEBGPU_HELP };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (error) {
    return { kind: 'unavailable', reason: `requestAdapter failed: ${String(error)}. ${NO_WEBGPU_HELP}` };
  }
  if (adapter === null) {
    return { kind: 'unavailable', reason: `No WebGPU adapter was found. ${NO_WEBGPU_HELP}` };
  }
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
