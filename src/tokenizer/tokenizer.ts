import type { TokenizerId } from '../model/config';

/** The only tokenizer surface the benchmark needs. `encode` includes the special tokens the model sees. */
export interface TextTokenizer {
  readonly id: TokenizerId;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}
