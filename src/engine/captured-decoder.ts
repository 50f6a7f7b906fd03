/**
 * A decoder whose GPU commands onnxruntime records once and replays on every later run (`enableGraphCapture`).
 * A replay skips onnxruntime's whole CPU side (kernel selection, shape inference, uniform and bind-group
 * creation: tens of µs per kernel), so what is left is the GPU's own work and the submit.
 *
 * What capture requires of the model and of us (onnxruntime-web 1.30):
 * - every input and output lives in a GPU buffer, bound on the first run and never rebound: new data goes into
 *   the same buffers (`queue.writeBuffer`) before each run (ids and mask are ours; the KV cache and the logits
 *   onnxruntime allocates, see kvBuffersOf);
 * - fixed shapes: a replay repeats the recorded dispatch sizes, so each prompt length gets a session of its own,
 *   and decode one more (one new token on a cache of fixed capacity);
 * - the static-KV form of the built-in graph (llama-fused-graph.ts): past and present are one buffer per layer,
 *   which both sessions of a length share, so the decode steps continue the cache the prefill wrote.
 */
import type { DecoderIo } from '../source/decoder-io';
import type { ModelFiles } from '../source/model-source';
import type { RuntimeOptions } from '../config/sweep-config';
import { createWebGpuSession, loadedOrt, type ort } from './ort-webgpu';
import type { StepToken } from './pipelined-decode';

const INT64_BYTES = 8;
const BUFFER_USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

interface Buffers {
  readonly inputIds: GPUBuffer;
  readonly attentionMask: GPUBuffer;
}

/** One captured session: its inputs and outputs, fixed for its life. */
interface CapturedSession {
  readonly session: ort.InferenceSession;
  readonly buffers: Buffers;
  readonly feeds: Record<string, ort.Tensor>;
  readonly fetches: Record<string, ort.Tensor | null>;
}

export interface CapturedDecoderRequest {
  readonly device: GPUDevice;
  readonly files: ModelFiles;
  readonly io: DecoderIo;
  /** The variant's ordinary session of the same static-KV graph: it allocates the KV buffers (see kvBuffersOf). */
  readonly kvSource: ort.InferenceSession;
  readonly runtime: Pick<RuntimeOptions, 'validationMode' | 'bufferCache'>;
  /** The prompt length the prefill session is captured for. */
  readonly promptTokens: number;
  /** Decode steps after the first token: the cache holds promptTokens + decodeTokens; 0 makes no decode session. */
  readonly decodeTokens: number;
}

function int64Bytes(values: readonly number[]): BigInt64Array<ArrayBuffer> {
  return BigInt64Array.from(values, (value) => BigInt(value));
}

/** A run's outputs, by name: what a captured run hands back (the logits, and the KV views it re-wraps). */
type RunOutputs = ort.InferenceSession.OnnxValueMapType;

export class CapturedDecoder {
  private constructor(
    private readonly device: GPUDevice,
    readonly io: DecoderIo,
    readonly promptTokens: number,
    readonly capacity: number,
    private readonly kv: readonly ort.Tensor[],
    private readonly prefillSession: CapturedSession,
    private readonly decodeSession: CapturedSession | undefined,
  ) {}

  /** Creates the prefill session (and the decode one) for `promptTokens`; nothing is captured until they run. */
  static async create(request: CapturedDecoderRequest): Promise<CapturedDecoder> {
    const { device, io, promptTokens, decodeTokens } = request;
    const capacity = promptTokens + decodeTokens;
    const kv = await kvBuffersOf(request, capacity);
    const created: CapturedSession[] = [];
    try {
      const open = async (newTokens: number): Promise<CapturedSession> => {
        const captured = await openSession(request, { newTokens, capacity, kv });
        created.push(captured);
        return captured;
      };
      const prefill = await open(promptTokens);
      const decode = decodeTokens > 0 ? await open(1) : undefined;
      const promptMask = new BigInt64Array(capacity).fill(1n, 0, promptTokens);
      device.queue.writeBuffer(prefill.buffers.attentionMask, 0, promptMask);
      return new CapturedDecoder(device, io, promptTokens, capacity, kv, prefill, decode);
    } catch (error) {
      await Promise.all(created.map((captured) => releaseSession(captured)));
      for (const tensor of kv) tensor.dispose();
      throw error;
    }
  }

