/**
 * Turns onnxruntime's session-creation errors into what a user can act on. The raw message is kept at the end
 * for bug reports.
 */
import type { Quantization } from '../model/config';
import { errorMessage } from '../error-message';
import { formatBytes } from '../format-bytes';

/** Source paths of the machine onnxruntime was built on (`/mnt/vss/_work/1/s/onnxruntime/core/graph/graph.cc:1234`). */
const BUILD_MACHINE_PATH =
  /(?:[A-Za-z]:)?(?:[\\/][\w.@+-]+)+[\\/]([\w.+-]+\.(?:cc|cpp|cxx|c|h|hpp|inc)):(\d+)/g;
const RAW_ERROR_MAX_CHARS = 400;

/**
 * A raw error as it may follow an explanation: build-machine paths reduced to file:line, whitespace folded,
 * and cut to a few hundred characters (onnxruntime's messages can run to pages).
 */
export function trimRawError(raw: string, maxChars = RAW_ERROR_MAX_CHARS): string {
  const stripped = raw.replace(BUILD_MACHINE_PATH, '$1:$2').replace(/\s+/g, ' ').trim();
  return stripped.length <= maxChars ? stripped : `${stripped.slice(0, maxChars - 1)}…`;
}

/**
 * Failures that mean the same whatever step they come from (building, handing files over, creating a session,
 * running a trial), in the app's words with what to do, the trimmed raw text after. `subject` is e.g.
 * "the q4 model". Undefined for anything else.
 */
export function explainKnownFailure(subject: string, raw: string): string | undefined {
  const tail = ` (${trimRawError(raw)})`;
  if (/size exceeds the supported range|DataCloneError|could not be cloned/i.test(raw)) {
    return (
      `${capitalize(subject)} is too large to hand from the page to its worker: a browser passes at most ` +
      `2 GiB in one piece. Pick a smaller quantization or model.${tail}`
    );
  }
  if (/Invalid typed array length|Array buffer allocation failed|Invalid array buffer length/i.test(raw)) {
    return (
      `${capitalize(subject)} needs more memory in one piece than this browser can give. Pick a smaller ` +
      `quantization or model.${tail}`
    );
  }
  if (/requires f16|shader-f16|f16 is not (enabled|supported)/i.test(raw)) {
    return (
      `${capitalize(subject)} computes in float16, which needs the WebGPU feature shader-f16; this adapter ` +
      `does not have it. Pick fp32, int8 or q4.${tail}`
    );
  }
  if (/ShapeInferenceError|TypeInferenceError|ERROR_CODE: 10\b|INVALID_GRAPH/i.test(raw)) {
    return (
      `${capitalize(subject)} has a malformed graph: onnxruntime cannot work out its tensor shapes or types. ` +
      `The file was exported wrongly or is damaged; pick another variant or re-export it.${tail}`
    );
  }
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function explainSessionError(quantization: Quantization, error: unknown): string {
  const raw = errorMessage(error);
  const known = explainKnownFailure(`the ${quantization} model`, raw);
  if (known !== undefined) return known;
  const missingKernel = /Could not find an implementation for (\S+?)\((\d+)\) node with name '([^']*)'/.exec(
    raw,
  );
  if (missingKernel !== null) {
    return (
      `The ${quantization} model uses operator ${missingKernel[1]} (opset ${missingKernel[2]}), which ` +
      `onnxruntime-web has no kernel for; this variant cannot run here. Pick another quantization. (${trimRawError(raw)})`
    );
  }
  const unregistered = /(\S+?)\((-?\d+)\) is not a registered function\/op/.exec(raw);
  if (unregistered !== null) {
    return (
      `The ${quantization} model uses operator ${unregistered[1]}, which onnxruntime-web does not know; ` +
      `this variant cannot run here. Pick another quantization. (${trimRawError(raw)})`
    );
  }
  if (
    /protobuf parsing failed|Failed to load model|invalid model|ModelProto|Load model from .* failed/i.test(
      raw,
    )
  ) {
    return (
      `The ${quantization} model file is not a valid ONNX model (truncated, corrupted or not ONNX); ` +
      `clear the cache or re-download it. (${trimRawError(raw)})`
    );
  }
  if (/external data|onnx_data/i.test(raw)) {
    return `The ${quantization} model's external weight file is missing or does not match the model. (${trimRawError(raw)})`;
  }
  if (/device (was )?lost|GPUDevice|out of memory|\bOOM\b/i.test(raw)) {
    return (
      `The GPU failed while loading the ${quantization} model (device lost or out of memory). Reload the ` +
      `page to get a fresh GPU device, and try a smaller variant. (${trimRawError(raw)})`
    );
  }
  return `Could not create the ${quantization} session: ${trimRawError(raw)}`;
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
      `(${trimRawError(first)}${more})`
    );
  }
  if (/out of memory|OutOfMemory/i.test(first)) {
    return (
      `The GPU ran out of memory while ${when}. Use shorter prompts, a smaller quantization, or close other ` +
      `GPU-heavy tabs. (${trimRawError(first)}${more})`
    );
  }
  return `The GPU reported an error while ${when}; its results would not be real, so the run stopped. (${trimRawError(first)}${more})`;
}

/** An exception from a trial (onnxruntime reports GPU validation failures it caught itself this way). */
export function explainTrialError(when: string, error: unknown): string {
  const raw = errorMessage(error);
  if (/validation failed|out of memory|OutOfMemory|exceeds the max/i.test(raw))
    return explainGpuErrors(when, [raw]);
  const known = explainKnownFailure('the model', raw);
  if (known !== undefined) return `Failed while ${when}: ${known}`;
  return `Failed while ${when}: ${trimRawError(raw)}`;
}
