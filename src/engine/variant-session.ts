/**
 * The engine's two measured steps, shared by the sweep runner and the race: load one quantization variant
 * into a checked WebGPU session, and run one timed trial on it. Whoever calls these measures exactly what
 * the app measures.
 */
import { cpuMatchFields } from '../bench/cpu-match';
import type {
  DecodeLoop,
  FirstTokenArgmax,
  RuntimeOptions,
  SyncMode,
  TokenReadback,
} from '../config/sweep-config';
import type { Quantization } from '../model/config';
import type { TrialMeasurement, VariantLoadRecord } from '../results/trial';
import type { TrialFieldsOf } from '../results/trial-fields';
import type { TextTokenizer } from '../tokenizer/tokenizer';
import { errorMessage } from '../error-message';
import { describeDecoderIo, type DecoderIo } from '../source/decoder-io';
import { summarizeGraph } from '../model/graph-form';
import { readGraphNodes } from '../model/onnx-read';
import { sha256Hex } from './environment';
import type { GpuSpanTimer } from './gpu-span-timer';
import { takeGpuErrors } from './gpu-errors';
import { configureOrt, createWebGpuSession, loadOrt, type ort } from './ort-webgpu';
import { explainGpuErrors, explainSessionError } from './session-errors';
import type { FetchProgress, ModelFiles } from '../source/model-source';
import type { ModelProvider } from './types';
import { runTrial, type TrialContext } from './trial';
import { checkedTrial } from './trial-checks';
import { checkVariant, type VariantCheck } from './variant-check';
import { profileKernels } from './kernel-profile-run';
import type { KernelProfileReport } from '../results/kernel-profile';

export interface LoadedVariant {
  readonly session: ort.InferenceSession;
  readonly io: DecoderIo;
  readonly modelSha256: string;
  /** What every trial on this variant records about it. */
  readonly recordFields: TrialFieldsOf<'variant'>;
  /** The files, kept where trials make captured sessions of them (graph capture); else undefined. */
  readonly files: ModelFiles | undefined;
}

export interface VariantLoad {
  readonly variant: LoadedVariant;
  readonly modelBytes: number;
  /** Graph nodes in one decoder layer, where node names say their layer. */
  readonly nodesPerLayer: number | undefined;
  readonly filesFrom: VariantLoadRecord['filesFrom'];
  /** Building, downloading or reading the files. */
  readonly prepareMs: number;
  /** Session creation: graph optimization, shader compilation, weight upload. */
  readonly sessionCreateMs: number;
  /** The check against the CPU and the node placement, when asked for. */
  readonly check: VariantCheck | undefined;
  /** The kernel profile, when asked for. */
  readonly kernelProfile: KernelProfileReport | undefined;
}

export interface LoadSteps {
  onChecking(): void;
  onProfiling(): void;
  onCompiling(): void;
  onFetch(progress: FetchProgress): void;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new DOMException('The sweep was cancelled', 'AbortError');
}

export interface LoadVariantRequest {
  readonly device: GPUDevice;
  readonly provider: ModelProvider;
  readonly quantization: Quantization;
  readonly signal: AbortSignal;
  /** onnxruntime-web's build and context settings for this session (the same for every session of a run). */
  readonly runtime: RuntimeOptions;
  readonly steps: LoadSteps;
  /**
   * Check the variant first (its placement, and with `cpuMatch` its logits against the CPU backend), on a
   * device of its own, before the measured session exists; undefined: no check.
   */
  readonly check: { readonly cpuMatch: boolean } | undefined;
  /** Trials will run captured sessions (captured-decoder.ts) made from the same files. */
  readonly graphCapture: boolean;
  /** Profile the variant's kernels on these prompts first (kernel-profile-run.ts); undefined: no profile. */
  readonly kernelProfile: { readonly promptTexts: readonly string[] } | undefined;
}

