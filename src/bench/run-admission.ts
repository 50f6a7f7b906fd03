/**
 * Can this run work here? One pure check for every way a run starts (the form, a share link, "Run this on my
 * GPU", autorun, Resume, the CLI through autorun), made before anything is built or downloaded. It takes a
 * plain description — each variant's footprint (the adapter's own verdict on it, weights, the files handed to
 * the engine), the model's shape, the run's longest prompt, and what this browser and GPU can give — and
 * returns the reasons a run cannot fit, each with what to pick instead.
 *
 * The limits, and why each is one:
 * - the adapter's verdict (features such as shader-f16, the largest weight against its buffer limits, an
 *   .onnx over protobuf's 2 GiB): computed by the caller with the same function the form uses;
 * - a file handed from the page to the engine worker travels as one ArrayBuffer, and Chromium's structured
 *   clone (postMessage, transferred or not) stops at 2 GiB ("ArrayBuffer/ArrayBufferView size exceeds the
 *   supported range"); the builder writes all weights of a large model into one external-data file;
 * - onnxruntime-web copies the .onnx into its 32-bit WebAssembly heap (4 GiB at most) and parses it there, so
 *   an .onnx with its weights inside needs about twice its size of heap;
 * - every tensor is one GPU buffer, so the largest activation (the logits, [T, vocab]; in the built-in graph
 *   also the float32 attention scores, [heads, T, T]) must fit `maxBufferSize`;
 * - memory: the page holds a variant's files while loading it (a built-in one twice while the builder encodes
 *   it), the GPU holds the weights (all levels at once in interleaved order), the KV cache and activations at
 *   the longest prompt. Compared with the device memory the browser reports where it says enough to judge
 *   (`navigator.deviceMemory` is capped at 8 GiB, so a reported 8 GiB means "at least"), and with GPU memory
 *   where it is known (a software adapter's GPU memory is the host's).
 */
import { formatBytes } from '../format-bytes';
import type { LmHead, SweepOrder } from '../config/sweep-config';
import type { Quantization } from '../model/config';
import { scoreTensorBytes } from './buffer-cliff';
import { largestPrefillPasses, type PrefillPass } from './context-chunks';

/** Chromium's structured clone refuses an ArrayBuffer of 2 GiB or more. */
export const MAX_TRANSFER_BYTES = 2 ** 31 - 1;
/** onnxruntime-web's WebAssembly memory is 32-bit: 65,536 pages of 64 KiB. */
export const WASM_HEAP_BYTES = 2 ** 32;
/** onnxruntime's own code, arena and buffers in that heap, besides the model. */
const WASM_RESERVED_BYTES = 256 * 2 ** 20;
/** Leave the rest of the machine some memory: a run may use at most this share of what is reported. */
const MEMORY_SHARE = 0.75;

/** The model's shape, as far as memory goes (a preset's config, or a repository's config.json). */
export interface ModelShape {
  readonly numLayers: number;
  readonly hiddenSize: number;
  readonly numAttentionHeads: number;
  readonly numKeyValueHeads: number;
  readonly headDim: number;
  readonly vocabSize: number;
  /** The MLP's width, where the config gives it. */
  readonly intermediateSize: number | undefined;
  /**
   * `built-in`: the app's own plain graph, whose attention materializes float32 scores [heads, T, T] and mask
   * [T, T]; `built-in-fused`: the app's own fused graph, whose flash attention materializes none; `exported`: a
   * repository's graph. Of the last two only the logits, MLP and KV cache are counted.
   */
  readonly graph: 'built-in' | 'built-in-fused' | 'exported';
}

/** One file as the engine receives it: one buffer. */
export interface FileFootprint {
  readonly path: string;
  readonly bytes: number;
}

/** One quantization level of the model, described before anything is built or downloaded. */
export interface VariantFootprint {
  readonly quantization: Quantization;
  /** The form's verdict for this adapter (features, buffer limits, protobuf size); undefined when it can run. */
  readonly adapterRefusal: string | undefined;
  /** Bytes of weights the session uploads to the GPU. */
  readonly weightBytes: number;
  /** The .onnx and its external-data files, each handed to the engine worker in one piece. */
  readonly files: readonly FileFootprint[];
  /** Which file is the .onnx itself (copied into the WebAssembly heap). */
  readonly modelFilePath: string;
  /** `built`: written in a worker, held twice while encoding; `fetched`: downloaded or read from disk. */
  readonly filesFrom: 'built' | 'fetched';
  /** Bytes per activation element: 2 for float16 activations, 4 for float32. */
  readonly activationBytes: 2 | 4;
}

