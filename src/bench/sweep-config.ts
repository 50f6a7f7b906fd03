import type { PresetId, Quantization } from '../model/config';

/** What the user asked to measure. Everything else (order, counts) is derived by the plan. */
export interface SweepConfig {
  readonly modelPreset: PresetId;
  readonly quantizations: readonly Quantization[];
  /** Prompt lengths in tokens; ignored when `customPrompt` is set. */
  readonly promptLengths: readonly number[];
  /** When set, measure this text instead of generated prompts; its token count is the length. */
  readonly customPrompt?: string;
  /** Untimed runs before the timed ones, per prompt length; the very first per variant is the cold TTFT. */
  readonly warmupRuns: number;
  readonly repetitions: number;
  /** Seed for the built-in model's weights. */
  readonly weightSeed: number;
}

export const DEFAULT_PROMPT_LENGTHS = [16, 64, 128, 256, 512, 1024] as const;

export const DEFAULT_SWEEP_CONFIG: SweepConfig = {
  modelPreset: 'tiny',
  quantizations: ['fp32', 'q4'],
  promptLengths: DEFAULT_PROMPT_LENGTHS,
  warmupRuns: 2,
  repetitions: 5,
  weightSeed: 1,
};
