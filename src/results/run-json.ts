/**
 * A whole run as one JSON file: its configuration, variant loads and trials. Trials use the CSV's columns so
 * both formats print the same record; everything read back is validated at the boundary.
 */
import { z } from 'zod';
import { parseSweepConfig } from '../config/sweep-config-schema';
import type { SweepConfig } from '../config/sweep-config';
import { QUANTIZATIONS } from '../model/config';
import { trialFromRow, trialToRow } from './csv';
import type { TrialRecord, VariantLoadRecord } from './trial';
import { errorMessage } from '../error-message';
import { kernelProfileReportSchema } from './kernel-profile';
import { placementReportSchema } from './node-placement';

export const RUN_FILE_FORMAT = 'ttft-bench-run';
export const RUN_FILE_VERSION = 1;

export interface RunFile {
  readonly config: SweepConfig | undefined;
  readonly loads: readonly VariantLoadRecord[];
  readonly trials: readonly TrialRecord[];
}

const milliseconds = z.number().finite().nonnegative();

/** One variant load as stored in run files and the run store. */
export const variantLoadSchema = z.object({
  runId: z.string().min(1),
  model: z.string().min(1).max(300),
  quantization: z.enum(QUANTIZATIONS),
  modelBytes: z.number().int().nonnegative(),
  modelSha256: z.string().max(64),
  filesFrom: z.enum(['built', 'network', 'cache', 'disk']),
  prepareMs: milliseconds,
  sessionCreateMs: milliseconds,
  // Files written before node counts were recorded have none.
  nodesPerLayer: z.number().int().positive().optional(),
  // Runs recorded before the variant check have neither.
  placement: placementReportSchema.optional(),
  checkMs: milliseconds.optional(),
  kernelProfile: kernelProfileReportSchema.optional(),
});

const runFileSchema = z.object({
  format: z.literal(RUN_FILE_FORMAT),
  version: z.number().int(),
  config: z.unknown().optional(),
  loads: z.array(variantLoadSchema).max(1000),
  trials: z.array(z.unknown()).max(200_000),
});

export function runToJson(run: RunFile): string {
  return JSON.stringify(
    {
      format: RUN_FILE_FORMAT,
      version: RUN_FILE_VERSION,
      ...(run.config === undefined ? {} : { config: run.config }),
      loads: run.loads,
      trials: run.trials.map(trialToRow),
    },
    null,
    2,
  );
}

export type RunFileParse =
  { readonly ok: true; readonly run: RunFile } | { readonly ok: false; readonly message: string };

export function parseRunJson(text: string): RunFileParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The file is not valid JSON.' };
  }
  const parsed = runFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      message: `Not a ttft-bench run file (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unknown problem'}).`,
    };
  }
  if (parsed.data.version > RUN_FILE_VERSION) {
    return {
      ok: false,
      message: `This run file is from a newer ttft-bench (format ${parsed.data.version}).`,
    };
  }
  let config: SweepConfig | undefined;
  if (parsed.data.config !== undefined) {
    const checked = parseSweepConfig(parsed.data.config);
    if (!checked.ok) return { ok: false, message: `The run file's configuration: ${checked.message}` };
    config = checked.config;
  }
  try {
    const trials = parsed.data.trials.map((row, index) => trialFromRow(row, `trial ${index + 1}`));
    return { ok: true, run: { config, loads: parsed.data.loads, trials } };
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}
