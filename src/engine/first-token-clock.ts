/**
 * The clock every TTFT trial shares, whatever runs the prefill (an ordinary session or a captured one): time
 * `session.run` with the GPU work it submits, then stop the clock as the sync mode says — after the barrier
 * (`device.queue.onSubmittedWorkDone()`), the last row's readback and the argmax, or with the argmax on the GPU
 * the token id's readback (requested after the barrier or beside it: TokenReadback) — and only then, untimed for
 * TTFT, decode the greedy tokens after the first: each step closed by the same barrier and readback, or
 * pipelined on the GPU (pipelined-decode.ts).
 */
import { argmaxFloat16, argmaxFloat32 } from '../bench/argmax';
import { decodeMeasurement } from '../bench/decode-stats';
import type { DecodeLoop, FirstTokenArgmax, SyncMode, TokenReadback } from '../config/sweep-config';
import type { TrialMeasurement } from '../results/trial';
import type { DecoderIo } from '../source/decoder-io';
import { gpuBufferAccounting } from './gpu-buffer-accounting';
import type { GpuSpanTimer } from './gpu-span-timer';
import { gpuWorkSince, readGpuWorkCounts } from './gpu-work-counter';
import { GpuArgmax, TOKEN_ID_BYTES } from './gpu-argmax';
import { lastLogitsRow, readLastLogitsRow } from './logits-row';
import { readGpuBytes } from './readback';
import type { ort } from './ort-webgpu';
import { pipelinedGreedyDecode, type DecodeStep } from './pipelined-decode';

/** What a trial records up to the run's return: its first steps and the GPU work it submitted. */
export type RunPart = Pick<
  TrialMeasurement,
  'tokenizeMs' | 'uploadMs' | 'prefillMs' | 'promptTokens' | 'dispatches' | 'submits' | 'gpuBuffersCreated'
>;

/** The moments a trial passed before its run: the clock's start, tokenized, inputs ready. */
export interface PreRunMarks {
  readonly start: number;
  readonly tokenized: number;
  readonly uploaded: number;
  readonly promptTokens: number;
}

/** Runs the prefill between the GPU span timer's marks and counts the dispatches, submits and buffers it made. */
export async function timedRun<Outputs>(
  device: GPUDevice,
  gpuTimer: GpuSpanTimer | undefined,
  marks: PreRunMarks,
  run: () => Promise<Outputs>,
): Promise<{ outputs: Outputs; returned: number; runPart: RunPart }> {
  gpuTimer?.markStart();
  const workBefore = readGpuWorkCounts();
  const buffersBefore = gpuBufferAccounting(device)?.createdBuffers;
  const outputs = await run();
  const returned = performance.now();
  const work = gpuWorkSince(workBefore);
  const buffersAfter = gpuBufferAccounting(device)?.createdBuffers;
  gpuTimer?.markEnd();
  return {
    outputs,
    returned,
    runPart: {
      tokenizeMs: marks.tokenized - marks.start,
      uploadMs: marks.uploaded - marks.tokenized,
      prefillMs: returned - marks.uploaded,
      promptTokens: marks.promptTokens,
      dispatches: work.dispatches,
      submits: work.submits,
      gpuBuffersCreated:
        buffersBefore === undefined || buffersAfter === undefined ? undefined : buffersAfter - buffersBefore,
    },
  };
}

/**
 * Records and submits the argmax of the last position's logits row on the GPU, behind the prefill in the queue;
 * the row never leaves the GPU. Returns the buffer the id lands in (the caller reads it back and destroys it).
 */
function submitGpuArgmax(
  device: GPUDevice,
  io: DecoderIo,
  logits: ort.Tensor,
): { id: GPUBuffer; vocab: GPUBuffer } {
  const { vocabSize, start } = lastLogitsRow(logits);
  const argmax = GpuArgmax.for(device, io.logitsDataType);
  const vocab = argmax.vocabUniform(vocabSize, start);
  const id = argmax.tokenIdBuffer('first token id');
  const encoder = device.createCommandEncoder({ label: 'first token' });
  argmax.encode(encoder, logits.gpuBuffer, vocab, id);
  device.queue.submit([encoder.finish()]);
  return { id, vocab };
}

