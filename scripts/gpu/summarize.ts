/**
 * Turns drive.py's results into what the CLIs print and write, with the app's own code: per sweep the page's
 * CSV (`JOB.csv`), its run JSON (`JOB.run.json`, importable into the page to compare) and the CLI's table;
 * per race the bench:race table and `JOB.race.json`; per publish the build and upload times and the files. Run here (not on the GPU machine), from the checkout:
 *   mkdir -p /tmp/r && tar xzf res.tgz -C /tmp/r && node_modules/.bin/tsx scripts/gpu/summarize.ts /tmp/r [JOB...]
 * Without JOB names it takes every job in the results' jobs.json.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { adapterIdentityDetails, type AdapterIdentity } from '../../src/bench/adapter-identity';
import { summarizeCells } from '../../src/bench/summary';
import { summarizeRace } from '../../src/race/race-summary';
import type { PublishResponse, RaceResponse } from '../../src/race/main';
import { formatBytes } from '../../src/format-bytes';
import { trialsToCsv } from '../../src/results/csv';
import { runToJson } from '../../src/results/run-json';
import { formatSummaryTable, stabilityWarnings } from '../../src/report/summary-table';
import { formatVariantChecks } from '../../src/report/variant-checks';
import { formatKernelProfiles } from '../../src/report/kernel-profiles';
import type { AdapterCheck, AutomationState } from '../../src/ui/automation';
import { raceEnginesLine, raceTableLines, raceTargetLines } from '../race-report';
import { parseGpuJobs, type GpuJob } from './jobs';

// drive.py's own files: the envelope is checked; the page's state and the race's response are what the page
// published (window.ttftBench, ttftRace.run), checked only for their shape's top.
const pageState = z.custom<AutomationState>(
  (value) => typeof value === 'object' && value !== null && 'trials' in value && 'loads' in value,
);
const hasOk = (value: unknown) => typeof value === 'object' && value !== null && 'ok' in value;
const raceResponse = z.custom<RaceResponse>(hasOk);
const publishResponse = z.custom<PublishResponse>(hasOk);
const adapterCheck = z.custom<AdapterCheck>(
  (value) => typeof value === 'object' && value !== null && 'kind' in value,
);
const jobResultSchema = z.object({
  error: z.string().optional(),
  adapter: adapterCheck.nullish(),
  flags: z.array(z.string()),
  state: pageState.nullish(),
  response: z.unknown().optional(),
  roofline: z.unknown().optional(),
  wall_s: z.number(),
});

/** The adapter, its identity, and a warning on software: as the page's sweep and the race report them. */
function printAdapterLines(
  label: string,
  identity: AdapterIdentity,
  softwareReason: string | undefined,
): void {
  console.log(`adapter: ${label}\n  ${adapterIdentityDetails(identity).join(' · ')}`);
  if (softwareReason !== undefined) console.log(`  SOFTWARE ADAPTER: ${softwareReason}`);
}

function printAdapter(adapter: AdapterCheck | null | undefined): void {
  if (adapter === null || adapter === undefined) return console.log('adapter: not read');
  if (adapter.kind === 'unavailable') return console.log(`adapter: none (${adapter.reason})`);
  printAdapterLines(adapter.label, adapter.adapter, adapter.softwareReason);
}

function summarizeSweep(
  dir: string,
  job: GpuJob & { kind: 'sweep' },
  result: z.infer<typeof jobResultSchema>,
) {
  printAdapter(result.adapter);
  const state = result.state;
  if (state === null || state === undefined) return;
  console.log(`status: ${JSON.stringify(state.status)}`);
  const first = state.trials[0];
  if (first !== undefined)
    console.log(`recorded adapter: ${first.adapter}\nbrowser: ${first.browser}\nos: ${first.os}`);
  for (const load of state.loads) {
    const variant = state.trials.find((trial) => trial.quantization === load.quantization);
    const level = variant?.accuracyLevel === undefined ? '' : `, accuracy level ${variant.accuracyLevel}`;
    console.log(
      `${load.quantization}: ${variant?.graph ?? '?'} graph${level}, model ${(load.modelBytes / 2 ** 20).toFixed(1)} MiB (${load.filesFrom}), ` +
        `build/fetch ${load.prepareMs.toFixed(0)} ms, session ${load.sessionCreateMs.toFixed(0)} ms`,
    );
  }
  if (state.trials.length === 0) return;
  // The CPU match and node placement of each variant, as bench prints them.
  for (const line of formatVariantChecks(state.loads, state.trials)) console.log(line);
  const kernelLines = formatKernelProfiles(state.loads);
  if (kernelLines.length > 0) console.log(['', ...kernelLines].join('\n'));
  const cells = summarizeCells(state.trials);
  console.log(`\n${formatSummaryTable(cells)}`);
  for (const warning of stabilityWarnings(cells)) console.log(`warning: ${warning}`);
  if (result.roofline !== undefined) console.log(`\nroofline: ${JSON.stringify(result.roofline, null, 1)}`);
  writeFileSync(join(dir, `${job.name}.csv`), trialsToCsv(state.trials));
  writeFileSync(
    join(dir, `${job.name}.run.json`),
    runToJson({ config: job.config, loads: state.loads, trials: state.trials }),
  );
  console.log(`\nwrote ${join(dir, `${job.name}.csv`)} and ${job.name}.run.json`);
}

