/**
 * One TTFT trial, measured the way `torch.cuda.synchronize()` timing is done natively: the clock stops only
 * after the GPU queue has drained and the first token is known on the CPU.
 */
import { argmaxFloat16, argmaxFloat32 } from '../bench/argmax';
import type { SyncMode } from '../config/sweep-config';
import type { DecoderIo } from '../source/decoder-io';
import { decodeMeasurement } from '../bench/decode-stats';
import type { TrialMeasurement } from '../results/trial';
import { gpuBufferAccounting } from './gpu-buffer-accounting';
import type { GpuSpanTimer } from './gpu-span-timer';
import { gpuWorkSince, readGpuWorkCounts } from './gpu-work-counter';
import type { ort } from './ort-webgpu';
import { readLastLogitsRow } from './logits-row';
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
  /** Timestamp queries around `session.run`, where the adapter has them. */
  readonly gpuTimer: GpuSpanTimer | undefined;
}

/** Tokens already in the KV cache when a trial's prompt runs: a prefix prefilled before the clock started. */
export interface TrialContext {
  readonly tokens: number;
  readonly cache: KvCache;
}

/** Reads the last position's logits row from the GPU and picks the greedy token. */
async function lastRowGreedyToken(
  device: GPUDevice,
  io: DecoderIo,
  outputs: ort.InferenceSession.OnnxValueMapType,
): Promise<{ readBack: number; firstTokenId: number }> {
  const logits = outputs['logits'];
  if (logits === undefined || logits.location !== 'gpu-buffer') {
    throw new Error('the session did not leave logits on the GPU');
  }
  const row = await readLastLogitsRow(device, io, logits);
  const readBack = performance.now();
  const firstTokenId =
    io.logitsDataType === 'float16'
      ? argmaxFloat16(new Uint16Array(row))
      : argmaxFloat32(new Float32Array(row));
  return { readBack, firstTokenId };
}

export async function runTrial(request: TrialRequest): Promise<TrialMeasurement> {
  const { session, device, io, tokenizer, promptText, expectedTokens, syncMode, decodeTokens, gpuTimer } =
    request;
  const pastTokens = request.context?.tokens ?? 0;
  const start = performance.now();
  const tokenIds = tokenizer.encode(promptText);
  const tokenized = performance.now();
  if (expectedTokens !== undefined && tokenIds.length !== expectedTokens) {
    throw new Error(`prompt tokenized to ${tokenIds.length} tokens, expected ${expectedTokens}`);
  }
  const feeds = decoderFeeds(io, { tokenIds, pastTokens, past: request.context?.cache });
  const uploaded = performance.now();
  gpuTimer?.markStart();
  const workBefore = readGpuWorkCounts();
  const buffersBefore = gpuBufferAccounting(device)?.createdBuffers;
  const outputs = await session.run(feeds);
  const returned = performance.now();
  const work = gpuWorkSince(workBefore);
  const buffersAfter = gpuBufferAccounting(device)?.createdBuffers;
  gpuTimer?.markEnd();
  let presents: ort.InferenceSession.OnnxValueMapType = outputs;
  try {
    const base = {
      tokenizeMs: tokenized - start,
      uploadMs: uploaded - tokenized,
      prefillMs: returned - uploaded,
      promptTokens: tokenIds.length,
      dispatches: work.dispatches,
      submits: work.submits,
      gpuBuffersCreated:
        buffersBefore === undefined || buffersAfter === undefined ? undefined : buffersAfter - buffersBefore,
    };
    // After the clock has stopped: the GPU's span, then the decode steps (they never change the TTFT numbers).
    const afterFirstToken = async (firstTokenId: number) => {
      const gpuSpanMs = await gpuTimer?.readSpanMs();
      const decoded = await decode({
        session,
        device,
        io,
        prefillOutputs: outputs,
        firstTokenId,
        contextTokens: pastTokens + tokenIds.length,
        steps: decodeTokens,
      });
      presents = decoded.lastOutputs;
      return { firstTokenId, gpuSpanMs, ...decodeMeasurement(decoded.stepMs, decoded.tokenIds) };
    };
    if (syncMode === 'none') {
      // The clock stopped at `returned`; the token is still read (untimed) so every trial reports one.
      await device.queue.onSubmittedWorkDone();
      const { firstTokenId } = await lastRowGreedyToken(device, io, outputs);
      return {
        ...base,
        ttftMs: returned - start,
        gpuWaitMs: 0,
        readbackMs: 0,
        samplingMs: 0,
        ...(await afterFirstToken(firstTokenId)),
      };
    }
    let drained = returned;
    if (syncMode === 'barrier') {
      // ORT returns once its commands are submitted; this barrier waits until the GPU has finished them.
      await device.queue.onSubmittedWorkDone();
      drained = performance.now();
    }
    const { readBack, firstTokenId } = await lastRowGreedyToken(device, io, outputs);
    const sampled = performance.now();
    return {
      ...base,
      ttftMs: sampled - start,
      gpuWaitMs: drained - returned,
      readbackMs: readBack - drained,
      samplingMs: sampled - readBack,
      ...(await afterFirstToken(firstTokenId)),
    };
  } finally {
    disposeAll(outputs);
    if (presents !== outputs) disposeAll(presents);
  }
}

/**
 * Greedy decode of `steps` more tokens (EOS ignored), feeding each step's `present.*` straight back as
 * `past_key_values.*`: the KV cache never leaves the GPU. Each step is timed like a trial: run, barrier,
 * last-row readback, argmax. The prefill outputs stay owned by the caller; intermediate steps are disposed.
 */
interface DecodeRequest {
  readonly session: ort.InferenceSession;
  readonly device: GPUDevice;
  readonly io: DecoderIo;
  readonly prefillOutputs: ort.InferenceSession.OnnxValueMapType;
  readonly firstTokenId: number;
  /** Tokens in the cache after the prefill: the context plus the prompt. */
  readonly contextTokens: number;
  readonly steps: number;
}

async function decode({
  session,
  device,
  io,
  prefillOutputs,
  firstTokenId,
  contextTokens,
  steps,
}: DecodeRequest): Promise<{
  stepMs: number[];
  tokenIds: number[];
  lastOutputs: ort.InferenceSession.OnnxValueMapType;
}> {
  const stepMs: number[] = [];
  const tokenIds: number[] = [];
  let previous = prefillOutputs;
  let token = firstTokenId;
  for (let step = 0; step < steps; step++) {
    const stepStart = performance.now();
    const feeds = decoderFeeds(io, {
      tokenIds: [token],
      pastTokens: contextTokens + step,
      past: kvCacheOf(io, previous),
    });
    const outputs = await session.run(feeds);
    await device.queue.onSubmittedWorkDone();
    const { firstTokenId: next } = await lastRowGreedyToken(device, io, outputs);
    stepMs.push(performance.now() - stepStart);
    tokenIds.push(next);
    if (previous !== prefillOutputs) disposeAll(previous);
    previous = outputs;
    token = next;
  }
  return { stepMs, tokenIds, lastOutputs: previous };
}
