/**
 * What `npm run bench:race` asks the race page to run, validated at the page's boundary: one hub repository
 * (its files are what all contenders load), quantization levels, prompt lengths, warm-ups and repetitions.
 */
import { z } from 'zod';
import {
  hubUrlSchema,
  repoIdSchema,
  revisionSchema,
  runtimeOptionsSchema,
} from '../config/sweep-config-schema';
import { MAX_PROMPT_TOKENS } from '../config/lengths';
import { DEFAULT_SWEEP_CONFIG, LM_HEADS, type LmHead, type RuntimeOptions } from '../config/sweep-config';
import { QUANTIZATIONS, type Quantization } from '../model/config';

/** This app's engine; the least code that gets a first token from onnxruntime-web; transformers.js. */
export const CONTENDERS = ['engine', 'floor', 'transformers.js'] as const;
export type ContenderName = (typeof CONTENDERS)[number];

export interface RaceConfig {
  readonly hubUrl: string;
  readonly modelId: string;
  readonly revision: string;
  readonly quantizations: readonly Quantization[];
  readonly promptLengths: readonly number[];
  readonly warmupRuns: number;
  readonly repetitions: number;
  readonly contenders: readonly ContenderName[];
  /** The engine's LM head: as exported (every position), or rewritten to the last position at load time. */
  readonly engineLmHead: LmHead;
  /** onnxruntime-web's settings for the engine and the floor (transformers.js runs its own onnxruntime). */
  readonly runtime: RuntimeOptions;
}

const distinct = <T>(list: readonly T[]) => new Set(list).size === list.length;

const raceConfigSchema = z
  .object({
    hubUrl: hubUrlSchema,
    modelId: repoIdSchema,
    revision: revisionSchema,
    quantizations: z.array(z.enum(QUANTIZATIONS)).min(1).refine(distinct, 'quantization levels repeat'),
    // Two tokens at least: the floor and transformers.js both need a prompt longer than its BOS.
    promptLengths: z
      .array(z.number().int().min(2).max(MAX_PROMPT_TOKENS))
      .min(1)
      .max(16)
      .refine(distinct, 'prompt lengths repeat'),
    warmupRuns: z.number().int().min(0).max(20),
    repetitions: z.number().int().min(1).max(200),
    contenders: z
      .array(z.enum(CONTENDERS))
      .min(1)
      .refine(distinct, 'contenders repeat')
      .default([...CONTENDERS]),
    engineLmHead: z.enum(LM_HEADS).default('all'),
    runtime: runtimeOptionsSchema.default(DEFAULT_SWEEP_CONFIG.runtime),
  })
  .strict();

export type RaceConfigParse =
  { readonly ok: true; readonly config: RaceConfig } | { readonly ok: false; readonly message: string };

export function parseRaceConfig(input: unknown): RaceConfigParse {
  const parsed = raceConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  return { ok: false, message: `Invalid race configuration: ${where}${issue?.message ?? 'unknown problem'}` };
}