/** What the run asks for, as far as memory goes. */
export interface RunDemand {
  readonly quantizations: readonly Quantization[];
  /** The longest prompt, in tokens (for a custom prompt, its estimate). */
  readonly longestPromptTokens: number;
  /** The deepest context depth: tokens in the KV cache before a prompt (0: fresh prompts only). */
  readonly deepestContextTokens: number;
  readonly decodeTokens: number;
  readonly lmHead: LmHead;
  readonly order: SweepOrder;
  /** Captured sessions: each level also holds a captured prefill and a captured decode session, each with its own weights. */
  readonly graphCapture: boolean;
}

/** Copies of a level's weights on the GPU: its session, plus the captured prefill and decode sessions. */
export function weightCopies(demand: Pick<RunDemand, 'graphCapture'>): number {
  return demand.graphCapture ? 3 : 1;
}

/** What this browser and GPU can give. */
export interface HostLimits {
  /** Undefined while the engine is still looking for an adapter: only the adapter-free limits are judged. */
  readonly maxBufferSizeBytes: number | undefined;
  /** `navigator.deviceMemory` in bytes; `capped` when the browser's report is its ceiling (so "at least"). */
  readonly deviceMemory: { readonly bytes: number; readonly capped: boolean } | undefined;
  /** GPU memory where it is known (a software adapter renders in host memory); undefined otherwise. */
  readonly gpuMemoryBytes: number | undefined;
  /** Whether GPU memory is host memory (software adapters, unified-memory integrated GPUs when known). */
  readonly gpuSharesHostMemory: boolean;
}

export interface AdmissionRequest {
  readonly model: ModelShape;
  /** Every level the run measures; a level missing here is refused as unknown. */
  readonly variants: readonly VariantFootprint[];
  readonly demand: RunDemand;
  readonly host: HostLimits;
}

/** One reason the run cannot work; `quantization` when it is one level's. */
export interface Refusal {
  readonly quantization: Quantization | undefined;
  readonly reason: string;
}

/** What the run needs, for the page to show and the caller to log. */
export interface RunFootprint {
  /** Peak bytes the page's process holds (files while a variant loads, twice while the builder encodes). */
  readonly pagePeakBytes: number;
  /** Bytes on the GPU at the peak: weights (all levels in interleaved order), KV cache and activations. */
  readonly gpuPeakBytes: number;
  /** The largest single activation tensor, and what it is. */
  readonly largestActivation: { readonly bytes: number; readonly what: string };
}

export type Admission =
  | { readonly ok: true; readonly footprint: RunFootprint; readonly pendingAdapter: boolean }
  | { readonly ok: false; readonly footprint: RunFootprint; readonly refusals: readonly Refusal[] };

/** Bytes of the KV cache at `tokens` positions, all layers, keys and values. */
export function kvCacheBytes(model: ModelShape, tokens: number, activationBytes: number): number {
  return 2 * model.numLayers * model.numKeyValueHeads * model.headDim * tokens * activationBytes;
}

/**
 * The largest activation tensors a prefill of `tokens` creates on top of `contextTokens` cached positions
 * (its attention scores span both), largest first.
 */
export function activationTensors(
  model: ModelShape,
  { tokens, contextTokens }: PrefillPass,
  lmHead: LmHead,
  activationBytes: number,
): { readonly bytes: number; readonly what: string }[] {
  const tensors = [
    {
      bytes: (lmHead === 'last' ? 1 : tokens) * model.vocabSize * activationBytes,
      what: `the logits (${lmHead === 'last' ? 1 : tokens} × ${model.vocabSize})`,
    },
  ];
  if (model.intermediateSize !== undefined) {
    tensors.push({
      bytes: tokens * model.intermediateSize * activationBytes,
      what: `the MLP activations (${tokens} × ${model.intermediateSize})`,
    });
  }
  if (model.graph === 'built-in') {
    // Softmax runs in float32 (as Hugging Face upcasts it), on all heads at once.
    const keys = contextTokens + tokens;
    tensors.push({
      bytes: scoreTensorBytes(model.numAttentionHeads, tokens, keys),
      what: `the attention scores (${model.numAttentionHeads} heads × ${tokens} × ${keys}, float32)`,
    });
  }
  return tensors.sort((a, b) => b.bytes - a.bytes);
}

/** Each of the run's largest prefills (the longest prompt, and a deep context's chunks): its tensors. */
function passTensors(
  model: ModelShape,
  demand: RunDemand,
  variant: VariantFootprint,
): { readonly bytes: number; readonly what: string }[][] {
  return largestPrefillPasses(demand.longestPromptTokens, demand.deepestContextTokens).map((pass) =>
    activationTensors(model, pass, demand.lmHead, variant.activationBytes),
  );
}