  /** Writes the prompt's ids and its mask into the prefill session's bound buffers. */
  writePrompt(tokenIds: readonly number[]): void {
    if (tokenIds.length !== this.promptTokens) {
      throw new Error(`this captured session runs ${this.promptTokens} tokens, not ${tokenIds.length}`);
    }
    // The mask of a fresh prompt of this length never changes: create() wrote it once.
    this.device.queue.writeBuffer(this.prefillSession.buffers.inputIds, 0, int64Bytes(tokenIds));
  }

  /**
   * Runs the prefill on what writePrompt wrote: the first run captures, later ones replay. Returns the logits,
   * still on the GPU: the caller times the barrier and the readback, then disposes them.
   */
  prefill(): Promise<ort.Tensor> {
    return runCaptured(this.prefillSession);
  }

  /**
   * One decode step: `token` at `position` (the cache holds `position` tokens before it). A token still on the
   * GPU (a pipelined decode's argmax) is copied into the bound ids buffer in queue order.
   */
  async decodeStep(token: StepToken, position: number): Promise<ort.Tensor> {
    const captured = this.decodeSession;
    if (captured === undefined) throw new Error('this captured decoder has no decode session');
    if (position >= this.capacity) {
      throw new Error(`the captured cache holds ${this.capacity} tokens; position ${position} is past it`);
    }
    const queue = this.device.queue;
    if ('id' in token) {
      queue.writeBuffer(captured.buffers.inputIds, 0, int64Bytes([token.id]));
    } else {
      const encoder = this.device.createCommandEncoder({ label: 'captured decode input id' });
      encoder.copyBufferToBuffer(token.onGpu, 0, captured.buffers.inputIds, 0, 8);
      queue.submit([encoder.finish()]);
    }
    // The whole mask: a step's ones from an earlier trial must not stay behind.
    queue.writeBuffer(
      captured.buffers.attentionMask,
      0,
      new BigInt64Array(this.capacity).fill(1n, 0, position + 1),
    );
    return runCaptured(captured);
  }

  async release(): Promise<void> {
    await releaseSession(this.prefillSession);
    if (this.decodeSession !== undefined) await releaseSession(this.decodeSession);
    for (const tensor of this.kv) tensor.dispose();
  }
}

/**
 * One run; returns its logits (on the GPU, for the caller to read and dispose). The run also hands back the KV
 * outputs: our own fetch tensors as they are (kept for the next run), or fresh views of the same buffers on
 * later runs, which are disposed here.
 */
async function runCaptured(captured: CapturedSession): Promise<ort.Tensor> {
  const outputs = await captured.session.run(captured.feeds, captured.fetches);
  const ours = new Set(Object.values(captured.fetches));
  for (const [name, value] of Object.entries(outputs)) {
    if (name !== 'logits' && !ours.has(value)) value.dispose();
  }
  const logits = outputs['logits'];
  if (logits === undefined) throw new Error('the captured session returned no logits');
  return logits;
}

async function releaseSession(captured: CapturedSession): Promise<void> {
  await captured.session.release();
  captured.buffers.inputIds.destroy();
  captured.buffers.attentionMask.destroy();
}

/**
 * The KV buffers, [1, kv_heads, capacity, head_dim] each, allocated by onnxruntime itself: one run of the
 * variant's ordinary session on a zeroed cache, whose `present.*` outputs are kept. Why not our own buffers:
 * onnxruntime-web 1.30 forgets a caller's GPUBuffer between runs (its registration ends with each run), and a
 * captured session's later runs hand back the buffers bound at the first, which it then cannot look up; the
 * buffers it allocated itself stay registered for as long as their tensors live.
 */
