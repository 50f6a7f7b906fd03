/**
 * A variant's check, before its measured session exists and never inside a timed trial:
 *
 * 1. CPU match: onnxruntime-web's wasm (CPU) backend runs the same files on one fixed prompt and greedily
 *    continues it by CPU_MATCH_TOKENS tokens; a WebGPU session then scores the same sequence (teacher forcing)
 *    and the logits rows are compared (bench/cpu-match.ts).
 * 2. Node placement: that WebGPU session is created with onnxruntime's VERBOSE log, which lists the nodes each
 *    execution provider got (bench/ort-placement-log.ts).
 *
 * The WebGPU session lives on a GPUDevice of its own, destroyed afterwards: onnxruntime keeps its compiled
 * shaders and buffer caches per device, so nothing it did for the check warms up (or fills the memory of) the
 * device the trials are measured on, and the measured session's first inference stays its cold one (as far as
 * the browser's own shader cache allows, which already carries over between runs). A VERBOSE session also logs
 * every dispatch, which is why it cannot be the measured session itself.
 */
import { argmaxFloat32 } from '../bench/argmax';
import {
  clipText,
  compareLogitRows,
  CPU_MATCH_PROMPT,
  CPU_MATCH_TOKENS,
  cpuHeapProblem,
  type CpuMatchOutcome,
} from '../bench/cpu-match';
import { parseNodePlacement } from '../bench/ort-placement-log';
import { errorMessage } from '../error-message';
import { float16BitsToFloat32 } from '../model/float16';
import type { Quantization } from '../model/config';
import type { RuntimeOptions } from '../config/sweep-config';
import type { PlacementReport } from '../results/node-placement';
import { describeDecoderIo, type DecoderIo } from '../source/decoder-io';
import type { ModelFiles } from '../source/model-source';
import type { TextTokenizer } from '../tokenizer/tokenizer';
import { decoderFeeds, disposeAll, kvCacheOf } from './decoder-feeds';
import { acquireGpuDevice } from './gpu-device';
import { takeGpuErrors } from './gpu-errors';
import { captureOrtLog } from './ort-log';
import { createCpuSession, createPlacementLoggingSession, type ort } from './ort-webgpu';
import { lastLogitsRow, readLastLogitsRow } from './logits-row';

export interface VariantCheckRequest {
  readonly files: ModelFiles;
  readonly quantization: Quantization;
  readonly tokenizer: TextTokenizer;
  /** Compare with the CPU; placement is read either way. */
  readonly cpuMatch: boolean;
  /** The measured session's settings, so the check's session is made the same way. */
  readonly runtime: RuntimeOptions;
  readonly signal: AbortSignal;
}

export interface VariantCheck {
  readonly cpuMatch: CpuMatchOutcome;
  readonly placement: PlacementReport;
  /** How long the whole check took (CPU session and runs, the check's WebGPU session and runs). */
  readonly checkMs: number;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('The sweep was cancelled', 'AbortError');
}

function modelBytesOf(files: ModelFiles): number {
  return (
    files.modelBytes.byteLength + files.externalData.reduce((sum, file) => sum + file.data.byteLength, 0)
  );
}

/** The last position's row of a logits tensor already on the CPU, as float32. */
function cpuLastRow(logits: ort.Tensor): Float32Array {
  const { vocabSize: vocab, start } = lastLogitsRow(logits);
  const { data } = logits;
  if (logits.type === 'float16' && data instanceof Uint16Array) {
    return Float32Array.from(data.subarray(start, start + vocab), float16BitsToFloat32);
  }
  if (logits.type === 'float32' || logits.type === 'float16') {
    // float32, or a platform Float16Array.
    const values = data as ArrayLike<number>;
    return Float32Array.from({ length: vocab }, (_, i) => values[start + i]!);
  }
  throw new Error(`logits of type ${logits.type}`);
}

async function gpuLastRow(device: GPUDevice, io: DecoderIo, logits: ort.Tensor): Promise<Float32Array> {
  const bytes = await readLastLogitsRow(device, io, logits);
  return io.logitsDataType === 'float16'
    ? Float32Array.from(new Uint16Array(bytes), float16BitsToFloat32)
    : new Float32Array(bytes);
}

function logitsOf(outputs: ort.InferenceSession.OnnxValueMapType): ort.Tensor {
  const logits = outputs['logits'];
  if (logits === undefined) throw new Error('the model returned no logits');
  return logits as ort.Tensor;
}

/**
 * Runs the prompt, then one token at a time: `next(row, step)` picks the token fed after each row (the CPU
 * picks its argmax; WebGPU is fed the CPU's tokens). Returns one logits row per position.
 */