function logitsOnGpu(logits: ort.Tensor | undefined): ort.Tensor {
  if (logits === undefined || logits.location !== 'gpu-buffer') {
    throw new Error('the session did not leave logits on the GPU');
  }
  return logits;
}

function greedyTokenOfRow(io: DecoderIo, row: ArrayBuffer): number {
  return io.logitsDataType === 'float16'
    ? argmaxFloat16(new Uint16Array(row))
    : argmaxFloat32(new Float32Array(row));
}

/** Reads the last position's logits row from the GPU and picks the greedy token. */
export async function greedyTokenOf(
  device: GPUDevice,
  io: DecoderIo,
  logits: ort.Tensor | undefined,
): Promise<{ readBack: number; firstTokenId: number }> {
  const row = await readLastLogitsRow(device, io, logitsOnGpu(logits));
  const readBack = performance.now();
  return { readBack, firstTokenId: greedyTokenOfRow(io, row) };
}

/** When a trial's token bytes came back, and the moments the clock's parts are cut at. */
interface ClosedRead<T> {
  readonly value: T;
  /** When the read was issued: where the GPU wait starts. */
  readonly issued: number;
  /** When the barrier resolved (`issued` without one). */
  readonly drained: number;
  readonly readBack: number;
}

/**
 * Closes a trial on the bytes `read` copies back. `with-barrier` (barrier mode only): the copy and its mapping are
 * requested first and awaited beside the barrier, one round trip to the GPU process instead of two. Otherwise the
 * barrier (if any) is awaited from `since`, then the read.
 */
async function closeOnRead<T>(
  request: Pick<FirstTokenRequest, 'device' | 'syncMode' | 'tokenReadback'>,
  since: number,
  read: () => Promise<T>,
): Promise<ClosedRead<T>> {
  const { device, syncMode } = request;
  if (syncMode === 'barrier' && request.tokenReadback === 'with-barrier') {
    const requested = read();
    const issued = performance.now();
    const barrier = device.queue.onSubmittedWorkDone().then(() => performance.now());
    const [drained, value] = await Promise.all([barrier, requested]);
    return { value, issued, drained, readBack: performance.now() };
  }
  let drained = since;
  if (syncMode === 'barrier') {
    // ORT returns once its commands are submitted; this barrier waits until the GPU has finished them.
    await device.queue.onSubmittedWorkDone();
    drained = performance.now();
  }
  const value = await read();
  return { value, issued: since, drained, readBack: performance.now() };
}

export interface FirstTokenRequest {
  readonly device: GPUDevice;
  readonly io: DecoderIo;
  readonly syncMode: SyncMode;
  readonly gpuTimer: GpuSpanTimer | undefined;
  readonly start: number;
  readonly returned: number;
  readonly runPart: RunPart;
  /** The prefill's logits, on the GPU. */
  readonly logits: ort.Tensor | undefined;
  readonly decodeTokens: number;
  /** `synced`: each step closed like a trial, its token picked on the CPU; `pipelined`: pipelined-decode.ts. */
  readonly decodeLoop: DecodeLoop;
  /** Where the first token is picked: its logits row read back to the CPU, or an argmax on the GPU. */
  readonly firstTokenArgmax: FirstTokenArgmax;
  /** When a barrier trial asks for the first token's bytes: after the barrier resolved, or beside it. */
  readonly tokenReadback: TokenReadback;
  readonly decodeStep: DecodeStep;
}

