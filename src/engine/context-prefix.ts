/**
 * A conversation's earlier turns, for TTFT at a context depth: the prefix tokens are prefilled untimed and
 * their KV cache kept on the GPU, so a timed trial can run its prompt on top of them.
 */
import { PREFIX_CHUNK_TOKENS } from '../bench/context-chunks';
import type { DecoderIo } from '../source/decoder-io';
import { decoderFeeds, disposeAll, kvCacheOf, type KvCache } from './decoder-feeds';
import type { ort } from './ort-webgpu';
import type { TrialContext } from './trial';

export interface PrefilledContext extends TrialContext {
  /** Frees the cache's GPU buffers. */
  release(): void;
}

export interface PrefillContextRequest {
  readonly session: ort.InferenceSession;
  readonly device: GPUDevice;
  readonly io: DecoderIo;
  readonly tokenIds: readonly number[];
}

export async function prefillContext({
  session,
  device,
  io,
  tokenIds,
}: PrefillContextRequest): Promise<PrefilledContext> {
  if (tokenIds.length === 0) throw new Error('a context prefix needs at least one token');
  let cache: KvCache | undefined;
  try {
    for (let offset = 0; offset < tokenIds.length; offset += PREFIX_CHUNK_TOKENS) {
      const feeds = decoderFeeds(io, {
        tokenIds: tokenIds.slice(offset, offset + PREFIX_CHUNK_TOKENS),
        pastTokens: offset,
        past: cache,
      });
      const outputs = await session.run(feeds);
      const next = kvCacheOf(io, outputs);
      const kept = new Set(Object.values(next));
      for (const value of Object.values(outputs)) if (!kept.has(value as ort.Tensor)) value.dispose();
      // Work queued on one GPU queue runs in order: the run that read the old cache finishes before any
      // later reuse of its buffers.
      if (cache !== undefined) disposeAll(cache);
      cache = next;
    }
  } catch (error) {
    if (cache !== undefined) disposeAll(cache);
    throw error;
  }
  const filled = cache;
  if (filled === undefined) throw new Error('the prefix produced no KV cache');
  // The timed trial starts on an idle GPU.
  await device.queue.onSubmittedWorkDone();
  return { tokens: tokenIds.length, cache: filled, release: () => disposeAll(filled) };
}