async function kvBuffersOf(request: CapturedDecoderRequest, capacity: number): Promise<ort.Tensor[]> {
  const { device, io, kvSource } = request;
  const { Tensor } = loadedOrt();
  const kvBytes = io.kvDataType === 'float16' ? 2 : 4;
  const kvDims = [1, io.numKeyValueHeads, capacity, io.headDim];
  const kvSize = kvDims.reduce((product, dim) => product * dim, kvBytes);
  const zeroed = io.pastInputNames.map(() => device.createBuffer({ size: kvSize, usage: BUFFER_USAGE }));
  const mask = new BigInt64Array(capacity);
  mask[0] = 1n;
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new Tensor('int64', BigInt64Array.of(0n), [1, 1]),
    attention_mask: new Tensor('int64', mask, [1, capacity]),
  };
  io.pastInputNames.forEach((name, index) => {
    feeds[name] = Tensor.fromGpuBuffer(zeroed[index]!, { dataType: io.kvDataType, dims: kvDims });
  });
  let outputs: RunOutputs;
  try {
    outputs = await kvSource.run(feeds);
  } finally {
    await device.queue.onSubmittedWorkDone();
    for (const buffer of zeroed) buffer.destroy();
  }
  const kv: ort.Tensor[] = [];
  for (const [name, value] of Object.entries(outputs)) {
    if (!name.startsWith('present.')) value.dispose();
  }
  for (const name of io.pastInputNames) {
    const present = outputs[name.replace('past_key_values.', 'present.')];
    if (present === undefined || present.location !== 'gpu-buffer') {
      throw new Error(`the model returned no GPU ${name.replace('past_key_values.', 'present.')}`);
    }
    kv.push(present);
  }
  return kv;
}

async function openSession(
  request: CapturedDecoderRequest,
  shape: { readonly newTokens: number; readonly capacity: number; readonly kv: readonly ort.Tensor[] },
): Promise<CapturedSession> {
  const { device, io } = request;
  const { newTokens, capacity, kv } = shape;
  const { Tensor } = loadedOrt();
  const buffers: Buffers = {
    // writeBuffer and bindings want sizes in multiples of 4; int64 ids always are.
    inputIds: device.createBuffer({
      label: 'captured input_ids',
      size: newTokens * INT64_BYTES,
      usage: BUFFER_USAGE,
    }),
    attentionMask: device.createBuffer({
      label: 'captured attention_mask',
      size: capacity * INT64_BYTES,
      usage: BUFFER_USAGE,
    }),
  };
  const feeds: Record<string, ort.Tensor> = {
    input_ids: Tensor.fromGpuBuffer(buffers.inputIds, { dataType: 'int64', dims: [1, newTokens] }),
    attention_mask: Tensor.fromGpuBuffer(buffers.attentionMask, { dataType: 'int64', dims: [1, capacity] }),
  };
  // Logits: onnxruntime allocates them (see kvBuffersOf for why not ours).
  const fetches: Record<string, ort.Tensor | null> = { logits: null };
  io.pastInputNames.forEach((name, index) => {
    const tensor = kv[index]!;
    const view = { dataType: io.kvDataType, dims: tensor.dims };
    // One buffer for past and present: GroupQueryAttention sees the shared buffer and writes the new tokens in place.
    feeds[name] = Tensor.fromGpuBuffer(tensor.gpuBuffer, view);
    fetches[name.replace('past_key_values.', 'present.')] = Tensor.fromGpuBuffer(tensor.gpuBuffer, view);
  });
  let session: ort.InferenceSession;
  try {
    session = await createWebGpuSession({
      device,
      files: request.files,
      runtime: request.runtime,
      graphCapture: true,
    });
  } catch (error) {
    buffers.inputIds.destroy();
    buffers.attentionMask.destroy();
    throw error;
  }
  return { session, buffers, feeds, fetches };
}
