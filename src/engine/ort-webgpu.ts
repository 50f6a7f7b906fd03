/**
 * onnxruntime-web on WebGPU, configured explicitly. Both builds we load are ORT's native WebGPU EP (the one that
 * accepts a caller's GPUDevice; the default JSEP build ignores `env.webgpu.device` and requests its own device,
 * which would put our barrier on a different queue): `onnxruntime-web/webgpu` compiled with Asyncify, or
 * `onnxruntime-web/jspi` compiled with JS Promise Integration. One build per realm (the engine worker is
 * restarted to change it); it is imported when first needed, so the page never loads onnxruntime.
 */
import type * as OrtApi from 'onnxruntime-web/webgpu';
import type { OrtBuild, RuntimeOptions } from '../config/sweep-config';
import type { ModelFiles } from '../source/model-source';
import { installOrtLogHook } from './ort-log';

export type Ort = typeof OrtApi;
export type { OrtApi as ort };

let loaded: { readonly build: OrtBuild; readonly ort: Ort; readonly wasmUrl: string } | undefined;

// Vite emits each wasm next to the bundle and gives us its URL: the app serves onnxruntime itself, never a CDN.
async function importBuild(build: OrtBuild): Promise<{ ort: Ort; wasmUrl: string }> {
  if (build === 'jspi') {
    const [ort, wasm] = await Promise.all([
      import('onnxruntime-web/jspi'),
      import('onnxruntime-web/ort-wasm-simd-threaded.jspi.wasm?url'),
    ]);
    return { ort, wasmUrl: wasm.default };
  }
  const [ort, wasm] = await Promise.all([
    import('onnxruntime-web/webgpu'),
    import('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url'),
  ]);
  return { ort, wasmUrl: wasm.default };
}

/** Loads onnxruntime-web's `build` in this realm (once); another build later is refused, not mixed in. */
export async function loadOrt(build: OrtBuild): Promise<Ort> {
  if (loaded !== undefined) {
    if (loaded.build !== build) {
      throw new Error(
        `onnxruntime-web's ${loaded.build} build is loaded here; ${build} needs a fresh engine`,
      );
    }
    return loaded.ort;
  }
  const { ort, wasmUrl } = await importBuild(build);
  loaded = { build, ort, wasmUrl };
  return ort;
}

/** The build loaded by loadOrt; throws if none is (a programming error). */
export function loadedOrt(): Ort {
  if (loaded === undefined) throw new Error('onnxruntime-web is not loaded yet (call loadOrt first)');
  return loaded.ort;
}

export function loadedOrtBuild(): OrtBuild | undefined {
  return loaded?.build;
}

/**
 * Points onnxruntime at the wasm file this app serves itself, and hands it our device. Called before every
 * session: `@xenova/transformers` rewrites `env.wasm.wasmPaths` to a CDN when it is imported.
 */
export function configureOrt(device: GPUDevice): void {
  if (loaded === undefined) throw new Error('onnxruntime-web is not loaded yet (call loadOrt first)');
  // Before onnxruntime's wasm module starts (the first session): it binds console.error then.
  installOrtLogHook();
  const { ort, wasmUrl } = loaded;
  // A worker has no document: its own location is the base Vite resolved the URL against.
  const base = typeof document === 'undefined' ? self.location.href : document.baseURI;
  ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, base).href };
  // Threads need cross-origin isolation, which static hosts cannot promise; one thread keeps runs comparable.
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  // The EP option below is what the WebGPU build reads; keeping env in step documents intent for readers.
  ort.env.webgpu.device = device;
}

export interface WebGpuSessionRequest {
  readonly device: GPUDevice;
  readonly files: ModelFiles;
  /** Context-level settings: every session alive on one device must share them (the first one's win). */
  readonly runtime: Pick<RuntimeOptions, 'validationMode' | 'bufferCache'>;
  /**
   * Record the first run's GPU commands and replay them on later runs (captured-decoder.ts). Every input and
   * output must then be a GPUBuffer of fixed shape.
   */
  readonly graphCapture?: boolean;
}

function externalDataOf(files: ModelFiles) {
  return files.externalData.map((file) => ({ path: file.path, data: file.data }));
}

/** The options every WebGPU session of a variant gets: the measured one and its check. */
function webGpuOptions({
  device,
  files,
  runtime,
  graphCapture,
}: WebGpuSessionRequest): OrtApi.InferenceSession.SessionOptions {
  return {
    // Only read when the provider is given as an object, as here.
    ...(graphCapture === true ? { enableGraphCapture: true } : {}),
    executionProviders: [
      {
        name: 'webgpu',
        device,
        validationMode: runtime.validationMode,
        storageBufferCacheMode: runtime.bufferCache,
      },
    ],
    graphOptimizationLevel: 'all',
    // Outputs stay on the GPU: only the last logits row is read back, and the KV cache never leaves.
    preferredOutputLocation: 'gpu-buffer',
    externalData: externalDataOf(files),
  };
}

export async function createWebGpuSession(request: WebGpuSessionRequest): Promise<OrtApi.InferenceSession> {
  const ort = loadedOrt();
  const session = await ort.InferenceSession.create(request.files.modelBytes, webGpuOptions(request));
  const ortDevice = await ort.env.webgpu.device;
  if (ortDevice !== request.device) {
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
  request: WebGpuSessionRequest,
  logId: string,
): Promise<OrtApi.InferenceSession> {
  return loadedOrt().InferenceSession.create(request.files.modelBytes, {
    ...webGpuOptions(request),
    logSeverityLevel: 0,
    logId,
  });
}

/**
 * The same variant as a session that profiles every run: onnxruntime times each WebGPU dispatch with timestamp
 * queries (when the device has `timestamp-query`) and prints the profile at `endProfiling()` (see
 * bench/kernel-profile.ts). The queries and their readbacks cost time, so it is never the measured session.
 */
export function createProfilingSession(request: WebGpuSessionRequest): Promise<OrtApi.InferenceSession> {
  return loadedOrt().InferenceSession.create(request.files.modelBytes, {
    ...webGpuOptions(request),
    enableProfiling: true,
  });
}

/** The same files on onnxruntime-web's wasm (CPU) backend: what the CPU match compares WebGPU against. */
export function createCpuSession(files: ModelFiles): Promise<OrtApi.InferenceSession> {
  return loadedOrt().InferenceSession.create(files.modelBytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    externalData: externalDataOf(files),
  });
}
