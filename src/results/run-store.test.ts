import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import { openDB } from 'idb';
import { trialToRow } from './csv';
import { RunStore, RUN_DATABASE_NAME } from './run-store';
import { trial } from './trial-fixture';
import type { VariantLoadRecord } from './trial';

const load: VariantLoadRecord = {
  runId: 'run-a',
  model: 'tiny',
  quantization: 'q4',
  modelBytes: 1000,
  modelSha256: 'ab'.repeat(32),
  filesFrom: 'built',
  prepareMs: 10,
  sessionCreateMs: 20,
};

function newRun(runId: string) {
  return {
    runId,
    config: DEFAULT_SWEEP_CONFIG,
    model: 'tiny',
    adapter: 'google / swiftshader',
    browser: 'Chromium',
  };
}

describe('the run store (IndexedDB)', () => {
  let store: RunStore;
  beforeEach(async () => {
    store = await RunStore.open();
  });
  afterEach(async () => {
    store.close();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(RUN_DATABASE_NAME);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
    });
  });

  it('loads trials saved by an older version (before lm_head) with the old meaning of that field', async () => {
    await store.beginRun(newRun('run-old'));
    store.close();
    // What version 1 of the app wrote: the CSV row of a trial, without the columns added since.
    const olderRow = Object.fromEntries(
      Object.entries(trialToRow(trial({ runId: 'run-old', trialIndex: 0 }))).filter(
        ([column]) => column !== 'lm_head',
      ),
    );
    const db = await openDB(RUN_DATABASE_NAME);
    await db.put('trials', { runId: 'run-old', trialIndex: 0, row: olderRow });
    db.close();
    store = await RunStore.open();
    const loaded = await store.load('run-old');
    expect(loaded?.skipped).toBe(0);
    expect(loaded?.trials).toHaveLength(1);
    expect(loaded?.trials[0]?.lmHead).toBe('all');
  });

  it('keeps every trial and load of a run, and gives them back in order after reopening', async () => {
    await store.beginRun(newRun('run-a'), new Date('2026-11-25T10:00:00Z'));
    const trials = [2, 0, 1].map((trialIndex) =>
      trial({ runId: 'run-a', trialIndex, ttftMs: 10 + trialIndex }),
    );
    for (const t of trials) await store.addTrial(t);
    await store.addLoad(load);
    store.close();
    store = await RunStore.open();
    const loaded = await store.load('run-a');
    expect(loaded?.trials.map((t) => [t.trialIndex, t.ttftMs])).toEqual([
      [0, 10],
      [1, 11],
      [2, 12],
    ]);
    expect(loaded?.trials[0]).toEqual(trials[1]);
    expect(loaded?.loads).toEqual([load]);
    expect(loaded?.run).toMatchObject({
      state: 'running',
      name: 'tiny · fp32, q4',
      createdAt: '2026-11-25T10:00:00.000Z',
    });
  });

  it('marks runs nobody is running as interrupted, and leaves live ones alone', async () => {
    await store.beginRun(newRun('live'));
    await store.beginRun(newRun('orphan'));
    await store.beginRun(newRun('finished'));
    await store.setState('finished', 'done');
    expect(await store.markInterrupted(new Set(['live']))).toBe(1);
    const states = Object.fromEntries((await store.list()).map((run) => [run.runId, run.state]));
    expect(states).toEqual({ live: 'running', orphan: 'interrupted', finished: 'done' });
  });

  it('lists newest first with trial counts; renames and deletes with their trials', async () => {
    await store.beginRun(newRun('old'), new Date('2026-01-01T00:00:00Z'));
    await store.beginRun(newRun('new'), new Date('2026-02-01T00:00:00Z'));
    await store.addTrial(trial({ runId: 'new', trialIndex: 0 }));
    await store.addTrial(trial({ runId: 'new', trialIndex: 1 }));
    await store.addTrial(trial({ runId: 'old', trialIndex: 0 }));
    await store.rename('new', '  my laptop  ');
    await store.rename('old', '   ');
    const list = await store.list();
    expect(list.map((run) => [run.runId, run.name, run.trialCount])).toEqual([
      ['new', 'my laptop', 2],
      ['old', 'tiny · fp32, q4', 1],
    ]);
    await store.delete('new');
    expect((await store.list()).map((run) => run.runId)).toEqual(['old']);
    expect(await store.load('new')).toBeUndefined();
    expect((await store.load('old'))?.trials).toHaveLength(1);
  });

  it('skips damaged records instead of trusting them', async () => {
    await store.beginRun(newRun('run-a'));
    await store.addTrial(trial({ runId: 'run-a', trialIndex: 0 }));
    // A trial written by something else, with a negative TTFT.
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(RUN_DATABASE_NAME);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    await new Promise<void>((resolve, reject) => {
      const tx = raw.transaction('trials', 'readwrite');
      tx.objectStore('trials').put({ runId: 'run-a', trialIndex: 1, row: { ttft_ms: -1 } });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('write failed'));
    });
    raw.close();
    const loaded = await store.load('run-a');
    expect(loaded?.trials).toHaveLength(1);
    expect(loaded?.skipped).toBe(1);
  });

  it('drops trials and loads of a run that no longer exists instead of keeping them orphaned', async () => {
    await store.beginRun(newRun('run-a'));
    expect(await store.addTrial(trial({ runId: 'run-a', trialIndex: 0 }))).toBe(true);
    await store.delete('run-a');
    expect(await store.addTrial(trial({ runId: 'run-a', trialIndex: 1 }))).toBe(false);
    expect(await store.addLoad(load)).toBe(false);
    await store.beginRun(newRun('run-a'));
    expect((await store.load('run-a'))?.trials).toEqual([]);
  });

  it('undoes a deletion exactly', async () => {
    await store.beginRun(newRun('run-a'));
    await store.beginRun(newRun('run-b'));
    const trials = [0, 1, 2].map((trialIndex) => trial({ runId: 'run-a', trialIndex }));
    for (const t of trials) await store.addTrial(t);
    await store.addLoad(load);
    const before = await store.load('run-a');
    const deleted = await store.delete('run-a');
    expect(deleted?.trials).toHaveLength(3);
    expect(await store.load('run-a')).toBeUndefined();
    expect((await store.list()).map((run) => run.runId)).toEqual(['run-b']);
    await store.restore(deleted!);
    expect(await store.load('run-a')).toEqual(before);
    expect(await store.delete('no-such-run')).toBeUndefined();
  });
});
