import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG, type SweepConfig } from '../config/sweep-config';
import type { InspectedModel, ModelRepository } from '../hub/repository';
import { trial } from '../results/trial-fixture';
import { pendingRunStep, resumableRun, type PendingRunContext } from './pending-run';
import type { RepositoryState } from './useModelRepository';

const HUB = { kind: 'hub', id: 'org/model', revision: 'main', hubUrl: 'https://huggingface.co' } as const;
const builtIn: SweepConfig = { ...DEFAULT_SWEEP_CONFIG, model: { kind: 'builtin', preset: 'tiny' } };
const fromHub: SweepConfig = { ...DEFAULT_SWEEP_CONFIG, model: HUB };
const fromFolder: SweepConfig = { ...DEFAULT_SWEEP_CONFIG, model: { kind: 'local', folderName: 'export' } };

function ready(ref: ModelRepository['ref']): RepositoryState {
  const inspected: InspectedModel = {
    repository: { ref, commit: '', files: [], readFile: () => Promise.reject(new Error('unused')) },
    variants: [],
    decoder: {
      modelType: 'llama',
      numLayers: 1,
      hiddenSize: 8,
      numAttentionHeads: 1,
      intermediateSize: 8,
      numKeyValueHeads: 1,
      headDim: 8,
      vocabSize: 8,
      maxPositionEmbeddings: 8,
    },
    eosTokenIds: [],
    tokenizerFiles: { tokenizerJson: {}, tokenizerConfig: {} },
  };
  return { kind: 'ready', inspected };
}

const idle: PendingRunContext = {
  running: false,
  repository: { kind: 'none' },
  lookedUpKey: undefined,
};

describe('a run waiting for its model', () => {
  it('waits for the run before it; a built-in model is ready at once', () => {
    expect(pendingRunStep(builtIn, { ...idle, running: true })).toEqual({ kind: 'wait' });
    expect(pendingRunStep(builtIn, idle)).toEqual({ kind: 'ready' });
  });

  it('looks a hub model up once, waits for it, then is ready; a failed look-up drops the run', () => {
    const key = JSON.stringify(HUB);
    expect(pendingRunStep(fromHub, idle)).toEqual({ kind: 'look-up', model: HUB, key });
    const lookedUp = { ...idle, lookedUpKey: key };
    expect(
      pendingRunStep(fromHub, { ...lookedUp, repository: { kind: 'inspecting', what: 'org/model' } }),
    ).toEqual({ kind: 'wait' });
    expect(pendingRunStep(fromHub, { ...lookedUp, repository: ready({ ...HUB, id: 'org/other' }) })).toEqual({
      kind: 'wait',
    });
    expect(pendingRunStep(fromHub, { ...lookedUp, repository: ready(HUB) })).toEqual({ kind: 'ready' });
    expect(pendingRunStep(fromHub, { ...lookedUp, repository: { kind: 'failed', message: 'gone' } })).toEqual(
      {
        kind: 'drop',
      },
    );
  });

  it('a folder run is ready once a folder is open', () => {
    expect(pendingRunStep(fromFolder, idle)).toEqual({ kind: 'wait' });
    expect(pendingRunStep(fromFolder, { ...idle, repository: ready(HUB) })).toEqual({ kind: 'wait' });
    expect(
      pendingRunStep(fromFolder, { ...idle, repository: ready({ kind: 'local', folderName: 'export' }) }),
    ).toEqual({ kind: 'ready' });
  });
});

describe('resuming the run on screen', () => {
  const trials = [trial({ quantization: 'q4', promptTokens: 16, repetition: 1 })];
  const results = { runId: 'run-1', config: builtIn, trials, loads: [] };

  it('offers the latest run after a cancel or failure, with what it measured', () => {
    expect(resumableRun({ kind: 'cancelled' }, results, 'run-1', true)).toEqual({
      config: builtIn,
      resume: { runId: 'run-1', trials, loads: [] },
    });
    expect(resumableRun({ kind: 'failed', message: 'lost' }, results, 'run-1', true)?.resume?.runId).toBe(
      'run-1',
    );
  });

  it('does not offer a finished run, an older run on screen, or one without a GPU', () => {
    expect(resumableRun({ kind: 'done' }, results, 'run-1', true)).toBeUndefined();
    expect(resumableRun({ kind: 'cancelled' }, results, 'run-2', true)).toBeUndefined();
    expect(resumableRun({ kind: 'cancelled' }, results, 'run-1', false)).toBeUndefined();
  });
});