export async function loadVariantSession({
  device,
  provider,
  quantization,
  signal,
  runtime,
  steps,
  check,
  graphCapture,
  kernelProfile,
}: LoadVariantRequest): Promise<VariantLoad> {
  const prepareStart = performance.now();
  const { files, filesFrom } = await provider.loadVariant(quantization, signal, steps.onFetch);
  const prepareMs = performance.now() - prepareStart;
  throwIfAborted(signal);
  const modelSha256 = await sha256Hex(files.modelBytes);
  // Read before onnxruntime takes the bytes; judged only once onnxruntime has accepted the file. Cheap: tensor
  // bytes are not copied (about 50 ms for a 650 MB single-file model in Node).
  const nodes = readGraphNodes(files.modelBytes);
  await loadOrt(runtime.ortBuild);
  // The log hook must be in place before onnxruntime starts, and the check may be its first session.
  configureOrt(device);
  let checked: VariantCheck | undefined;
  if (check !== undefined) {
    steps.onChecking();
    checked = await checkVariant({
      files,
      quantization,
      tokenizer: provider.tokenizer,
      cpuMatch: check.cpuMatch,
      runtime,
      signal,
    });
    throwIfAborted(signal);
  }
  // A graph that leaves the KV head size symbolic (onnxruntime-genai's `kv_cache_dim`) takes config.json's.
  const shapeHint = { headDim: provider.description.decoder?.headDim };
  let profiled: KernelProfileReport | undefined;
  if (kernelProfile !== undefined) {
    steps.onProfiling();
    profiled = await profileKernels({
      files,
      runtime,
      prompts: kernelProfile.promptTexts.map((text) => provider.tokenizer.encode(text)),
      shapeHint,
      signal,
    });
    throwIfAborted(signal);
  }
  steps.onCompiling();
  const createStart = performance.now();
  let session: ort.InferenceSession;
  try {
    session = await createWebGpuSession({ device, files, runtime });
  } catch (error) {
    throw new Error(explainSessionError(quantization, error), { cause: error });
  }
  const sessionCreateMs = performance.now() - createStart;
  // Weight uploads that did not fit show up as GPU errors, not as exceptions.
  await device.queue.onSubmittedWorkDone();
  const loadErrors = await takeGpuErrors(device);
  if (loadErrors.length > 0) {
    await session.release();
    throw new Error(explainGpuErrors(`loading the ${quantization} model`, loadErrors));
  }
  let io: DecoderIo;
  try {
    io = describeDecoderIo(session.inputMetadata, session.outputMetadata, shapeHint);
    provider.checkDecoderIo(io);
    if (!nodes.ok) throw new Error(`its graph could not be read (${nodes.reason})`);
  } catch (error) {
    await session.release();
    throw new Error(`The ${quantization} model cannot be measured: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const modelBytes =
    files.modelBytes.byteLength + files.externalData.reduce((sum, file) => sum + file.data.byteLength, 0);
  const graph = summarizeGraph(nodes.nodes, io.numLayers);
  const recordFields: TrialFieldsOf<'variant'> = {
    lmHead: io.lmHead,
    graph: graph.form,
    qkv: graph.qkv,
    accuracyLevel: graph.accuracyLevel,
    graphCapture,
    modelSha256,
    ...cpuMatchFields(checked?.cpuMatch ?? { kind: 'off' }),
  };
  return {
    variant: { session, io, modelSha256, recordFields, files: graphCapture ? files : undefined },
    nodesPerLayer: graph.nodesPerLayer,
    modelBytes,
    filesFrom,
    prepareMs,
    sessionCreateMs,
    check: checked,
    kernelProfile: profiled,
  };
}

export interface MeasureTrialRequest {
  readonly device: GPUDevice;
  readonly variant: LoadedVariant;
  readonly tokenizer: TextTokenizer;
  readonly promptText: string;
  readonly promptTokens: number;
  /** Tokens already in the KV cache: the prompt is then encoded without special tokens (no second BOS). */
  readonly context: TrialContext | undefined;
  readonly syncMode: SyncMode;
  readonly decodeTokens: number;
  readonly decodeLoop: DecodeLoop;
  readonly firstTokenArgmax: FirstTokenArgmax;
  readonly tokenReadback: TokenReadback;
  readonly gpuTimer: GpuSpanTimer | undefined;
  readonly signal: AbortSignal;
  /** For messages: "running the q4 trial at 512 tokens". */
  readonly what: string;
}

/** One trial, then a check that no GPU error happened during it: a trial that ran through one measured nothing. */
export function measureTrial(request: MeasureTrialRequest): Promise<TrialMeasurement> {
  return checkedTrial(request, () =>
    runTrial({
      session: request.variant.session,
      device: request.device,
      io: request.variant.io,
      tokenizer:
        request.context === undefined
          ? request.tokenizer
          : { encode: (text) => request.tokenizer.encodeContinuation(text) },
      context: request.context,
      promptText: request.promptText,
      expectedTokens: request.promptTokens,
      syncMode: request.syncMode,
      decodeTokens: request.decodeTokens,
      decodeLoop: request.decodeLoop,
      firstTokenArgmax: request.firstTokenArgmax,
      tokenReadback: request.tokenReadback,
      gpuTimer: request.gpuTimer,
    }),
  );
}
