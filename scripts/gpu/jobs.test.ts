import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG, ORT_DEFAULT_RUNTIME } from '../../src/config/sweep-config';
import { BENCH_CALL_BUDGET_S, KIT_RACE_REPO, parseGpuJobs } from './jobs';

const TINY_SWEEP = {
  model: { kind: 'builtin', preset: 'tiny' },
  quantizations: ['fp32', 'q4'],
  promptLengths: [16, 128],
  warmupRuns: 2,
  repetitions: 5,
  weightSeed: 1,
};

describe('parseGpuJobs', () => {
  it('reads sweeps and races, completing both with the defaults the page would use', () => {
    const parsed = parseGpuJobs({
      jobs: [
        { kind: 'sweep', name: 'tiny', config: TINY_SWEEP, roofline: true, timeout_s: 180 },
        {
          kind: 'race',
          name: 'race-q4',
          config: { quantizations: ['q4'], promptLengths: [16, 512], warmupRuns: 2, repetitions: 5 },
        },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.jobs).toEqual([
      {
        kind: 'sweep',
        name: 'tiny',
        config: {
          ...TINY_SWEEP,
          order: 'interleaved',
          decodeTokens: 0,
          // Without the option: every decode step closed on the CPU.
          decodeLoop: 'synced',
          // Without the option: the logits row read back and the first token picked on the CPU.
          firstTokenArgmax: 'cpu',
          // Without the option: the first token read back once the barrier had resolved.
          tokenReadback: 'after-barrier',
          syncModes: ['barrier'],
          lmHead: 'all',
          runtime: ORT_DEFAULT_RUNTIME,
          // Configurations without a graph form measured the plain graph, and without a level level 0.
          graph: 'plain',
          // Without the option: three q/k/v projections, what the builder wrote before it.
          qkv: 'separate',
          accuracyLevel: 0,
          // Without depths or a check: fresh prompts, each variant checked against the CPU.
          depths: [0],
          cpuMatch: true,
          // Without the option: onnxruntime's kernels on every run, nothing captured.
          graphCapture: false,
          kernelProfile: false,
        },
        roofline: true,
        local_hub: false,
        timeout_s: 180,
      },
      {
        kind: 'race',
        name: 'race-q4',
        config: {
          modelId: KIT_RACE_REPO,
          revision: 'main',
          quantizations: ['q4'],
          promptLengths: [16, 512],
          warmupRuns: 2,
          repetitions: 5,
          contenders: ['engine', 'floor', 'transformers.js'],
          engineLmHead: 'all',
          runtime: DEFAULT_SWEEP_CONFIG.runtime,
        },
        timeout_s: 600,
      },
    ]);
  });

  it("reads the shared kit's bare array of sweeps", () => {
    const parsed = parseGpuJobs([{ name: 'default', config: DEFAULT_SWEEP_CONFIG }]);
    expect(parsed.ok && parsed.jobs[0]).toMatchObject({ kind: 'sweep', roofline: false, timeout_s: 600 });
  });

  it('refuses what the page would refuse, naming the job and the field', () => {
    const parsed = parseGpuJobs({
      jobs: [{ kind: 'sweep', name: 'bad', config: { ...TINY_SWEEP, repetitions: 0 } }],
    });
    expect(parsed).toEqual({ ok: false, message: expect.stringMatching(/^job 1: .*repetitions/) });
    const race = parseGpuJobs({
      jobs: [
        {
          kind: 'race',
          name: 'r',
          config: { quantizations: ['q9'], promptLengths: [16], warmupRuns: 0, repetitions: 1 },
        },
      ],
    });
    expect(race).toEqual({
      ok: false,
      message: expect.stringMatching(/^job 1: Invalid race configuration: quantizations/),
    });
  });

  it('refuses what cannot work on the GPU machine: a hub URL for a race, a local folder, local_hub without a hub model', () => {
    const raceWithHub = {
      kind: 'race',
      name: 'r',
      config: {
        hubUrl: 'https://huggingface.co',
        quantizations: ['q4'],
        promptLengths: [16],
        warmupRuns: 0,
        repetitions: 1,
      },
    };
    expect(parseGpuJobs([raceWithHub])).toEqual({
      ok: false,
      message: expect.stringContaining('leave out "hubUrl"'),
    });
    const folder = { name: 'f', config: { ...TINY_SWEEP, model: { kind: 'local', folderName: 'x' } } };
    expect(parseGpuJobs([folder])).toEqual({ ok: false, message: expect.stringContaining('local folder') });
    const builtinOnKitHub = { name: 'h', config: TINY_SWEEP, local_hub: true };
    expect(parseGpuJobs([builtinOnKitHub])).toEqual({
      ok: false,
      message: expect.stringContaining('needs a hub model'),
    });
  });

  it('reads a sweep at context depths without the CPU check, and refuses a depth beyond the prompt limit', () => {
    const parsed = parseGpuJobs([
      { name: 'deep', config: { ...TINY_SWEEP, depths: [4096, 0, 1024], cpuMatch: false } },
    ]);
    expect(parsed.ok && parsed.jobs[0]).toMatchObject({
      kind: 'sweep',
      config: { depths: [0, 1024, 4096], cpuMatch: false },
    });
    expect(parseGpuJobs([{ name: 'deep', config: { ...TINY_SWEEP, depths: [40000] } }])).toEqual({
      ok: false,
      message: expect.stringMatching(/^job 1: .*depths/),
    });
  });

  it("carries a built-in sweep's 4-bit accuracy level, and refuses one the builder does not write", () => {
    const parsed = parseGpuJobs([{ name: 'dp4a', config: { ...TINY_SWEEP, accuracyLevel: 4 } }]);
    expect(parsed.ok && parsed.jobs[0]).toMatchObject({ kind: 'sweep', config: { accuracyLevel: 4 } });
    expect(parseGpuJobs([{ name: 'dp4a', config: { ...TINY_SWEEP, accuracyLevel: 2 } }])).toEqual({
      ok: false,
      message: expect.stringMatching(/^job 1: .*accuracyLevel/),
    });
  });

  it('accepts a hub model served by the kit', () => {
    const config = { ...TINY_SWEEP, model: { kind: 'hub', id: KIT_RACE_REPO } };
    const parsed = parseGpuJobs([{ name: 'hub', config, local_hub: true }]);
    expect(parsed.ok && parsed.jobs[0]).toMatchObject({
      local_hub: true,
      config: { model: { kind: 'hub', id: KIT_RACE_REPO } },
    });
  });

  it('needs names that make safe, distinct file names', () => {
    expect(parseGpuJobs([{ name: '../x', config: TINY_SWEEP }])).toEqual({
      ok: false,
      message: expect.stringContaining('job 1: name: a job name'),
    });
    const twice = parseGpuJobs([
      { name: 'a', config: TINY_SWEEP },
      { name: 'a', config: TINY_SWEEP },
    ]);
    expect(twice).toEqual({ ok: false, message: 'job 2 (a): another job has this name' });
    expect(parseGpuJobs({ jobs: [] }).ok).toBe(false);
  });

  describe('publish jobs', () => {
    const LLAMA_REPO = 'ttft-race/llama-3.2-1b-ONNX';
    const publish = {
      kind: 'publish',
      name: 'pub',
      config: { preset: 'llama-3.2-1b', quantizations: ['q4'], modelId: LLAMA_REPO },
      timeout_s: 180,
    };
    const race = (quantizations: string[]) => ({
      kind: 'race',
      name: `race-${quantizations.join('-')}`,
      config: { modelId: LLAMA_REPO, quantizations, promptLengths: [128], warmupRuns: 2, repetitions: 5 },
    });

    it("reads a publish completed with the page's defaults, and the race after it", () => {
      const parsed = parseGpuJobs({ jobs: [publish, race(['q4'])] });
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.jobs[0]).toEqual({
        kind: 'publish',
        name: 'pub',
        config: {
          modelId: LLAMA_REPO,
          preset: 'llama-3.2-1b',
          quantizations: ['q4'],
          graph: 'plain',
          lmHead: 'all',
          weightSeed: DEFAULT_SWEEP_CONFIG.weightSeed,
        },
        timeout_s: 180,
      });
      expect(parsed.jobs[1]).toMatchObject({ kind: 'race', config: { modelId: LLAMA_REPO } });
    });

    it('refuses a race or hub sweep of a published repository placed before its publish job', () => {
      expect(parseGpuJobs({ jobs: [race(['q4']), publish] })).toEqual({
        ok: false,
        message: `job 1 (race-q4): ${LLAMA_REPO} is published by job "pub", which runs after this one: put the publish first`,
      });
      const sweep = {
        name: 'hub-sweep',
        config: { ...TINY_SWEEP, quantizations: ['q4'], model: { kind: 'hub', id: LLAMA_REPO } },
        local_hub: true,
      };
      expect(parseGpuJobs({ jobs: [sweep, publish] })).toEqual({
        ok: false,
        message: expect.stringMatching(/^job 1 \(hub-sweep\): .*put the publish first$/),
      });
      expect(parseGpuJobs({ jobs: [publish, sweep] }).ok).toBe(true);
    });

    it('refuses a level the publish before it does not build; a later publish of the same id counts from there on', () => {
      expect(parseGpuJobs({ jobs: [publish, race(['q4', 'fp32'])] })).toEqual({
        ok: false,
        message: `job 2 (race-q4-fp32): job "pub" publishes ${LLAMA_REPO} with q4, not fp32`,
      });
      const withFp32 = {
        ...publish,
        name: 'pub-fp32',
        config: { ...publish.config, quantizations: ['fp32', 'q4'] },
      };
      expect(parseGpuJobs({ jobs: [publish, race(['q4']), withFp32, race(['q4', 'fp32'])] }).ok).toBe(true);
    });

    it("leaves races of repositories the file does not publish alone (the kit's tiny one, or one carried there)", () => {
      expect(
        parseGpuJobs({
          jobs: [
            publish,
            { ...race(['fp16']), config: { ...race(['fp16']).config, modelId: KIT_RACE_REPO } },
          ],
        }).ok,
      ).toBe(true);
    });

    it('refuses what the page would refuse, and a hub URL', () => {
      expect(
        parseGpuJobs({ jobs: [{ ...publish, config: { ...publish.config, hubUrl: 'http://127.0.0.1:9' } }] }),
      ).toEqual({
        ok: false,
        message: expect.stringContaining('job 1: a publish uploads to the kit\'s hub: leave out "hubUrl"'),
      });
      expect(
        parseGpuJobs({ jobs: [{ ...publish, config: { ...publish.config, quantizations: ['bnb4'] } }] }),
      ).toEqual({
        ok: false,
        message: expect.stringMatching(/^job 1: Invalid publish configuration: quantizations/),
      });
      expect(
        parseGpuJobs({ jobs: [{ ...publish, config: { ...publish.config, preset: 'gpt-2' } }] }).ok,
      ).toBe(false);
    });
  });

  describe('the jobs files in scripts/gpu', () => {
    const dir = dirname(fileURLToPath(import.meta.url));
    const files = readdirSync(dir).filter((name) => /^jobs-.*\.json$/.test(name));

    it.each(files)('%s is valid and fits one call', (name) => {
      const parsed = parseGpuJobs(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.jobs.reduce((sum, job) => sum + job.timeout_s, 0)).toBeLessThanOrEqual(
        BENCH_CALL_BUDGET_S,
      );
    });

    it('include the Llama-3.2-1B race the GPU runs need', () => {
      expect(files).toEqual(
        expect.arrayContaining(['jobs-example.json', 'jobs-race-1b.json', 'jobs-race-tiny.json']),
      );
    });
  });
});
