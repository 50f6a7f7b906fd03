import type { AdapterSummary } from '../engine/gpu-device';
import type { AdapterIdentity } from './adapter-identity';

/**
 * SwiftShader as Chromium 156 reports it on the CI machine (the adapter every e2e run gets); tests spread it
 * and override what they are about.
 */
export const SWIFTSHADER_IDENTITY: AdapterIdentity = {
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

/** The same adapter with the features and limits the form and the engine read (src/engine/gpu-device.ts). */
export const SWIFTSHADER_ADAPTER: AdapterSummary = {
  ...SWIFTSHADER_IDENTITY,
  features: ['subgroups', 'timestamp-query'],
  maxBufferSizeBytes: 2 ** 30,
  maxStorageBufferBindingSizeBytes: 2 ** 27,
  hasShaderF16: false,
  hasTimestampQuery: true,
};
