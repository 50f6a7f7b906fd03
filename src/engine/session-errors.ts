/**
 * Turns onnxruntime's session-creation errors into what a user can act on. The raw message is kept at the end
 * for bug reports.
 */
import type { Quantization } from '../model/config';

export function explainSessionError(quantization: Quantization, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
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