/** Stops the clock as the sync mode says, then reads the GPU span and decodes (neither changes the TTFT numbers). */
export async function closeFirstToken(request: FirstTokenRequest): Promise<TrialMeasurement> {
  const { device, io, syncMode, gpuTimer, start, returned, runPart, logits } = request;
  const afterFirstToken = async (firstTokenId: number) => {
    const gpuSpanMs = await gpuTimer?.readSpanMs();
    const decoded =
      request.decodeLoop === 'pipelined'
        ? await pipelinedGreedyDecode(request, firstTokenId)
        : await timedGreedyDecode(request, firstTokenId);
    return { firstTokenId, gpuSpanMs, ...decodeMeasurement(decoded.stepMs, decoded.tokenIds) };
  };
  if (syncMode === 'none') {
    // The clock stopped at `returned`; the token is still read (untimed) so every trial reports one.
    await device.queue.onSubmittedWorkDone();
    const { firstTokenId } = await greedyTokenOf(device, io, logits);
    return {
      ...runPart,
      ttftMs: returned - start,
      gpuWaitMs: 0,
      readbackMs: 0,
      samplingMs: 0,
      ...(await afterFirstToken(firstTokenId)),
    };
  }
  if (request.firstTokenArgmax === 'gpu') {
    const { firstTokenId, ...parts } = await pickOnGpu(request);
    return { ...runPart, ...parts, ...(await afterFirstToken(firstTokenId)) };
  }
  // Reading the row back is readback time however it is issued; the wait between is the barrier's.
  const closed = await closeOnRead(request, returned, () =>
    readLastLogitsRow(device, io, logitsOnGpu(logits)),
  );
  const firstTokenId = greedyTokenOfRow(io, closed.value);
  const sampled = performance.now();
  return {
    ...runPart,
    ttftMs: sampled - start,
    gpuWaitMs: closed.drained - closed.issued,
    readbackMs: closed.issued - returned + (closed.readBack - closed.drained),
    samplingMs: sampled - closed.readBack,
    ...(await afterFirstToken(firstTokenId)),
  };
}

/**
 * The same clock with the pick on the GPU: the argmax is recorded and submitted as soon as `session.run` returns
 * (sampling), the barrier waits for the prefill and the argmax (GPU wait), and only the token id comes back
 * (readback: after the barrier, or requested with the argmax and awaited beside it). The parts still add up to
 * TTFT, in that order.
 */
async function pickOnGpu(
  request: FirstTokenRequest,
): Promise<Pick<TrialMeasurement, 'ttftMs' | 'gpuWaitMs' | 'readbackMs' | 'samplingMs' | 'firstTokenId'>> {
  const { device, io, start, returned } = request;
  const picked = submitGpuArgmax(device, io, logitsOnGpu(request.logits));
  try {
    // Issuing the id's read beside the barrier goes out right behind the argmax: part of the pick (sampling).
    const closed = await closeOnRead(request, performance.now(), () =>
      readGpuBytes(device, picked.id, 0, TOKEN_ID_BYTES),
    );
    return {
      ttftMs: closed.readBack - start,
      gpuWaitMs: closed.drained - closed.issued,
      readbackMs: closed.readBack - closed.drained,
      samplingMs: closed.issued - returned,
      firstTokenId: new Uint32Array(closed.value)[0]!,
    };
  } finally {
    picked.id.destroy();
    picked.vocab.destroy();
  }
}

/** Greedy decode (EOS ignored), each step timed like a trial: run, barrier, last-row readback, argmax. */
async function timedGreedyDecode(
  request: Pick<FirstTokenRequest, 'device' | 'io' | 'decodeTokens' | 'decodeStep'>,
  firstTokenId: number,
): Promise<{ stepMs: number[]; tokenIds: number[] }> {
  const { device, io, decodeTokens, decodeStep } = request;
  const stepMs: number[] = [];
  const tokenIds: number[] = [];
  let token = firstTokenId;
  for (let step = 0; step < decodeTokens; step++) {
    const stepStart = performance.now();
    const logits = await decodeStep({ id: token }, step);
    await device.queue.onSubmittedWorkDone();
    token = (await greedyTokenOf(device, io, logits)).firstTokenId;
    stepMs.push(performance.now() - stepStart);
    tokenIds.push(token);
  }
  return { stepMs, tokenIds };
}
