/** What every contender in the race offers: a loaded model that turns a prompt into its first token, timed. */
import type { LmHead } from '../config/sweep-config';
import type { ContenderName } from './race-config';

export interface RacePrompt {
  readonly text: string;
  /** The prompt tokenized by the repository's tokenizer (special tokens included). */
  readonly tokenIds: readonly number[];
}

export interface FirstToken {
  readonly ttftMs: number;
  readonly firstTokenId: number;
  /** The engine's CPU work before `session.run` (tokenizing, building the input tensors), measured apart. */
  readonly beforeRunMs?: number;
}

export interface Contender {
  readonly name: ContenderName;
  /** Which LM head the loaded graph computes, where the contender knows (the engine reads the logits shape). */
  readonly lmHead?: LmHead;
  firstToken(prompt: RacePrompt): Promise<FirstToken>;
  release(): Promise<void>;
}

export interface VariantUrls {
  readonly model: string;
  readonly externalData: readonly { readonly path: string; readonly url: string }[];
}
