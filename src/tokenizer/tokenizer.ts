/** The only tokenizer surface the benchmark needs. `encode` includes the special tokens the model sees. */
export interface TextTokenizer {
  /** A built-in tokenizer id, or the repository it came from. */
  readonly id: string;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}
