/** Validates a SweepConfig from outside (CLI flags, autorun links) with a clear message. */
import { graphCaptureProblem } from './graph-capture';
import { z } from 'zod';
import { PRESET_IDS, QUANTIZATIONS } from '../model/config';
import { GRAPH_FORMS, QKV_PROJECTIONS } from '../model/graph-form';
import { ACCURACY_LEVELS, DEFAULT_ACCURACY_LEVEL } from '../model/accuracy-level';
import { DEFAULT_HUB_URL, normalizeHubUrl, repoIdProblem, revisionProblem } from './model-ref';
import { customPromptSizeProblem, MAX_PROMPT_TOKENS } from './lengths';
import {
  BUFFER_CACHE_MODES,
  GRAPH_FORM_BEFORE_OPTION,
  QKV_PROJECTION_BEFORE_OPTION,
  LM_HEADS,
  ORT_BUILDS,
  ORT_DEFAULT_RUNTIME,
  SWEEP_ORDERS,
  SYNC_MODES,
  DECODE_LOOPS,
  FIRST_TOKEN_ARGMAXES,
  TOKEN_READBACK_BEFORE_OPTION,
  TOKEN_READBACKS,
  VALIDATION_MODES,
  type SweepConfig,
} from './sweep-config';

/** A hub repository id, a revision and a hub URL, checked the same way wherever they come from outside. */
export const repoIdSchema = z.string().superRefine((id, context) => {
  const problem = repoIdProblem(id);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});
export const revisionSchema = z
  .string()
  .default('main')
  .superRefine((revision, context) => {
    const problem = revisionProblem(revision);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });
export const hubUrlSchema = z.string().transform((text, context) => {
  const normalized = normalizeHubUrl(text);
  if (normalized.ok) return normalized.url;
  context.addIssue({ code: 'custom', message: normalized.message });
  return z.NEVER;
});

/** onnxruntime-web's settings; a field left out means onnxruntime's own default. */
export const runtimeOptionsSchema = z
  .object({
    ortBuild: z.enum(ORT_BUILDS).default(ORT_DEFAULT_RUNTIME.ortBuild),
    validationMode: z.enum(VALIDATION_MODES).default(ORT_DEFAULT_RUNTIME.validationMode),
    bufferCache: z.enum(BUFFER_CACHE_MODES).default(ORT_DEFAULT_RUNTIME.bufferCache),
  })
  .strict();

const modelRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin'), preset: z.enum(PRESET_IDS) }).strict(),
  z
    .object({
      kind: z.literal('hub'),
      id: repoIdSchema,
      revision: revisionSchema,
      hubUrl: hubUrlSchema.default(DEFAULT_HUB_URL),
    })
    .strict(),
  z.object({ kind: z.literal('local'), folderName: z.string().min(1).max(255) }).strict(),
]);

/** Links and CLI configs made before hub models existed name a preset as `modelPreset`. */
function upgradeLegacyModel(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('modelPreset' in input) || 'model' in input)
    return input;
  const { modelPreset, ...rest } = input as Record<string, unknown>;
  return { ...rest, model: { kind: 'builtin', preset: modelPreset } };
}

const sweepConfigSchema = z
  .object({
    model: modelRefSchema,
    quantizations: z
      .array(z.enum(QUANTIZATIONS))
      .min(1, 'pick at least one quantization level')
      .refine((list) => new Set(list).size === list.length, 'quantization levels repeat'),
    promptLengths: z.array(z.number().int().min(1).max(MAX_PROMPT_TOKENS)).max(64),
    customPrompt: z
      .string()
      .min(1)
      .superRefine((text, context) => {
        const problem = customPromptSizeProblem(text);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    warmupRuns: z.number().int().min(0).max(20),
    repetitions: z.number().int().min(1).max(1000),
    order: z.enum(SWEEP_ORDERS).default('interleaved'),
    decodeTokens: z.number().int().min(0).max(1024).default(0),
    // Links made before this option existed closed every decode step on the CPU.
    decodeLoop: z.enum(DECODE_LOOPS).default('synced'),
    // Links made before this option existed read the logits row back and picked the token on the CPU.
    firstTokenArgmax: z.enum(FIRST_TOKEN_ARGMAXES).default('cpu'),
    // Links made before this option existed read the first token back after the barrier had resolved.
    tokenReadback: z.enum(TOKEN_READBACKS).default(TOKEN_READBACK_BEFORE_OPTION),
    syncModes: z
      .array(z.enum(SYNC_MODES))
      .min(1, 'pick at least one synchronization mode')
      .refine((list) => new Set(list).size === list.length, 'synchronization modes repeat')
      .default(['barrier']),
    weightSeed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    // Links made before this option existed measured every position.
    lmHead: z.enum(LM_HEADS).default('all'),
    // Links made before these options existed measured fresh prompts (and checked nothing: a re-run checks).
    depths: z
      .array(z.number().int().min(0).max(MAX_PROMPT_TOKENS))
      .min(1, 'give at least one context depth (0 for a fresh prompt)')
      .max(16)
      .default([0]),
    cpuMatch: z.boolean().default(true),
    // Links made before these options existed ran onnxruntime-web's defaults.
    runtime: runtimeOptionsSchema.default(ORT_DEFAULT_RUNTIME),
    // Links made before this option existed measured the plain graph.
    graph: z.enum(GRAPH_FORMS).default(GRAPH_FORM_BEFORE_OPTION),
    // Links made before this option existed built separate projections.
    qkv: z.enum(QKV_PROJECTIONS).default(QKV_PROJECTION_BEFORE_OPTION),
    // Links made before this option existed built level 0 (no attribute), as the default still does.
    accuracyLevel: z.literal(ACCURACY_LEVELS).default(DEFAULT_ACCURACY_LEVEL),
    // Links made before this option existed ran every trial through onnxruntime's kernels.
    graphCapture: z.boolean().default(false),
    // Links made before this option existed profiled nothing.
    kernelProfile: z.boolean().default(false),
  })
  .strict()
  .superRefine((config, context) => {
    const problem = graphCaptureProblem(config);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem, path: ['graphCapture'] });
    if (config.graphCapture && config.kernelProfile) {
      context.addIssue({
        code: 'custom',
        message: 'Kernel profiles time onnxruntime’s kernels one by one: turn graph capture off to profile.',
        path: ['kernelProfile'],
      });
    }
  })
  .refine((config) => config.customPrompt !== undefined || config.promptLengths.length > 0, {
    message: 'give prompt lengths or a custom prompt',
  })
  .refine((config) => config.customPrompt === undefined || config.depths.every((depth) => depth === 0), {
    message:
      'a custom prompt is measured as a fresh prompt; use prompt lengths to measure at a context depth',
    path: ['depths'],
  });

export type SweepConfigParse =
  { readonly ok: true; readonly config: SweepConfig } | { readonly ok: false; readonly message: string };

export function parseSweepConfig(input: unknown): SweepConfigParse {
  const result = sweepConfigSchema.safeParse(upgradeLegacyModel(input));
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    return {
      ok: false,
      message: `invalid sweep configuration: ${where}${issue?.message ?? 'unknown problem'}`,
    };
  }
  const { customPrompt, ...rest } = result.data;
  const promptLengths = [...new Set(rest.promptLengths)].sort((a, b) => a - b);
  const depths = [...new Set(rest.depths)].sort((a, b) => a - b);
  return {
    ok: true,
    config: { ...rest, promptLengths, depths, ...(customPrompt === undefined ? {} : { customPrompt }) },
  };
}
