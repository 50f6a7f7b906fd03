/**
 * One TTFT trial on a captured decoder (captured-decoder.ts), timed like every other trial (trial.ts): tokenize,
 * write the inputs into the bound buffers, run (a replay after the first), the GPU barrier, the last row's
 * readback and argmax. Decode steps replay the decode session, each closed by the same barrier and readback.
 */
import type { DecodeLoop, FirstTokenArgmax, SyncMode, TokenReadback } from '../config/sweep-config';
import type { TrialMeasurement } from '../results/trial';
import type { CapturedDecoder } from './captured-decoder';
import type { GpuSpanTimer } from './gpu-span-timer';
import { closeFirstToken, timedRun } from './first-token-clock';
import type { TrialTokenizer } from './trial';
import type { ort } from './ort-webgpu';
import { checkedTrial } from './trial-checks';

export interface CapturedTrialRequest {
  readonly decoder: CapturedDecoder;
  readonly device: GPUDevice;
  readonly tokenizer: TrialTokenizer;
  readonly promptText: string;
  readonly syncMode: SyncMode;
  readonly decodeTokens: number;
  readonly decodeLoop: DecodeLoop;
  readonly firstTokenArgmax: FirstTokenArgmax;
  readonly tokenReadback: TokenReadback;
  readonly gpuTimer: GpuSpanTimer | undefined;
}

export async function runCapturedTrial(request: CapturedTrialRequest): Promise<TrialMeasurement> {
  const {
    decoder,
    device,
    tokenizer,
    promptText,
    syncMode,
    decodeTokens,
    decodeLoop,
    firstTokenArgmax,
    tokenReadback,
    gpuTimer,
  } = request;
  const start = performance.now();
  const tokenIds = tokenizer.encode(promptText);
  const tokenized = performance.now();
  if (tokenIds.length !== decoder.promptTokens) {
    throw new Error(`prompt tokenized to ${tokenIds.length} tokens, expected ${decoder.promptTokens}`);
  }
  decoder.writePrompt(tokenIds);
  const uploaded = performance.now();
  const marks = { start, tokenized, uploaded, promptTokens: tokenIds.length };
  const {
    outputs: logits,
    returned,
    runPart,
  } = await timedRun(device, gpuTimer, marks, () => decoder.prefill());
  // The KV cache lives in the decoder's bound buffers; each step's logits are onnxruntime's, released once read.
  let stepLogits: ort.Tensor | undefined;
  try {
    return await closeFirstToken({
      device,
      io: decoder.io,
      syncMode,
      gpuTimer,
      start,
      returned,
      runPart,
      logits,
      decodeTokens,
      decodeLoop,
      firstTokenArgmax,
      tokenReadback,
      decodeStep: async (token, step) => {
        stepLogits?.dispose();
        stepLogits = await decoder.decodeStep(token, tokenIds.length + step);
        return stepLogits;
      },
    });
  } finally {
    logits.dispose();
    stepLogits?.dispose();
  }
}

/** A captured trial, then a check that no GPU error happened during it (as measureTrial does). */
export function measureCapturedTrial(
  request: CapturedTrialRequest & { readonly signal: AbortSignal; readonly what: string },
): Promise<TrialMeasurement> {
  return checkedTrial(request, () => runCapturedTrial(request));
}
