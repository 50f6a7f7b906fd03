/**
 * onnxruntime-web on WebGPU, configured explicitly. We import the `webgpu` build (ORT's native WebGPU EP):
 * in onnxruntime-web 1.30 it is the build that accepts a caller's GPUDevice. The default build's JSEP
 * backend ignores `env.webgpu.device` and always requests its own device from the adapter, which would put
 * our barrier on a different queue from the model's work.
 */
import * as ort from 'onnxruntime-web/webgpu';
// Vite emits the wasm next to the bundle and gives us its URL: the app serves onnxruntime itself, never a CDN.
import webGpuWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

import type { ModelFiles } from '../source/model-source';
import { installOrtLogHook } from './ort-log';

export { ort };

/** Typed view of the EP option the runtime accepts but onnxruntime-common 1.30's typings omit. */
export interface WebGpuProviderWithDevice extends ort.InferenceSession.WebGpuExecutionProviderOption {
  readonly device: GPUDevice;
}

/**
 * Points onnxruntime at the wasm file this app serves itself, and hands it our device. Called before every
 * session: `@xenova/transformers` rewrites `env.wasm.wasmPaths` to a CDN when it is imported.
 */
export function configureOrt(device: GPUDevice): void {
  // Before onnxruntime's wasm module starts (the first session): it binds console.error then.
  installOrtLogHook();
  // A worker has no document: its own location is the base Vite resolved the URL against.
  const base = typeof document === 'undefined' ? self.location.href : document.baseURI;
  ort.env.wasm.wasmPaths = { wasm: new URL(webGpuWasmUrl, base).href };
  // Threads need cross-origin isolation, which static hosts cannot promise; one thread keeps runs comparable.
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  // The EP option below is what the WebGPU build reads; keeping env in step documents intent for readers.
  ort.env.webgpu.device = device;
}

function externalDataOf(files: ModelFiles) {
  return files.externalData.map((file) => ({ path: file.path, data: file.data }));
}

/** The options every WebGPU session of a variant gets: the measured one and its check. */
function webGpuOptions(device: GPUDevice, files: ModelFiles): ort.InferenceSession.SessionOptions {
  const provider: WebGpuProviderWithDevice = { name: 'webgpu', device };
  return {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    // Outputs stay on the GPU: only the last logits row is read back, and the KV cache never leaves.
    preferredOutputLocation: 'gpu-buffer',
    externalData: externalDataOf(files),
  };
}

export async function createWebGpuSession(
  device: GPUDevice,
  files: ModelFiles,
): Promise<ort.InferenceSession> {
  const session = await ort.InferenceSession.create(files.modelBytes, webGpuOptions(device, files));
  const ortDevice = await ort.env.webgpu.device;
  if (ortDevice !== device) {
    await session.release();
    throw new Error(
      'onnxruntime did not adopt the app-created GPUDevice; the GPU barrier would be meaningless.',
    );
  }
  return session;
}

/**
 * The same variant as a session whose creation logs at VERBOSE under `logId`, for reading node placement.
 * onnxruntime's WebGPU provider keeps logging through the session's logger at every dispatch, so such a
 * session is never the measured one: the check makes it on a device of its own (see variant-check.ts).
 */
export function createPlacementLoggingSession(
  device: GPUDevice,
  files: ModelFiles,
  logId: string,
): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(files.modelBytes, {
    ...webGpuOptions(device, files),
    logSeverityLevel: 0,
    logId,
  });
}

/** The same files on onnxruntime-web's wasm (CPU) backend: what the CPU match compares WebGPU against. */
export function createCpuSession(files: ModelFiles): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(files.modelBytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    externalData: externalDataOf(files),
  });
}
