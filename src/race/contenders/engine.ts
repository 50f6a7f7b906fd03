/** This app's engine in the race: the very load and trial steps the sweep runner uses, barrier included. */
import { GpuSpanTimer } from '../../engine/gpu-span-timer';
import type { ModelProvider } from '../../engine/types';
import { loadVariantSession, measureTrial } from '../../engine/variant-session';
import type { Quantization } from '../../model/config';
import type { RuntimeOptions } from '../../config/sweep-config';
import type { Contender } from '../contender';

export interface EngineContenderLoad {
  readonly device: GPUDevice;
  readonly provider: ModelProvider;
  readonly quantization: Quantization;
  readonly signal: AbortSignal;
  readonly runtime: RuntimeOptions;
}

export async function loadEngineContender({
  device,
  provider,
  quantization,
  signal,
  runtime,
}: EngineContenderLoad): Promise<Contender> {
  const load = await loadVariantSession({
    device,
    provider,
    quantization,
    signal,
    runtime,
    steps: {
      onFetch: () => undefined,
      onChecking: () => undefined,
      onProfiling: () => undefined,
      onCompiling: () => undefined,
    },
    check: undefined,
    graphCapture: false,
    kernelProfile: undefined,
  });
  const gpuTimer = GpuSpanTimer.create(device);
  return {
    name: 'engine',
    lmHead: load.variant.io.lmHead,
    async firstToken(prompt) {
      const timing = await measureTrial({
        device,
        variant: load.variant,
        tokenizer: provider.tokenizer,
        promptText: prompt.text,
        promptTokens: prompt.tokenIds.length,
        context: undefined,
        syncMode: 'barrier',
        decodeTokens: 0,
        decodeLoop: 'synced',
        // The floor and transformers.js read the logits back after the barrier: so does the engine here.
        firstTokenArgmax: 'cpu',
        tokenReadback: 'after-barrier',
        gpuTimer,
        signal,
        what: `running the engine's ${quantization} trial at ${prompt.tokenIds.length} tokens`,
      });
      return {
        ttftMs: timing.ttftMs,
        firstTokenId: timing.firstTokenId,
        beforeRunMs: timing.tokenizeMs + timing.uploadMs,
      };
    },
    async release() {
      await load.variant.session.release();
      gpuTimer?.destroy();
    },
  };
}
