/** The page's side of the model-building worker: one worker per build, terminated on cancel. */
import type { ModelFiles } from '../source/model-source';
import type { LlamaConfig, BuiltInQuantization } from '../model/config';
import type { BuildModelReply, BuildModelRequest } from './model-builder-protocol';
import { explainKnownFailure } from '../engine/session-errors';

let nextRequestId = 1;

export function buildModelInWorker(
  config: LlamaConfig,
  quantization: BuiltInQuantization,
  seed: number,
  lastPositionLogits: boolean,
  signal: AbortSignal,
  onProgress: (fraction: number) => void = () => undefined,
): Promise<ModelFiles> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./model-builder.worker.ts', import.meta.url), { type: 'module' });
    const requestId = nextRequestId++;
    const finish = () => {
      worker.terminate();
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new DOMException('Model build cancelled', 'AbortError'));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort);
    worker.onerror = (event) => {
      finish();
      reject(new Error(`The model builder crashed: ${event.message}`));
    };
    worker.onmessage = (event: MessageEvent<BuildModelReply>) => {
      const message = event.data;
      if (message.requestId !== requestId) return;
      if (message.kind === 'progress') {
        onProgress(message.fraction);
        return;
      }
      finish();
      if (message.kind === 'failed') {
        const known = explainKnownFailure(`the ${quantization} model`, message.message);
        reject(new Error(known ?? `Building the ${quantization} model failed: ${message.message}`));
      } else resolve({ modelBytes: message.modelBytes, externalData: message.externalData });
    };
    const request: BuildModelRequest = {
      kind: 'build',
      requestId,
      config,
      quantization,
      seed,
      lastPositionLogits,
    };
    worker.postMessage(request);
  });
}
