/**
 * Every run and every finished trial, saved in IndexedDB the moment it exists, so a reload, a closed tab or
 * a lost GPU never loses measured work. Trials are stored as the CSV's rows and read back through the same
 * validation as an imported file: a record from an older or damaged database is skipped, never trusted.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { z } from 'zod';
import { parseSweepConfig } from '../config/sweep-config-schema';
import type { SweepConfig } from '../config/sweep-config';
import { trialFromRow, trialToRow } from './csv';
import { variantLoadSchema } from './run-json';
import type { TrialRecord, VariantLoadRecord } from './trial';

export const RUN_DATABASE_NAME = 'ttft-bench';
const DATABASE_VERSION = 1;

/** `running` in the database but not running in any tab (no Web Lock held) means `interrupted`. */
export type RunState = 'running' | 'done' | 'cancelled' | 'failed' | 'interrupted';

export interface StoredRun {
  readonly runId: string;
  readonly name: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly config: SweepConfig;
  readonly model: string;
  readonly adapter: string;
  readonly browser: string;
  readonly state: RunState;
  /** Why a failed or interrupted run stopped. */
  readonly message: string;
}

export interface RunSummary extends StoredRun {
  readonly trialCount: number;
}

export interface LoadedRun {
  readonly run: StoredRun;
  readonly trials: TrialRecord[];
  readonly loads: VariantLoadRecord[];
  /** Records that failed validation and were left out. */
  readonly skipped: number;
}

interface RunDatabase extends DBSchema {
  runs: { key: string; value: unknown };
  trials: {
    key: [string, number];
    value: { runId: string; trialIndex: number; row: unknown };
    indexes: { byRun: string };
  };
  loads: { key: number; value: { runId: string; load: unknown }; indexes: { byRun: string } };
}

const storedRunSchema = z.object({
  runId: z.string().min(1).max(100),
  name: z.string().max(200),
  createdAt: z.string().max(40),
  updatedAt: z.string().max(40),
  config: z.unknown(),
  model: z.string().max(300),
  adapter: z.string().max(2000),
  browser: z.string().max(2000),
  state: z.enum(['running', 'done', 'cancelled', 'failed', 'interrupted']),
  message: z.string().max(4000),
});

function readRun(value: unknown): StoredRun | undefined {
  const parsed = storedRunSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const config = parseSweepConfig(parsed.data.config);
  if (!config.ok) return undefined;
  return { ...parsed.data, config: config.config };
}

/** A deleted run as it was stored, kept by the page for Undo. */
export interface DeletedRun {
  readonly run: unknown;
  readonly trials: readonly { runId: string; trialIndex: number; row: unknown }[];
  readonly loads: readonly { runId: string; load: unknown }[];
}

export interface NewRun {
  readonly runId: string;
  readonly config: SweepConfig;
  readonly model: string;
  readonly adapter: string;
  readonly browser: string;
}

export class RunStore {
  private constructor(private readonly db: IDBPDatabase<RunDatabase>) {}

  static async open(): Promise<RunStore> {
    const db = await openDB<RunDatabase>(RUN_DATABASE_NAME, DATABASE_VERSION, {
      upgrade(database) {
        database.createObjectStore('runs', { keyPath: 'runId' });
        database
          .createObjectStore('trials', { keyPath: ['runId', 'trialIndex'] })
          .createIndex('byRun', 'runId');
        database.createObjectStore('loads', { autoIncrement: true }).createIndex('byRun', 'runId');
      },
      // A newer version opened in another tab: step aside rather than block its upgrade.
      blocking() {
        db.close();
      },
    });
    return new RunStore(db);
  }

  close(): void {
    this.db.close();
  }

  async beginRun(run: NewRun, now = new Date()): Promise<void> {
    const stored: StoredRun = {
      ...run,
      name: `${run.model} · ${run.config.quantizations.join(', ')}`,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      state: 'running',
      message: '',
    };
    await this.db.put('runs', stored);
  }

  async setState(runId: string, state: RunState, message = '', now = new Date()): Promise<void> {
    await this.update(runId, (run) => ({ ...run, state, message, updatedAt: now.toISOString() }));
  }

  async rename(runId: string, name: string): Promise<void> {
    const trimmed = name.trim().slice(0, 200);
    if (trimmed === '') return;
    await this.update(runId, (run) => ({ ...run, name: trimmed }));
  }

