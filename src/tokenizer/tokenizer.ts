/** The only tokenizer surface the benchmark needs. `encode` includes the special tokens the model sees. */
export interface TextTokenizer {
  /** A built-in tokenizer id, or the repository it came from. */
  readonly id: string;
  encode(text: string): number[];
  /**
   * Text that follows tokens already in the model's context (a later turn): no special tokens are added, so a
   * prompt on top of a KV cache gets no second BOS.
   */
  encodeContinuation(text: string): number[];
  decode(ids: readonly number[]): string;
}