function largestActivationOf(model: ModelShape, demand: RunDemand, variant: VariantFootprint) {
  return passTensors(model, demand, variant)
    .map((tensors) => tensors[0]!)
    .reduce((largest, tensor) => (tensor.bytes > largest.bytes ? tensor : largest));
}

/**
 * GPU bytes while this variant runs its largest prefill, besides weights: the KV cache at its deepest and the
 * two largest tensors of one prefill.
 */
function workingSetBytes(model: ModelShape, demand: RunDemand, variant: VariantFootprint): number {
  const activations = Math.max(
    ...passTensors(model, demand, variant).map(
      (tensors) => (tensors[0]?.bytes ?? 0) + (tensors[1]?.bytes ?? 0),
    ),
  );
  const kv = kvCacheBytes(
    model,
    demand.deepestContextTokens + demand.longestPromptTokens + demand.decodeTokens,
    variant.activationBytes,
  );
  return kv + activations;
}

function filesBytes(variant: VariantFootprint): number {
  return variant.files.reduce((sum, file) => sum + file.bytes, 0);
}

/** What the run needs of the page and the GPU at its peaks. */
export function runFootprint(request: AdmissionRequest): RunFootprint {
  const { model, demand } = request;
  const variants = request.variants.filter((v) => demand.quantizations.includes(v.quantization));
  let pagePeakBytes = 0;
  let gpuPeakBytes = 0;
  let largestActivation = { bytes: 0, what: 'nothing' };
  const allWeights = variants.reduce((sum, v) => sum + v.weightBytes, 0);
  for (const variant of variants) {
    const files = filesBytes(variant);
    pagePeakBytes = Math.max(pagePeakBytes, variant.filesFrom === 'built' ? 2 * files : files);
    // Interleaved: every level is loaded before the first trial; sequential: one at a time.
    const weights =
      (demand.order === 'interleaved' ? allWeights : variant.weightBytes) * weightCopies(demand);
    gpuPeakBytes = Math.max(gpuPeakBytes, weights + workingSetBytes(model, demand, variant));
    const largest = largestActivationOf(model, demand, variant);
    if (largest.bytes > largestActivation.bytes) largestActivation = largest;
  }
  return { pagePeakBytes, gpuPeakBytes, largestActivation };
}

/**
 * Why this variant cannot run here whatever the prompts: the adapter's verdict, a file too large to hand to
 * the engine worker, an .onnx too large for the WebAssembly heap. The form disables such a level with the
 * first reason.
 */
export function variantOwnRefusals(variant: VariantFootprint): string[] {
  const reasons: string[] = [];
  if (variant.adapterRefusal !== undefined) reasons.push(variant.adapterRefusal);
  for (const file of variant.files) {
    if (file.bytes > MAX_TRANSFER_BYTES) {
      reasons.push(
        `Its ${file.path} would be ${formatBytes(file.bytes)} in one piece; a browser hands at most 2 GiB in one ` +
          'piece to the engine worker.',
      );
    }
  }
  const modelFile = variant.files.find((file) => file.path === variant.modelFilePath);
  if (modelFile !== undefined && 2 * modelFile.bytes + WASM_RESERVED_BYTES > WASM_HEAP_BYTES) {
    reasons.push(
      `Its ${modelFile.path} (${formatBytes(modelFile.bytes)}) is parsed inside onnxruntime's 4 GiB ` +
        'WebAssembly memory, which needs about twice its size.',
    );
  }
  return reasons;
}

/** Why this one variant cannot run this run here (its own limits; the buffer limit once it is known). */
function variantRefusals(request: AdmissionRequest, variant: VariantFootprint): string[] {
  const { model, demand, host } = request;
  const reasons = variantOwnRefusals(variant);
  if (host.maxBufferSizeBytes !== undefined) {
    const largest = largestActivationOf(model, demand, variant);
    if (largest.bytes > host.maxBufferSizeBytes) {
      reasons.push(
        `At ${demand.longestPromptTokens} tokens${demand.deepestContextTokens > 0 ? ` on ${demand.deepestContextTokens} tokens of context` : ''} ${largest.what} take ${formatBytes(largest.bytes)} in one GPU ` +
          `buffer, more than this adapter's maxBufferSize (${formatBytes(host.maxBufferSizeBytes)}).`,
      );
    }
  }
  return reasons;
}

