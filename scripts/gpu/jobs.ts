/**
 * The GPU kit's jobs file: sweeps (the app's SweepConfig, run through #autorun) and races (the race page's
 * configuration, against the hub repository the kit serves), checked here with the app's own schemas so a
 * mistake costs no GPU time. drive.py reads the normalized file this writes.
 *
 *   {"jobs": [
 *     {"kind": "sweep", "name": "tiny", "config": {SweepConfig}, "roofline": true, "timeout_s": 300},
 *     {"kind": "sweep", "name": "hub-q4", "config": {... "model": {"kind": "hub", "id": "ttft-race/tiny-llama-ONNX"}},
 *      "local_hub": true},
 *     {"kind": "race", "name": "race", "config": {RaceConfig without hubUrl}, "timeout_s": 300}
 *   ]}
 *
 * A bare array of sweeps (the shared kit's format) is read too.
 */
import { z } from 'zod';
import { parseSweepConfig } from '../../src/config/sweep-config-schema';
import type { SweepConfig } from '../../src/config/sweep-config';
import { parseRaceConfig, type RaceConfig } from '../../src/race/race-config';

/** The repository pack.sh writes for races (the built-in tiny model), and the race's default model. */
export const KIT_RACE_REPO = 'ttft-race/tiny-llama-ONNX';
/** Stands in for the kit's hub URL while checking; drive.py puts in the real one. */
const KIT_HUB_PLACEHOLDER = 'http://127.0.0.1:1';
const DEFAULT_TIMEOUT_S = 600;

export interface SweepJob {
  readonly kind: 'sweep';
  readonly name: string;
  readonly config: SweepConfig;
  /** Measure the roofline's peaks after the sweep (the page's button). */
  readonly roofline: boolean;
  /** The sweep's hub model is the repository the kit serves (its hubUrl is filled in on the GPU machine). */
  readonly local_hub: boolean;
  readonly timeout_s: number;
}

export interface RaceJob {
  readonly kind: 'race';
  readonly name: string;
  /** The race configuration without hubUrl: races always load from the kit's hub. */
  readonly config: Omit<RaceConfig, 'hubUrl'>;
  readonly timeout_s: number;
}

export type GpuJob = SweepJob | RaceJob;

const nameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'a job name is 1-64 letters, digits, "_", "." or "-" (it names files)',
  );
const timeoutSchema = z.number().int().min(10).max(3600).default(DEFAULT_TIMEOUT_S);

const sweepJobSchema = z
  .object({
    kind: z.literal('sweep').default('sweep'),
    name: nameSchema,
    config: z.unknown(),
    roofline: z.boolean().default(false),
    local_hub: z.boolean().default(false),
    timeout_s: timeoutSchema,
  })
  .strict();

const raceJobSchema = z
  .object({
    kind: z.literal('race'),
    name: nameSchema,
    config: z.record(z.string(), z.unknown()),
    timeout_s: timeoutSchema,
  })
  .strict();

const jobsFileSchema = z.union([
  z.object({ jobs: z.array(z.unknown()).min(1) }).strict(),
  z.array(z.unknown()).min(1),
]);

export type GpuJobsParse =
  { readonly ok: true; readonly jobs: readonly GpuJob[] } | { readonly ok: false; readonly message: string };

function zodMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  return `${where}${issue?.message ?? 'unknown problem'}`;
}

function parseJob(input: unknown): GpuJob | string {
  const isRace = typeof input === 'object' && input !== null && 'kind' in input && input.kind === 'race';
  if (isRace) {
    const job = raceJobSchema.safeParse(input);
    if (!job.success) return zodMessage(job.error);
    if ('hubUrl' in job.data.config)
      return 'a race loads from the kit\'s hub: leave out "hubUrl" (there is no internet on the GPU machine)';
    const race = parseRaceConfig({
      modelId: KIT_RACE_REPO,
      ...job.data.config,
      hubUrl: KIT_HUB_PLACEHOLDER,
    });
    if (!race.ok) return race.message;
    const { hubUrl, ...config } = race.config;
    void hubUrl;
    return { kind: 'race', name: job.data.name, config, timeout_s: job.data.timeout_s };
  }
  const job = sweepJobSchema.safeParse(input);
  if (!job.success) return zodMessage(job.error);
  const sweep = parseSweepConfig(job.data.config);
  if (!sweep.ok) return sweep.message;
  const { model } = sweep.config;
  if (model.kind === 'local')
    return 'a local folder cannot be read on the GPU machine; serve it as a hub repository';
  if (job.data.local_hub && model.kind !== 'hub')
    return '"local_hub" needs a hub model ({"kind": "hub", "id": …})';
  return { ...job.data, kind: 'sweep', config: sweep.config };
}

/** Every job checked with the app's schemas and completed with their defaults; names unique. */
export function parseGpuJobs(input: unknown): GpuJobsParse {
  const file = jobsFileSchema.safeParse(input);
  if (!file.success) return { ok: false, message: `jobs file: ${zodMessage(file.error)}` };
  const entries = Array.isArray(file.data) ? file.data : file.data.jobs;
  const jobs: GpuJob[] = [];
  for (const [index, entry] of entries.entries()) {
    const job = parseJob(entry);
    const label = `job ${index + 1}${typeof job === 'string' ? '' : ` (${job.name})`}`;
    if (typeof job === 'string') return { ok: false, message: `${label}: ${job}` };
    if (jobs.some((other) => other.name === job.name))
      return { ok: false, message: `${label}: another job has this name` };
    jobs.push(job);
  }
  return { ok: true, jobs };
}
