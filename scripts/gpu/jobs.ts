/**
 * The GPU kit's jobs file: sweeps (the app's SweepConfig, run through #autorun), races (the race page's
 * configuration, against the hub repository the kit serves) and publishes (a built-in model built in the race
 * page on the GPU machine and uploaded to the kit's hub as a repository, for the races and hub sweeps after it),
 * checked here with the app's own schemas so a mistake costs no GPU time. drive.py reads the normalized file
 * this writes; it runs the jobs in order.
 *
 *   {"jobs": [
 *     {"kind": "sweep", "name": "tiny", "config": {SweepConfig}, "roofline": true, "timeout_s": 300},
 *     {"kind": "publish", "name": "pub-1b", "config": {"preset": "llama-3.2-1b", "quantizations": ["q4"],
 *      "modelId": "ttft-race/llama-3.2-1b-ONNX"}, "timeout_s": 180},
 *     {"kind": "sweep", "name": "hub-q4", "config": {... "model": {"kind": "hub", "id": "ttft-race/llama-3.2-1b-ONNX"}},
 *      "local_hub": true},
 *     {"kind": "race", "name": "race", "config": {RaceConfig without hubUrl}, "timeout_s": 300}
 *   ]}
 *
 * A bare array of sweeps (the shared kit's format) is read too.
 */
import { z } from 'zod';
import { parseSweepConfig } from '../../src/config/sweep-config-schema';
import type { SweepConfig } from '../../src/config/sweep-config';
import { parsePublishConfig, type PublishConfig } from '../../src/race/publish-config';
import { parseRaceConfig, type RaceConfig } from '../../src/race/race-config';

/** The repository pack.sh writes for races (the built-in tiny model), and the race's default model. */
export const KIT_RACE_REPO = 'ttft-race/tiny-llama-ONNX';
/** Stands in for the kit's hub URL while checking; drive.py puts in the real one. */
const KIT_HUB_PLACEHOLDER = 'http://127.0.0.1:1';
const DEFAULT_TIMEOUT_S = 600;
/** One device call runs at most 10 minutes; run-on-gpu.sh gives drive.py 540 s of them (BENCH_TIMEOUT). */
export const BENCH_CALL_BUDGET_S = 540;

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

export interface PublishJob {
  readonly kind: 'publish';
  readonly name: string;
  /** The publish configuration without hubUrl: the repository goes to the kit's hub. */
  readonly config: Omit<PublishConfig, 'hubUrl'>;
  readonly timeout_s: number;
}

export type GpuJob = SweepJob | RaceJob | PublishJob;

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

/** A race or a publish: a configuration the page parses, whose hub is always the kit's. */
const kitHubJobSchema = <K extends 'race' | 'publish'>(kind: K) =>
  z
    .object({
      kind: z.literal(kind),
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

const NO_HUB_URL = 'there is no internet on the GPU machine';

/**
 * A race or publish job's configuration, parsed with the page's own parser against a stand-in for the kit's
 * hub (a job may not name one), and returned without it.
 */
function parseKitHubJob<K extends 'race' | 'publish', C extends { readonly hubUrl: string }>(
  input: unknown,
  job: {
    readonly kind: K;
    /** How the job uses the kit's hub, for the message when it names another. */
    readonly usesHub: string;
    readonly parse: (
      config: unknown,
    ) => { readonly ok: true; readonly config: C } | { readonly ok: false; readonly message: string };
    readonly defaults?: Readonly<Record<string, unknown>>;
  },
):
  | {
      readonly kind: K;
      readonly name: string;
      readonly config: Omit<C, 'hubUrl'>;
      readonly timeout_s: number;
    }
  | string {
  const parsed = kitHubJobSchema(job.kind).safeParse(input);
  if (!parsed.success) return zodMessage(parsed.error);
  if ('hubUrl' in parsed.data.config) return `${job.usesHub}: leave out "hubUrl" (${NO_HUB_URL})`;
  const result = job.parse({ ...job.defaults, ...parsed.data.config, hubUrl: KIT_HUB_PLACEHOLDER });
  if (!result.ok) return result.message;
  const { hubUrl, ...config } = result.config;
  void hubUrl;
  return { kind: job.kind, name: parsed.data.name, config, timeout_s: parsed.data.timeout_s };
}

function parseJob(input: unknown): GpuJob | string {
  const kind = typeof input === 'object' && input !== null && 'kind' in input ? input.kind : undefined;
  if (kind === 'publish') {
    const usesHub = "a publish uploads to the kit's hub";
    return parseKitHubJob(input, { kind: 'publish', usesHub, parse: parsePublishConfig });
  }
  if (kind === 'race') {
    const usesHub = "a race loads from the kit's hub";
    const defaults = { modelId: KIT_RACE_REPO };
    return parseKitHubJob(input, { kind: 'race', usesHub, parse: parseRaceConfig, defaults });
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

/** The kit's hub repository a job loads, with the levels it asks for; undefined for a built-in sweep. */
export function hubModelOf(
  job: GpuJob,
): { readonly modelId: string; readonly quantizations: readonly string[] } | undefined {
  if (job.kind === 'race') return { modelId: job.config.modelId, quantizations: job.config.quantizations };
  if (job.kind === 'sweep' && job.local_hub && job.config.model.kind === 'hub')
    return { modelId: job.config.model.id, quantizations: job.config.quantizations };
  return undefined;
}

/**
 * A job that loads a repository a publish job of the file makes must come after it (jobs run in order) and
 * ask only for levels it publishes; the latest publish before a job is the one it loads.
 */
function publishOrderProblem(jobs: readonly GpuJob[], index: number): string | undefined {
  const model = hubModelOf(jobs[index]!);
  if (model === undefined) return undefined;
  const publishes = (list: readonly GpuJob[]) =>
    list.filter((job): job is PublishJob => job.kind === 'publish' && job.config.modelId === model.modelId);
  const before = publishes(jobs.slice(0, index)).at(-1);
  if (before === undefined) {
    const after = publishes(jobs.slice(index + 1))[0];
    return after === undefined
      ? undefined
      : `${model.modelId} is published by job "${after.name}", which runs after this one: put the publish first`;
  }
  const missing = model.quantizations.filter(
    (quantization) => !(before.config.quantizations as readonly string[]).includes(quantization),
  );
  return missing.length === 0
    ? undefined
    : `job "${before.name}" publishes ${model.modelId} with ${before.config.quantizations.join(', ')}, not ${missing.join(', ')}`;
}

/** Every job checked with the app's schemas and completed with their defaults; names unique; publishes first. */
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
  for (const [index, job] of jobs.entries()) {
    const problem = publishOrderProblem(jobs, index);
    if (problem !== undefined) return { ok: false, message: `job ${index + 1} (${job.name}): ${problem}` };
  }
  return { ok: true, jobs };
}
