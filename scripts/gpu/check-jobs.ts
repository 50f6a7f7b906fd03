/**
 * Checks a GPU jobs file with the app's own schemas and writes it complete (defaults filled in) for drive.py:
 *   node_modules/.bin/tsx scripts/gpu/check-jobs.ts jobs.json .gpuship/jobs.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { errorMessage } from '../../src/error-message';
import { BENCH_CALL_BUDGET_S, hubModelOf, KIT_RACE_REPO, parseGpuJobs, type GpuJob } from './jobs';

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  console.error('usage: check-jobs.ts JOBS.json OUT.json');
  process.exit(2);
}
let json: unknown;
try {
  json = JSON.parse(readFileSync(input, 'utf8'));
} catch (error) {
  console.error(`check-jobs: ${input}: ${errorMessage(error)}`);
  process.exit(1);
}
const parsed = parseGpuJobs(json);
if (!parsed.ok) {
  console.error(`check-jobs: ${input}: ${parsed.message}`);
  process.exit(1);
}
writeFileSync(output, `${JSON.stringify({ jobs: parsed.jobs }, null, 1)}\n`);
function describe(job: GpuJob): string {
  switch (job.kind) {
    case 'sweep': {
      const { model } = job.config;
      const name = model.kind === 'builtin' ? model.preset : model.kind === 'hub' ? model.id : '?';
      return `sweep ${name} ${job.config.quantizations.join(',')} × ${job.config.promptLengths.join(',') || 'custom prompt'}${job.roofline ? ' + roofline' : ''}`;
    }
    case 'race':
      return `race ${job.config.modelId} ${job.config.quantizations.join(',')} × ${job.config.promptLengths.join(',')} (${job.config.contenders.join(', ')})`;
    case 'publish':
      return `publish ${job.config.preset} ${job.config.quantizations.join(',')} as ${job.config.modelId} (graph ${job.config.graph}, LM head ${job.config.lmHead}, seed ${job.config.weightSeed})`;
  }
}

for (const [index, job] of parsed.jobs.entries()) {
  console.log(`check-jobs: ${job.name}: ${describe(job)}, timeout ${job.timeout_s} s`);
  const model = hubModelOf(job);
  const published = parsed.jobs
    .slice(0, index)
    .some((other) => other.kind === 'publish' && other.config.modelId === model?.modelId);
  if (model !== undefined && model.modelId !== KIT_RACE_REPO && !published)
    console.log(
      `check-jobs: note: ${job.name} loads ${model.modelId}, which this file does not publish: it must be in the kit's hub already`,
    );
}
const totalS = parsed.jobs.reduce((sum, job) => sum + job.timeout_s, 0);
console.log(`check-jobs: wrote ${parsed.jobs.length} jobs to ${output} (at most ${totalS} s together)`);
if (totalS > BENCH_CALL_BUDGET_S) {
  console.log(
    `check-jobs: warning: the jobs may need ${totalS} s, more than one call's ${BENCH_CALL_BUDGET_S} s: ` +
      'split them into several jobs files (one bench call each), or lower their timeout_s',
  );
}
