/**
 * The LM head for the last position only against every position, on the same built-in model, prompts and
 * browser, in one invocation: rounds alternate the two graphs (all, last, last, all, …) so drift does not
 * favour either, and the medians of every round's timed trials are compared per prompt length.
 *
 *   npm run bench:lm-head -- [--quant q4] [--lengths 64,256,512] [--reps 3] [--rounds 2] [--graph fused|plain] [--gpu] [--chrome-arg FLAG]...
 */
import { parseArgs } from 'node:util';
import { parsePromptLengths } from '../src/config/lengths';
import { summarize } from '../src/bench/statistics';
import { parseSweepConfig } from '../src/config/sweep-config-schema';
import { DEFAULT_SWEEP_CONFIG, type LmHead } from '../src/config/sweep-config';
import type { TrialRecord } from '../src/results/trial';
import { ensureBuilt } from './ensure-built';
import { CHROMIUM_CLI_OPTIONS, startHeadlessAppOrExit } from './headless-app';
import { runPageSweep } from './lib/page-sweep';
import { errorMessage } from '../src/error-message';

const { values } = parseArgs({
  options: {
    quant: { type: 'string', default: 'q4' },
    lengths: { type: 'string', default: '64,256,512' },
    reps: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    graph: { type: 'string', default: DEFAULT_SWEEP_CONFIG.graph },
    ...CHROMIUM_CLI_OPTIONS,
  },
  strict: true,
});
const lengths = parsePromptLengths(values.lengths);
if (!lengths.ok) throw new Error(lengths.message);
const rounds = Number(values.rounds);
const configFor = (lmHead: LmHead) => {
  const parsed = parseSweepConfig({
    ...DEFAULT_SWEEP_CONFIG,
    quantizations: values.quant.split(','),
    promptLengths: lengths.lengths,
    graph: values.graph,
    warmupRuns: 1,
    repetitions: Number(values.reps),
    lmHead,
    // Timings only: the variant check before each load would only add time.
    cpuMatch: false,
  });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
};

await ensureBuilt();
const app = await startHeadlessAppOrExit('bench:lm-head', values);
const { baseUrl, browser } = app;
let exitCode = 0;
try {
  const page = await browser.newPage();
  const timed: Record<LmHead, TrialRecord[]> = { all: [], last: [] };
  for (let round = 0; round < rounds; round++) {
    const order: LmHead[] = round % 2 === 0 ? ['all', 'last'] : ['last', 'all'];
    for (const lmHead of order) {
      const state = await runPageSweep(page, baseUrl, configFor(lmHead));
      const trials = state.trials.filter((trial) => trial.phase === 'warm');
      if (trials.some((trial) => trial.lmHead !== lmHead))
        throw new Error(`the ${lmHead} run measured another graph`);
      timed[lmHead].push(...trials);
      console.log(`round ${round + 1}: lm head ${lmHead}: ${trials.length} timed trials`);
    }
  }
  const adapter = timed.all[0]?.adapter ?? '?';
  console.log(`\nadapter: ${adapter}; model: built-in tiny; ${rounds} rounds × ${values.reps} repetitions\n`);
  console.log('| quant | test  | all positions (ms) | last position (ms) | last / all | first token same |');
  console.log('| ----- | ----- | -----------------: | -----------------: | ---------: | ---------------- |');
  for (const quantization of configFor('all').quantizations) {
    for (const length of lengths.lengths) {
      const cell = (lmHead: LmHead) =>
        timed[lmHead].filter((t) => t.quantization === quantization && t.promptTokens === length);
      const all = summarize(cell('all').map((t) => t.ttftMs)).median;
      const last = summarize(cell('last').map((t) => t.ttftMs)).median;
      const tokens = new Set([...cell('all'), ...cell('last')].map((t) => t.firstTokenId));
      console.log(
        `| ${quantization.padEnd(5)} | pp${String(length).padEnd(3)} | ${all.toFixed(1).padStart(18)} | ${last.toFixed(1).padStart(18)} | ${(last / all).toFixed(3).padStart(10)} | ${tokens.size === 1 ? 'yes' : 'NO'} |`,
      );
      if (tokens.size !== 1) exitCode = 1;
    }
  }
} catch (error) {
  exitCode = 1;
  console.error(`bench:lm-head: ${errorMessage(error)}`);
} finally {
  await app.close();
}
process.exit(exitCode);
