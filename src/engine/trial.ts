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
import { loadedOrt, type ort } from './ort-webgpu';
import { readGpuBytes } from './readback';

export interface TrialTokenizer {
  encode(text: string): number[];
}

export interface TrialRequest {
  readonly session: ort.InferenceSession;
  /** The device onnxruntime runs on: the barrier waits on its queue. */
  readonly device: GPUDevice;
  readonly io: DecoderIo;
  readonly tokenizer: TrialTokenizer;
  readonly promptText: string;
  /** The token count the prompt was built for; a mismatch fails the trial instead of measuring another length. */
  readonly expectedTokens: number | undefined;
  readonly syncMode: SyncMode;
  /** Greedy tokens to decode after the first (untimed for TTFT), 0 for none. */
  readonly decodeTokens: number;
  /** Timestamp queries around `session.run`, where the adapter has them. */
  readonly gpuTimer: GpuSpanTimer | undefined;
}

function int64Tensor(values: BigInt64Array, dims: readonly number[]): ort.Tensor {
  return new (loadedOrt().Tensor)('int64', values, dims);
}

/** Inputs for a prefill from an empty KV cache, as Hugging Face exports expect them. */
export function buildPrefillFeeds(tokenIds: readonly number[], io: DecoderIo): Record<string, ort.Tensor> {
  const length = tokenIds.length;
  const ids = new BigInt64Array(length);
  const mask = new BigInt64Array(length);
  const positions = new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    ids[i] = BigInt(tokenIds[i]!);
    mask[i] = 1n;
    positions[i] = BigInt(i);
  }
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64Tensor(ids, [1, length]),
    attention_mask: int64Tensor(mask, [1, length]),
  };
  if (io.hasPositionIds) feeds['position_ids'] = int64Tensor(positions, [1, length]);
  if (io.hasUseCacheBranch)
    feeds['use_cache_branch'] = new (loadedOrt().Tensor)('bool', Uint8Array.of(0), [1]);
  const pastDims = [1, io.numKeyValueHeads, 0, io.headDim];
  for (const name of io.pastInputNames) {
    feeds[name] =
      io.kvDataType === 'float16'
        ? new (loadedOrt().Tensor)('float16', new Uint16Array(0), pastDims)
        : new (loadedOrt().Tensor)('float32', new Float32Array(0), pastDims);
  }
  return feeds;
}

function disposeAll(outputs: ort.InferenceSession.OnnxValueMapType): void {
  for (const value of Object.values(outputs)) value.dispose();
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
  const vocabSize = logits.dims[logits.dims.length - 1]!;
  const bytesPerValue = io.logitsDataType === 'float16' ? 2 : 4;
  const rowBytes = vocabSize * bytesPerValue;
  // Graphs that compute the LM head for the last position only return one row, whatever the prompt length.
  const rows = logits.dims[logits.dims.length - 2]!;
  const row = await readGpuBytes(device, logits.gpuBuffer, (rows - 1) * rowBytes, rowBytes);
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
  const start = performance.now();
  const tokenIds = tokenizer.encode(promptText);
  const tokenized = performance.now();
  if (expectedTokens !== undefined && tokenIds.length !== expectedTokens) {
    throw new Error(`prompt tokenized to ${tokenIds.length} tokens, expected ${expectedTokens}`);
  }
  const feeds = buildPrefillFeeds(tokenIds, io);
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
    if (syncMode === 'none') {
      // The clock stopped at `returned`; the token is still read (untimed) so every trial reports one.
      await device.queue.onSubmittedWorkDone();
      const { firstTokenId } = await lastRowGreedyToken(device, io, outputs);
      const gpuSpanMs = await gpuTimer?.readSpanMs();
      const decoded = await decode({
        session,
        device,
        io,
        prefillOutputs: outputs,
        firstTokenId,
        promptTokens: tokenIds.length,
        steps: decodeTokens,
      });
      presents = decoded.lastOutputs;
      return {
        ...base,
        ttftMs: returned - start,
        gpuWaitMs: 0,
        readbackMs: 0,
        samplingMs: 0,
        firstTokenId,
        gpuSpanMs,
        ...decodeMeasurement(decoded.stepMs, decoded.tokenIds),
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
    const gpuSpanMs = await gpuTimer?.readSpanMs();
    // Decode runs after the TTFT clock has stopped; it never changes the TTFT numbers.
    const decoded = await decode({
      session,
      device,
      io,
      prefillOutputs: outputs,
      firstTokenId,
      promptTokens: tokenIds.length,
      steps: decodeTokens,
    });
    presents = decoded.lastOutputs;
    return {
      ...base,
      ttftMs: sampled - start,
      gpuWaitMs: drained - returned,
      readbackMs: readBack - drained,
      samplingMs: sampled - readBack,
      firstTokenId,
      gpuSpanMs,
      ...decodeMeasurement(decoded.stepMs, decoded.tokenIds),
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
  readonly promptTokens: number;
  readonly steps: number;
}

async function decode({
  session,
  device,
  io,
  prefillOutputs,
  firstTokenId,
  promptTokens,
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
    const position = promptTokens + step;
    const stepStart = performance.now();
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64Tensor(BigInt64Array.of(BigInt(token)), [1, 1]),
      attention_mask: int64Tensor(new BigInt64Array(position + 1).fill(1n), [1, position + 1]),
    };
    if (io.hasPositionIds) feeds['position_ids'] = int64Tensor(BigInt64Array.of(BigInt(position)), [1, 1]);
    if (io.hasUseCacheBranch)
      feeds['use_cache_branch'] = new (loadedOrt().Tensor)('bool', Uint8Array.of(1), [1]);
    for (const name of io.pastInputNames) {
      const present = previous[name.replace('past_key_values.', 'present.')];
      if (present === undefined)
        throw new Error(`the model returned no ${name.replace('past_key_values.', 'present.')}`);
      feeds[name] = present as ort.Tensor;
    }
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
