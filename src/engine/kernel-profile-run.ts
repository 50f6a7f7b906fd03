/**
 * A variant's kernel profile: for each prompt, a session that profiles every run (createProfilingSession) makes
 * PROFILED_RUNS prefills, then PROFILED_RUNS decode steps on the last prefill's cache; onnxruntime's printed
 * profile is read back (bench/kernel-profile.ts). Like the variant check it lives on a GPUDevice of its own,
 * destroyed afterwards, so the measured device never sees a profiling session or its warm caches.
 */
import { clipText } from '../bench/cpu-match';
import { kernelProfileOf } from '../bench/kernel-profile';
import { errorMessage } from '../error-message';
import type { RuntimeOptions } from '../config/sweep-config';
import type { KernelProfile, KernelProfileReport } from '../results/kernel-profile';
import { describeDecoderIo, type DecoderShapeHint } from '../source/decoder-io';
import type { ModelFiles } from '../source/model-source';
import { decoderFeeds, disposeAll, kvCacheOf } from './decoder-feeds';
import { acquireGpuDevice } from './gpu-device';
import { captureOrtStdout } from './ort-log';
import { createProfilingSession, type ort } from './ort-webgpu';

/** Runs of each kind; the first of each compiles its shaders and is left out of the profile. */
export const PROFILED_RUNS = 3;

export interface KernelProfileRequest {
  readonly files: ModelFiles;
  readonly runtime: RuntimeOptions;
  /** Token ids of each prompt to profile. */
  readonly prompts: readonly (readonly number[])[];
  readonly shapeHint: DecoderShapeHint;
  readonly signal: AbortSignal;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('The sweep was cancelled', 'AbortError');
}

async function profilePrompt(
  device: GPUDevice,
  request: KernelProfileRequest,
  promptIds: readonly number[],
): Promise<KernelProfile> {
  const session = await createProfilingSession({ device, files: request.files, runtime: request.runtime });
  try {
    const io = describeDecoderIo(session.inputMetadata, session.outputMetadata, request.shapeHint);
    let prefill: ort.InferenceSession.OnnxValueMapType | undefined;
    for (let run = 0; run < PROFILED_RUNS; run++) {
      throwIfAborted(request.signal);
      if (prefill !== undefined) disposeAll(prefill);
      prefill = await session.run(decoderFeeds(io, { tokenIds: promptIds, pastTokens: 0, past: undefined }));
    }
    try {
      const past = kvCacheOf(io, prefill!);
      for (let run = 0; run < PROFILED_RUNS; run++) {
        throwIfAborted(request.signal);
        const step = await session.run(
          decoderFeeds(io, { tokenIds: [promptIds.at(-1)!], pastTokens: promptIds.length, past }),
        );
        disposeAll(step);
      }
    } finally {
      disposeAll(prefill!);
    }
    // onnxruntime-web prints the whole profile before endProfiling() returns (it is synchronous off a proxy worker).
    const { lines } = await captureOrtStdout(() => Promise.resolve(session.endProfiling()));
    return kernelProfileOf(lines, {
      promptTokens: promptIds.length,
      prefillRuns: PROFILED_RUNS,
      decodeRuns: PROFILED_RUNS,
    });
  } finally {
    await session.release();
  }
}

export async function profileKernels(request: KernelProfileRequest): Promise<KernelProfileReport> {
  const acquired = await acquireGpuDevice();
  if (acquired.kind !== 'ready') {
    return { kind: 'not measured', reason: `no second WebGPU device to profile on: ${acquired.reason}` };
  }
  const { device } = acquired;
  try {
    if (!device.features.has('timestamp-query')) {
      return {
        kind: 'not measured',
        reason: 'the adapter has no timestamp-query: onnxruntime cannot time its kernels',
      };
    }
    const profiles: KernelProfile[] = [];
    for (const promptIds of request.prompts) profiles.push(await profilePrompt(device, request, promptIds));
    return { kind: 'measured', profiles };
  } catch (error) {
    throwIfAborted(request.signal);
    return { kind: 'not measured', reason: clipText(`profiling failed: ${errorMessage(error)}`, 2000) };
  } finally {
    device.destroy();
  }
}