function summarizeRaceJob(
  dir: string,
  job: GpuJob & { kind: 'race' },
  result: z.infer<typeof jobResultSchema>,
) {
  const parsed = raceResponse.nullish().safeParse(result.response);
  const response = parsed.success ? parsed.data : undefined;
  if (response === null || response === undefined) return;
  if (!response.ok) return console.log(`race failed: ${response.message}`);
  const { environment } = response;
  printAdapterLines(environment.adapter, environment.adapterIdentity, environment.softwareAdapter);
  console.log(`browser: ${environment.userAgent}`);
  console.log(raceEnginesLine(environment));
  console.log(
    `model: ${response.config.modelId} at ${response.commit}; warm-ups ${response.config.warmupRuns}, timed ${response.config.repetitions}\n`,
  );
  for (const load of response.loads)
    console.log(`load ${load.quantization} ${load.contender}: ${load.loadMs.toFixed(0)} ms`);
  const cells = summarizeRace(response.trials, response.config.contenders);
  console.log('');
  for (const line of raceTableLines(cells)) console.log(line);
  console.log('');
  for (const line of raceTargetLines(cells)) console.log(line);
  if (cells.some((cell) => !cell.sameFirstToken))
    console.log('WARNING: the contenders disagree on the first token');
  writeFileSync(join(dir, `${job.name}.race.json`), `${JSON.stringify({ ...response, cells }, null, 2)}\n`);
  console.log(`\nwrote ${join(dir, `${job.name}.race.json`)}`);
}

function summarizePublishJob(result: z.infer<typeof jobResultSchema>) {
  const parsed = publishResponse.nullish().safeParse(result.response);
  const response = parsed.success ? parsed.data : undefined;
  if (response === null || response === undefined) return;
  if (!response.ok) return console.log(`publish failed: ${response.message}`);
  const { config } = response;
  console.log(`browser: ${response.userAgent}`);
  console.log(
    `published ${config.preset} (graph ${config.graph}, LM head ${config.lmHead}, seed ${config.weightSeed}) as ${config.modelId} at ${response.commit} in ${(response.totalMs / 1000).toFixed(1)} s`,
  );
  for (const variant of response.variants)
    console.log(
      `  ${variant.quantization}: ${formatBytes(variant.bytes)}, built in ${(variant.buildMs / 1000).toFixed(1)} s, uploaded in ${(variant.uploadMs / 1000).toFixed(1)} s`,
    );
  for (const file of response.files)
    console.log(`  ${file.path}: ${file.bytes} bytes, sha256 ${file.sha256}`);
}

const [dir, ...names] = process.argv.slice(2);
if (dir === undefined) {
  console.error('usage: summarize.ts RESULTS_DIR [JOB...]');
  process.exit(2);
}
const jobsFile = join(dir, 'jobs.json');
if (!existsSync(jobsFile)) {
  console.error(`summarize: ${jobsFile} is missing (drive.py copies the jobs file into the results)`);
  process.exit(1);
}
const jobs = parseGpuJobs(JSON.parse(readFileSync(jobsFile, 'utf8')));
if (!jobs.ok) {
  console.error(`summarize: ${jobsFile}: ${jobs.message}`);
  process.exit(1);
}
let exitCode = 0;
for (const job of jobs.jobs) {
  if (names.length > 0 && !names.includes(job.name)) continue;
  console.log(`## ${job.name} (${job.kind})\n`);
  const path = join(dir, `${job.name}.json`);
  if (!existsSync(path)) {
    console.log('not run (no results file)\n');
    exitCode = 1;
    continue;
  }
  const result = jobResultSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!result.success) {
    console.log(`unreadable results: ${result.error.issues[0]?.message ?? 'unknown problem'}\n`);
    exitCode = 1;
    continue;
  }
  console.log(`flags: ${result.data.flags.join(' ')}\nwall: ${result.data.wall_s.toFixed(0)} s`);
  if (result.data.error !== undefined) {
    console.log(`ERROR: ${result.data.error}`);
    exitCode = 1;
  }
  if (job.kind === 'sweep') summarizeSweep(dir, job, result.data);
  else if (job.kind === 'race') summarizeRaceJob(dir, job, result.data);
  else summarizePublishJob(result.data);
  console.log('');
}
process.exit(exitCode);
