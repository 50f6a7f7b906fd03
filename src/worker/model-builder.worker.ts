/// <reference lib="webworker" />
/** Builds ONNX models off the main thread, so the page stays responsive while hundreds of MB are written. */
import { buildLlamaOnnx } from '../model/build';
import type { BuildModelReply, BuildModelRequest } from './model-builder-protocol';
import { errorMessage } from '../error-message';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function reply(message: BuildModelReply, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

scope.onmessage = (event: MessageEvent<BuildModelRequest>) => {
  const request = event.data;
  try {
    const built = buildLlamaOnnx(request.config, request.quantization, {
      seed: request.seed,
      lastPositionLogits: request.lastPositionLogits,
      form: request.form,
      accuracyLevel: request.accuracyLevel,
      kvCache: request.kvCache,
      qkv: request.qkv,
      onProgress: (fraction) => reply({ kind: 'progress', requestId: request.requestId, fraction }),
    });
    const transfer: Transferable[] = [
      built.modelBytes.buffer as ArrayBuffer,
      ...built.externalData.map((file) => file.data.buffer as ArrayBuffer),
    ];
    reply(
      {
        kind: 'built',
        requestId: request.requestId,
        modelBytes: built.modelBytes,
        externalData: built.externalData,
      },
      transfer,
    );
  } catch (error) {
    reply({
      kind: 'failed',
      requestId: request.requestId,
      message: errorMessage(error),
    });
  }
};