async function scoreSequence(options: {
  readonly session: ort.InferenceSession;
  readonly io: DecoderIo;
  readonly promptIds: readonly number[];
  readonly readRow: (logits: ort.Tensor) => Promise<Float32Array>;
  readonly next: (row: Float32Array, step: number) => number;
  readonly signal: AbortSignal;
}): Promise<Float32Array[]> {
  const { session, io, promptIds, readRow, next, signal } = options;
  const rows: Float32Array[] = [];
  let outputs = await session.run(decoderFeeds(io, { tokenIds: promptIds, pastTokens: 0, past: undefined }));
  try {
    for (let step = 0; ; step++) {
      const row = await readRow(logitsOf(outputs));
      rows.push(row);
      if (rows.length === CPU_MATCH_TOKENS) return rows;
      throwIfAborted(signal);
      const following = await session.run(
        decoderFeeds(io, {
          tokenIds: [next(row, step)],
          pastTokens: promptIds.length + step,
          past: kvCacheOf(io, outputs),
        }),
      );
      disposeAll(outputs);
      outputs = following;
    }
  } finally {
    disposeAll(outputs);
  }
}

interface CpuReference {
  readonly tokens: readonly number[];
  readonly rows: readonly Float32Array[];
}

async function cpuReference(
  files: ModelFiles,
  promptIds: readonly number[],
  signal: AbortSignal,
): Promise<CpuReference> {
  const session = await createCpuSession(files);
  try {
    const io = describeDecoderIo(session.inputMetadata, session.outputMetadata);
    const tokens: number[] = [];
    const rows = await scoreSequence({
      session,
      io,
      promptIds,
      readRow: (logits) => Promise.resolve(cpuLastRow(logits)),
      next: (row) => {
        const token = argmaxFloat32(row);
        tokens.push(token);
        return token;
      },
      signal,
    });
    tokens.push(argmaxFloat32(rows.at(-1)!));
    return { tokens, rows };
  } finally {
    await session.release();
  }
}

function finished(cpuMatch: CpuMatchOutcome, placement: PlacementReport, started: number): VariantCheck {
  // Reasons are error messages: kept within what a load record may hold.
  const clipped: PlacementReport =
    placement.kind === 'measured' ? placement : { ...placement, reason: clipText(placement.reason, 2000) };
  return { cpuMatch, placement: clipped, checkMs: performance.now() - started };
}

export async function checkVariant(request: VariantCheckRequest): Promise<VariantCheck> {
  const { files, quantization, tokenizer, signal } = request;
  const started = performance.now();
  const promptIds = tokenizer.encode(CPU_MATCH_PROMPT);
  let cpuMatch: CpuMatchOutcome = { kind: 'off' };
  let reference: CpuReference | undefined;
  if (request.cpuMatch) {
    const tooBig = cpuHeapProblem(modelBytesOf(files));
    if (tooBig !== undefined) {
      cpuMatch = { kind: 'not measured', reason: tooBig };
    } else {
      try {
        reference = await cpuReference(files, promptIds, signal);
      } catch (error) {
        throwIfAborted(signal);
        cpuMatch = {
          kind: 'not measured',
          reason: `onnxruntime-web's wasm (CPU) backend could not run it: ${errorMessage(error)}`,
        };
      }
    }
  }
  throwIfAborted(signal);

  let placement: PlacementReport;
  const acquired = await acquireGpuDevice();
  if (acquired.kind !== 'ready') {
    const reason = `no second WebGPU device for the check: ${acquired.reason}`;
    placement = { kind: 'not measured', reason };
    if (reference !== undefined) cpuMatch = { kind: 'not measured', reason };
    return finished(cpuMatch, placement, started);
  }
  const { device } = acquired;
  try {
    let session: ort.InferenceSession;
    try {
      const created = await captureOrtLog(`ttft-check-${quantization}`, () =>
        createPlacementLoggingSession(
          { device, files, runtime: request.runtime },
          `ttft-check-${quantization}`,
        ),
      );
      session = created.result;
      const parsed = parseNodePlacement(created.lines);
      placement =
        parsed === undefined
          ? { kind: 'not measured', reason: 'onnxruntime wrote no placement report' }
          : { kind: 'measured', ...parsed };
    } catch (error) {
      throwIfAborted(signal);
      const reason = `the check's WebGPU session could not be created: ${errorMessage(error)}`;
      placement = { kind: 'not measured', reason };
      if (reference !== undefined) cpuMatch = { kind: 'not measured', reason };
      return finished(cpuMatch, placement, started);
    }
    try {
      if (reference !== undefined) {
        const cpu = reference;
        const io = describeDecoderIo(session.inputMetadata, session.outputMetadata);
        const gpuRows = await scoreSequence({
          session,
          io,
          promptIds,
          readRow: (logits) => gpuLastRow(device, io, logits),
          // Teacher forcing: WebGPU is fed the CPU's greedy tokens, whatever it would have picked.
          next: (_row, step) => cpu.tokens[step]!,
          signal,
        });
        const errors = await takeGpuErrors(device);
        cpuMatch =
          errors.length > 0
            ? { kind: 'not measured', reason: `WebGPU reported errors: ${errors.join('; ')}` }
            : { kind: 'measured', metrics: compareLogitRows(cpu.rows, gpuRows) };
      }
    } catch (error) {
      throwIfAborted(signal);
      cpuMatch = { kind: 'not measured', reason: `the WebGPU runs failed: ${errorMessage(error)}` };
    } finally {
      await session.release();
    }
  } finally {
    device.destroy();
  }
  return finished(cpuMatch, placement, started);
}
