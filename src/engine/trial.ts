/**
 * One TTFT trial, measured the way `torch.cuda.synchronize()` timing is done natively: the clock stops only
 * after the GPU queue has drained and the first token is known on the CPU.
 */
import type { DecodeLoop, FirstTokenArgmax, SyncMode, TokenReadback } from '../config/sweep-config';
import type { DecoderIo } from '../source/decoder-io';
import type { TrialMeasurement } from '../results/trial';
import type { GpuSpanTimer } from './gpu-span-timer';
import type { ort } from './ort-webgpu';
import { closeFirstToken, timedRun } from './first-token-clock';
import { decoderFeeds, disposeAll, kvCacheOf, type KvCache } from './decoder-feeds';

export interface TrialTokenizer {
  encode(text: string): number[];
}

export interface TrialRequest {
  readonly session: ort.InferenceSession;
  /** The device onnxruntime runs on: the barrier waits on its queue. */
  readonly device: GPUDevice;
  readonly io: DecoderIo;
  /** Encodes the prompt: with the special tokens of a fresh prompt, or without them on top of a context. */
  readonly tokenizer: TrialTokenizer;
  readonly promptText: string;
  /** The KV cache the prompt runs on top of (not disposed here), or undefined for a fresh prompt. */
  readonly context: TrialContext | undefined;
  /** The token count the prompt was built for; a mismatch fails the trial instead of measuring another length. */
  readonly expectedTokens: number | undefined;
  readonly syncMode: SyncMode;
  /** Greedy tokens to decode after the first (untimed for TTFT), 0 for none. */
  readonly decodeTokens: number;
  readonly decodeLoop: DecodeLoop;
  readonly firstTokenArgmax: FirstTokenArgmax;
  readonly tokenReadback: TokenReadback;
  /** Timestamp queries around `session.run`, where the adapter has them. */
  readonly gpuTimer: GpuSpanTimer | undefined;
}

/** Tokens already in the KV cache when a trial's prompt runs: a prefix prefilled before the clock started. */
export interface TrialContext {
  readonly tokens: number;
  readonly cache: KvCache;
}

export async function runTrial(request: TrialRequest): Promise<TrialMeasurement> {
  const {
    session,
    device,
    io,
    tokenizer,
    promptText,
    expectedTokens,
    syncMode,
    decodeTokens,
    decodeLoop,
    firstTokenArgmax,
    tokenReadback,
    gpuTimer,
  } = request;
  const pastTokens = request.context?.tokens ?? 0;
  const start = performance.now();
  const tokenIds = tokenizer.encode(promptText);
  const tokenized = performance.now();
  if (expectedTokens !== undefined && tokenIds.length !== expectedTokens) {
    throw new Error(`prompt tokenized to ${tokenIds.length} tokens, expected ${expectedTokens}`);
  }
  const feeds = decoderFeeds(io, { tokenIds, pastTokens, past: request.context?.cache });
  const uploaded = performance.now();
  const marks = { start, tokenized, uploaded, promptTokens: tokenIds.length };
  const { outputs, returned, runPart } = await timedRun(device, gpuTimer, marks, () => session.run(feeds));
  // Each decode step feeds the previous run's `present.*` straight back as `past_key_values.*`: the KV cache
  // never leaves the GPU. The prefill's outputs stay until the trial ends; each later step's are disposed once
  // the next step has run on them.
  let previous: ort.InferenceSession.OnnxValueMapType = outputs;
  const contextTokens = pastTokens + tokenIds.length;
  try {
    return await closeFirstToken({
      device,
      io,
      syncMode,
      gpuTimer,
      start,
      returned,
      runPart,
      logits: outputs['logits'],
      decodeTokens,
      decodeLoop,
      firstTokenArgmax,
      tokenReadback,
      decodeStep: async (token, step) => {
        // A pipelined loop's token is the previous step's argmax, still on the GPU.
        const stepFeeds = decoderFeeds(io, {
          tokenIds: 'id' in token ? [token.id] : token,
          pastTokens: contextTokens + step,
          past: kvCacheOf(io, previous),
        });
        const stepOutputs = await session.run(stepFeeds);
        if (previous !== outputs) disposeAll(previous);
        previous = stepOutputs;
        return stepOutputs['logits'];
      },
    });
  } finally {
    disposeAll(outputs);
    if (previous !== outputs) disposeAll(previous);
  }
}
