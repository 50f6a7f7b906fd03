/**
 * Where a prefill starts creating GPU buffers every run. onnxruntime-web 1.30's WebGPU EP keeps released storage
 * buffers in size buckets (its default `bucket` cache, BUCKET_DEFAULT_LIMIT_TABLE in
 * onnxruntime/core/providers/webgpu/buffer_manager.cc); the largest bucket is 160 MiB, and a tensor larger than
 * that is never cached: every prefill creates (and destroys) its buffers again, a step in TTFT. The plain graph's
 * attention scores [1, heads, T, T] in float32 grow with T²; the fused graph (GroupQueryAttention's flash attention)
 * has no such tensor, and the `simple` cache keeps buffers of every size.
 */
import type { BufferCacheMode } from '../config/sweep-config';
import type { GraphForm } from '../model/graph-form';
import type { Quantization } from '../model/quantization';
import type { TrialRecord } from '../results/trial';
import { summarize } from './statistics';

/** onnxruntime-web 1.30's largest storage-buffer bucket: 167,772,160 bytes. */
export const ORT_LARGEST_BUCKET_BYTES = 160 * 2 ** 20;
/** Scores are float32 in every plain level: fp16 graphs upcast before the softmax, as Hugging Face's Llama does. */
const SCORE_BYTES_PER_ELEMENT = 4;

export interface ScoreCliffQuery {
  readonly numAttentionHeads: number;
  readonly graph: GraphForm;
  readonly bufferCache: BufferCacheMode;
}

/**
 * Bytes of one float32 attention-score tensor [1, heads, T, keys]: keys are the prompt's own T on a fresh
 * prompt, the context's positions and T on top of a context.
 */
export function scoreTensorBytes(
  numAttentionHeads: number,
  promptTokens: number,
  keyTokens: number = promptTokens,
): number {
  return SCORE_BYTES_PER_ELEMENT * numAttentionHeads * promptTokens * keyTokens;
}

/**
 * The first prompt length whose score tensor is larger than the largest bucket (32 heads: 1145 tokens, since
 * 32 · 1144² · 4 bytes still fits); undefined where no buffer outgrows the cache this way.
 */
export function scoreTensorCliffTokens({
  numAttentionHeads,
  graph,
  bufferCache,
}: ScoreCliffQuery): number | undefined {
  if (graph !== 'plain' || bufferCache !== 'bucket') return undefined;
  let tokens = Math.floor(
    Math.sqrt(ORT_LARGEST_BUCKET_BYTES / (SCORE_BYTES_PER_ELEMENT * numAttentionHeads)),
  );
  // Exact in integers whatever the square root rounded to.
  while (scoreTensorBytes(numAttentionHeads, tokens) <= ORT_LARGEST_BUCKET_BYTES) tokens++;
  while (tokens > 1 && scoreTensorBytes(numAttentionHeads, tokens - 1) > ORT_LARGEST_BUCKET_BYTES) tokens--;
  return tokens;
}

export interface BuffersAtLength {
  readonly promptTokens: number;
  /** Median over the timed prefills at this length of the GPU buffers each created. */
  readonly buffersCreatedMedian: number;
}

/** A variant of a run whose plain graph was measured at or past its cliff. */
export interface ScoreCliffNote {
  readonly quantization: Quantization;
  readonly numAttentionHeads: number;
  readonly cliffTokens: number;
  /** The measured lengths at or past the cliff, ascending. */
  readonly lengthsPastCliff: readonly number[];
  /** Evidence: the lengths at or past the cliff whose prefills created GPU buffers (where the count was recorded). */
  readonly buffersCreated: readonly BuffersAtLength[];
  /**
   * The same count at the longest length measured below the cliff: every prefill creates a few buffers anyway
   * (uploads stage through fresh ones), so the step between the two is what the cliff adds.
   */
  readonly belowCliff: BuffersAtLength | undefined;
}

/**
 * One note per quantization measured with the plain graph and the bucket cache at or past the cliff, judged from
 * what each trial recorded (a hub file is plain or fused whatever the configuration said).
 */
export function scoreCliffNotes(trials: readonly TrialRecord[], numAttentionHeads: number): ScoreCliffNote[] {
  const cliffTokens = scoreTensorCliffTokens({ numAttentionHeads, graph: 'plain', bufferCache: 'bucket' })!;
  // Warm trials of the plain graph on the bucket cache, per quantization: the ones a cliff can apply to.
  const byQuantization = new Map<Quantization, TrialRecord[]>();
  for (const trial of trials) {
    if (trial.phase !== 'warm' || trial.graph !== 'plain' || trial.ortBufferCache !== 'bucket') continue;
    // At a context depth the score tensor is T × (depth + T): the cliff is elsewhere; fresh prompts only.
    if (trial.depthTokens !== 0) continue;
    byQuantization.set(trial.quantization, [...(byQuantization.get(trial.quantization) ?? []), trial]);
  }
  const notes: ScoreCliffNote[] = [];
  for (const [quantization, cell] of byQuantization) {
    const lengths = [...new Set(cell.map((trial) => trial.promptTokens))].sort((a, b) => a - b);
    const lengthsPastCliff = lengths.filter((length) => length >= cliffTokens);
    if (lengthsPastCliff.length === 0) continue;
    const buffersAt = (promptTokens: number): BuffersAtLength | undefined => {
      const counts = cell.flatMap((trial) =>
        trial.promptTokens === promptTokens && trial.gpuBuffersCreated !== undefined
          ? [trial.gpuBuffersCreated]
          : [],
      );
      return counts.length === 0
        ? undefined
        : { promptTokens, buffersCreatedMedian: summarize(counts).median };
    };
    const buffersCreated = lengthsPastCliff
      .map(buffersAt)
      .filter((at): at is BuffersAtLength => at !== undefined && at.buffersCreatedMedian > 0);
    const longestBelow = lengths.filter((length) => length < cliffTokens).at(-1);
    const belowCliff = longestBelow === undefined ? undefined : buffersAt(longestBelow);
    notes.push({
      quantization,
      numAttentionHeads,
      cliffTokens,
      lengthsPastCliff,
      buffersCreated,
      belowCliff,
    });
  }
  return notes;
}

/** The measured side of a note, in words; undefined when no prefill past the cliff recorded creating buffers. */
export function cliffEvidence(note: ScoreCliffNote): string | undefined {
  if (note.buffersCreated.length === 0) return undefined;
  const past = note.buffersCreated
    .map((at) => `${at.buffersCreatedMedian} GPU buffers created per prefill at ${at.promptTokens} tokens`)
    .join('; ');
  const below = note.belowCliff;
  const against =
    below === undefined ? '' : `, against ${below.buffersCreatedMedian} at ${below.promptTokens} tokens`;
  return `Measured: ${past}${against} (medians of the timed runs).`;
}