/** Refusals for the run as a whole: memory of the page and of the GPU. */
function memoryRefusals(request: AdmissionRequest, footprint: RunFootprint): string[] {
  const { host } = request;
  const reasons: string[] = [];
  const hostNeeds = footprint.pagePeakBytes + (host.gpuSharesHostMemory ? footprint.gpuPeakBytes : 0);
  if (host.deviceMemory !== undefined && !host.deviceMemory.capped) {
    const budget = MEMORY_SHARE * host.deviceMemory.bytes;
    if (hostNeeds > budget) {
      reasons.push(
        `It needs about ${formatBytes(hostNeeds)} of memory${host.gpuSharesHostMemory ? ' (page and GPU)' : ' in the page'}; ` +
          `this device reports ${formatBytes(host.deviceMemory.bytes)}, of which a run may use ${formatBytes(budget)}.`,
      );
    }
  }
  if (host.gpuMemoryBytes !== undefined && !host.gpuSharesHostMemory) {
    const budget = MEMORY_SHARE * host.gpuMemoryBytes;
    if (footprint.gpuPeakBytes > budget) {
      reasons.push(
        `It needs about ${formatBytes(footprint.gpuPeakBytes)} of GPU memory (weights, KV cache, activations); ` +
          `this GPU has ${formatBytes(host.gpuMemoryBytes)}.`,
      );
    }
  }
  return reasons;
}

/** Whether this run fits here, with every reason it does not. */
export function admitRun(request: AdmissionRequest): Admission {
  const footprint = runFootprint(request);
  const refusals: Refusal[] = [];
  for (const quantization of request.demand.quantizations) {
    const variant = request.variants.find((v) => v.quantization === quantization);
    if (variant === undefined) {
      refusals.push({ quantization, reason: `This model has no ${quantization} variant.` });
      continue;
    }
    for (const reason of variantRefusals(request, variant)) refusals.push({ quantization, reason });
  }
  for (const reason of memoryRefusals(request, footprint)) refusals.push({ quantization: undefined, reason });
  if (refusals.length > 0) return { ok: false, footprint, refusals };
  return { ok: true, footprint, pendingAdapter: request.host.maxBufferSizeBytes === undefined };
}

/** The longest prompt (in tokens, up to `ceiling`) at which `request` fits; 0 when none does. */
export function longestAdmittedPrompt(request: AdmissionRequest, ceiling: number): number {
  const fits = (tokens: number) =>
    admitRun({ ...request, demand: { ...request.demand, longestPromptTokens: tokens } }).ok;
  if (!fits(1)) return 0;
  let low = 1;
  let high = ceiling;
  if (fits(high)) return high;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/** Another model the user could pick instead (a smaller preset), described the same way. */
export interface AlternativeModel {
  readonly label: string;
  readonly request: AdmissionRequest;
}

/**
 * What to pick instead of a refused run, most specific first: levels of this model that fit, a last-position
 * LM head, one level at a time, shorter prompts, a smaller model. Empty when nothing nearby fits.
 */
export function suggestInstead(
  request: AdmissionRequest,
  alternatives: readonly AlternativeModel[] = [],
  promptCeiling = request.demand.longestPromptTokens,
): string[] {
  const suggestions: string[] = [];
  const admitted = (demand: Partial<RunDemand>, req: AdmissionRequest = request) =>
    admitRun({ ...req, demand: { ...req.demand, ...demand } }).ok;
  const fitting = request.variants
    .map((variant) => variant.quantization)
    .filter((quantization) => admitted({ quantizations: [quantization] }));
  const refused = request.demand.quantizations.filter((q) => !fitting.includes(q));
  if (refused.length > 0 && fitting.length > 0) {
    const together = admitted({ quantizations: fitting });
    suggestions.push(
      `Pick ${fitting.join(', ')} instead of ${refused.join(', ')}` +
        (together || fitting.length === 1 ? '.' : ' (one or a few at a time).'),
    );
  }
  if (request.demand.lmHead === 'all' && admitted({ lmHead: 'last' })) {
    suggestions.push('Compute the LM head for the last position only (the form’s checkbox, --lm-head last).');
  }
  if (request.demand.order === 'interleaved' && admitted({ order: 'sequential' })) {
    suggestions.push('Measure the levels one at a time (order: sequential).');
  }
  const longest = longestAdmittedPrompt(request, promptCeiling);
  if (longest > 0 && longest < request.demand.longestPromptTokens) {
    suggestions.push(`Use prompts of at most ${longest.toLocaleString('en-US')} tokens.`);
  }
  const smaller = alternatives.filter((alternative) => admitRun(alternative.request).ok);
  if (smaller.length > 0) {
    suggestions.push(
      `Or pick a smaller model: ${smaller.map((alternative) => alternative.label).join(', ')}.`,
    );
  }
  return suggestions;
}
