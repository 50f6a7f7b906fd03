/** Messages between the page and the model-building worker. Bytes travel as transferred ArrayBuffers. */
import type { LlamaConfig, BuiltInQuantization } from '../model/config';
import type { GraphForm, QkvProjection } from '../model/graph-form';
import type { AccuracyLevel } from '../model/accuracy-level';
import type { KvCacheLayout } from '../model/llama-fused-graph';

export interface BuildModelRequest {
  readonly kind: 'build';
  readonly requestId: number;
  readonly config: LlamaConfig;
  readonly quantization: BuiltInQuantization;
  readonly seed: number;
  readonly lastPositionLogits: boolean;
  readonly form: GraphForm;
  readonly accuracyLevel: AccuracyLevel;
  readonly kvCache: KvCacheLayout;
  readonly qkv: QkvProjection;
}

export type BuildModelReply =
  | { readonly kind: 'progress'; readonly requestId: number; readonly fraction: number }
  | {
      readonly kind: 'built';
      readonly requestId: number;
      readonly modelBytes: Uint8Array;
      readonly externalData: readonly { readonly path: string; readonly data: Uint8Array }[];
    }
  | { readonly kind: 'failed'; readonly requestId: number; readonly message: string };
