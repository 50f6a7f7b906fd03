import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG, ORT_DEFAULT_RUNTIME } from '../../src/config/sweep-config';
import { KIT_RACE_REPO, parseGpuJobs } from './jobs';

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
          syncModes: ['barrier'],
          lmHead: 'all',
          runtime: ORT_DEFAULT_RUNTIME,
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
});