  /** Saves a trial of a run this store holds; a trial of a deleted run is dropped, never kept orphaned. */
  async addTrial(trial: TrialRecord): Promise<boolean> {
    const tx = this.db.transaction(['runs', 'trials'], 'readwrite');
    const exists = (await tx.objectStore('runs').getKey(trial.runId)) !== undefined;
    if (exists) {
      await tx
        .objectStore('trials')
        .put({ runId: trial.runId, trialIndex: trial.trialIndex, row: trialToRow(trial) });
    }
    await tx.done;
    return exists;
  }

  async addLoad(load: VariantLoadRecord): Promise<boolean> {
    const tx = this.db.transaction(['runs', 'loads'], 'readwrite');
    const exists = (await tx.objectStore('runs').getKey(load.runId)) !== undefined;
    if (exists) await tx.objectStore('loads').add({ runId: load.runId, load });
    await tx.done;
    return exists;
  }

  /** Runs the database says are running but no live tab holds: they were interrupted (reload, crash). */
  async markInterrupted(liveRunIds: ReadonlySet<string>): Promise<number> {
    let marked = 0;
    for (const value of await this.db.getAll('runs')) {
      const run = readRun(value);
      if (run === undefined || run.state !== 'running' || liveRunIds.has(run.runId)) continue;
      await this.setState(run.runId, 'interrupted', 'The page was closed or reloaded during the run.');
      marked++;
    }
    return marked;
  }

  /** Newest first, with their trial counts; unreadable records are left out. */
  async list(): Promise<RunSummary[]> {
    const runs = (await this.db.getAll('runs')).flatMap((value) => {
      const run = readRun(value);
      return run === undefined ? [] : [run];
    });
    const summaries = await Promise.all(
      runs.map(async (run) => ({
        ...run,
        trialCount: await this.db.countFromIndex('trials', 'byRun', run.runId),
      })),
    );
    return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async load(runId: string): Promise<LoadedRun | undefined> {
    const run = readRun(await this.db.get('runs', runId));
    if (run === undefined) return undefined;
    let skipped = 0;
    const trials: TrialRecord[] = [];
    for (const stored of await this.db.getAllFromIndex('trials', 'byRun', runId)) {
      try {
        trials.push(trialFromRow(stored.row, `stored trial ${stored.trialIndex}`));
      } catch {
        skipped++;
      }
    }
    const loads: VariantLoadRecord[] = [];
    for (const stored of await this.db.getAllFromIndex('loads', 'byRun', runId)) {
      const parsed = variantLoadSchema.safeParse(stored.load);
      if (parsed.success) loads.push(parsed.data);
      else skipped++;
    }
    trials.sort((a, b) => a.trialIndex - b.trialIndex);
    return { run, trials, loads, skipped };
  }

  /** Deletes a run with its trials and loads, and returns them as stored, so the deletion can be undone. */
  async delete(runId: string): Promise<DeletedRun | undefined> {
    const tx = this.db.transaction(['runs', 'trials', 'loads'], 'readwrite');
    const run: unknown = await tx.objectStore('runs').get(runId);
    const trials: DeletedRun['trials'][number][] = [];
    const loads: DeletedRun['loads'][number][] = [];
    await tx.objectStore('runs').delete(runId);
    let trialCursor = await tx.objectStore('trials').index('byRun').openCursor(runId);
    while (trialCursor !== null) {
      trials.push(trialCursor.value);
      await trialCursor.delete();
      trialCursor = await trialCursor.continue();
    }
    let loadCursor = await tx.objectStore('loads').index('byRun').openCursor(runId);
    while (loadCursor !== null) {
      loads.push(loadCursor.value);
      await loadCursor.delete();
      loadCursor = await loadCursor.continue();
    }
    await tx.done;
    return run === undefined ? undefined : { run, trials, loads };
  }

  /** Puts a deleted run back exactly as it was stored (Undo). */
  async restore(deleted: DeletedRun): Promise<void> {
    const tx = this.db.transaction(['runs', 'trials', 'loads'], 'readwrite');
    await tx.objectStore('runs').put(deleted.run);
    for (const trial of deleted.trials) await tx.objectStore('trials').put(trial);
    for (const load of deleted.loads) await tx.objectStore('loads').add(load);
    await tx.done;
  }

  private async update(runId: string, change: (run: StoredRun) => StoredRun): Promise<void> {
    const tx = this.db.transaction('runs', 'readwrite');
    const run = readRun(await tx.store.get(runId));
    if (run !== undefined) await tx.store.put(change(run));
    await tx.done;
  }
}
