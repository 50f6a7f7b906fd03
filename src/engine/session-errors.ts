/**
 * Turns onnxruntime's session-creation errors into what a user can act on. The raw message is kept at the end
 * for bug reports.
 */
import type { Quantization } from '../model/config';
import { errorMessage } from '../error-message';
import { formatBytes } from '../format-bytes';

export function explainSessionError(quantization: Quantization, error: unknown): string {
  const raw = errorMessage(error);
  const missingKernel = /Could not find an implementation for (\S+?)\((\d+)\) node with name '([^']*)'/.exec(
    raw,
  );
  if (missingKernel !== null) {
    return (
      `The ${quantization} model uses operator ${missingKernel[1]} (opset ${missingKernel[2]}), which ` +
      `onnxruntime-web has no kernel for; this variant cannot run here. Pick another quantization. (${raw})`
    );
  }
  const unregistered = /(\S+?)\((-?\d+)\) is not a registered function\/op/.exec(raw);
  if (unregistered !== null) {
    return (
      `The ${quantization} model uses operator ${unregistered[1]}, which onnxruntime-web does not know; ` +
      `this variant cannot run here. Pick another quantization. (${raw})`
    );
  }
  if (
    /protobuf parsing failed|Failed to load model|invalid model|ModelProto|Load model from .* failed/i.test(
      raw,
    )
  ) {
    return (
      `The ${quantization} model file is not a valid ONNX model (truncated, corrupted or not ONNX); ` +
      `clear the cache or re-download it. (${raw})`
    );
  }
  if (/external data|onnx_data/i.test(raw)) {
    return `The ${quantization} model's external weight file is missing or does not match the model. (${raw})`;
  }
  if (/device (was )?lost|GPUDevice|out of memory|\bOOM\b/i.test(raw)) {
    return (
      `The GPU failed while loading the ${quantization} model (device lost or out of memory). Reload the ` +
      `page to get a fresh GPU device, and try a smaller variant. (${raw})`
    );
  }
  return `Could not create the ${quantization} session: ${raw}`;
}

/**
 * GPU errors raised while loading a variant or running a trial, as a message naming the size that failed and
 * the limit it hit where WebGPU says them. `when` is e.g. "loading the q4 model" or "the q4 trial at 512 tokens".
 */
export function explainGpuErrors(when: string, errors: readonly string[]): string {
  const first = errors[0] ?? 'unknown GPU error';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more GPU errors)` : '';
  const overLimit =
    /size \((\d+)\) exceeds the max (buffer size|storage buffer binding size) limit \((\d+)\)/i.exec(first);
  if (overLimit !== null) {
    const [, size, limit, limitBytes] = overLimit;
    return (
      `The GPU could not hold a buffer while ${when}: ${formatBytes(Number(size))} exceeds this device's max ${limit} ` +
      `limit of ${formatBytes(Number(limitBytes))}. Use shorter prompts or a smaller model or quantization. ` +
      `(${first}${more})`
    );
  }
  if (/out of memory|OutOfMemory/i.test(first)) {
    return (
      `The GPU ran out of memory while ${when}. Use shorter prompts, a smaller quantization, or close other ` +
      `GPU-heavy tabs. (${first}${more})`
    );
  }
  return `The GPU reported an error while ${when}; its results would not be real, so the run stopped. (${first}${more})`;
}

/** An exception from a trial (onnxruntime reports GPU validation failures it caught itself this way). */
export function explainTrialError(when: string, error: unknown): string {
  const raw = errorMessage(error);
  if (/validation failed|out of memory|OutOfMemory|exceeds the max/i.test(raw))
    return explainGpuErrors(when, [raw]);
  return `Failed while ${when}: ${raw}`;
}
