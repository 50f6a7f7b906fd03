/** The page's side of the model-building worker: one worker per build, terminated on cancel. */
import type { ModelFiles } from '../source/model-source';
import type { LlamaConfig, BuiltInQuantization } from '../model/config';
import type { GraphForm, QkvProjection } from '../model/graph-form';
import type { AccuracyLevel } from '../model/accuracy-level';
import type { KvCacheLayout } from '../model/llama-fused-graph';
import type { BuildModelReply, BuildModelRequest } from './model-builder-protocol';
import { explainKnownFailure } from '../engine/session-errors';

let nextRequestId = 1;

/** What to build: the builder's inputs (see buildLlamaOnnx). */
export interface BuildInWorkerRequest {
  readonly config: LlamaConfig;
  readonly quantization: BuiltInQuantization;
  readonly seed: number;
  readonly lastPositionLogits: boolean;
  readonly form: GraphForm;
  /** MatMulNBits' accuracy_level on the 4-bit levels. */
  readonly accuracyLevel: AccuracyLevel;
  /** The fused form's KV cache layout (`static` for graph capture). */
  readonly kvCache: KvCacheLayout;
  /** The fused form's q/k/v projections (packed for float and int8 weights, or separate). */
  readonly qkv: QkvProjection;
}

export function buildModelInWorker(
  build: BuildInWorkerRequest,
  signal: AbortSignal,
  onProgress: (fraction: number) => void = () => undefined,
): Promise<ModelFiles> {
  const { quantization } = build;
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
    const request: BuildModelRequest = { kind: 'build', requestId, ...build };
    worker.postMessage(request);
  });
}
