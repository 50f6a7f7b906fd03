/**
 * Everything read from outside goes through a parser that answers with a value or a clear message: thousands
 * of random and mutated inputs must never throw past the boundary, hang, or come back half-parsed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePromptLengths } from '../config/lengths';
import { parseSweepConfig } from '../config/sweep-config-schema';
import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import { encodeAutorun, readAutorun } from '../ui/automation';
import { tryParseTrialsCsv, trialsToCsv } from './csv';
import { importRunFile } from '../report/compared-run';
import { parseRunJson, runToJson } from './run-json';
import { decodeShareFragment, encodeShareFragment, type SharedRun } from '../report/share-link';
import { trial } from './trial-fixture';
import { sharedCell } from '../report/shared-cell-fixture';

const SEED = 20261124;
const RUNS = 2000;

describe('parsers under fuzzing (fixed seed)', () => {
  it('sweep configurations: any JSON value gets a config or a message, never an exception', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed = parseSweepConfig(value);
        if (parsed.ok) expect(parsed.config.quantizations.length).toBeGreaterThan(0);
        else expect(parsed.message).toMatch(/^invalid sweep configuration/);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('sweep configurations: mutated valid ones are validated field by field', () => {
    const field = fc.constantFrom(...Object.keys(DEFAULT_SWEEP_CONFIG));
    fc.assert(
      fc.property(field, fc.jsonValue(), (key, value) => {
        const parsed = parseSweepConfig({ ...DEFAULT_SWEEP_CONFIG, [key]: value });
        if (parsed.ok) expect(Number.isInteger(parsed.config.repetitions)).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('autorun links: random and truncated fragments are rejected with a message', () => {
    const valid = encodeAutorun(DEFAULT_SWEEP_CONFIG);
    expect(readAutorun(`#${valid}`)).toEqual({ kind: 'run', config: DEFAULT_SWEEP_CONFIG });
    fc.assert(
      fc.property(fc.string(), fc.nat(valid.length), (noise, cut) => {
        for (const hash of [`#${noise}`, `#autorun=${noise}`, `#${valid.slice(0, cut)}`]) {
          const request = readAutorun(hash);
          expect(['none', 'run', 'invalid']).toContain(request.kind);
          if (request.kind === 'invalid') expect(request.message.length).toBeGreaterThan(0);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('prompt-length fields never throw', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parsePromptLengths(text);
        if (parsed.ok) expect(parsed.lengths.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('CSV imports: mutated files give trials or a message naming the problem', () => {
    const csv = trialsToCsv([trial({}), trial({ quantization: 'q4', adapter: 'a, "b"\nc' })]);
    fc.assert(
      fc.property(fc.nat(csv.length), fc.nat(csv.length), fc.string(), (start, end, insert) => {
        const mutated = csv.slice(0, Math.min(start, end)) + insert + csv.slice(Math.max(start, end));
        const parsed = tryParseTrialsCsv(mutated);
        if (parsed.ok) for (const t of parsed.trials) expect(Number.isFinite(t.ttftMs)).toBe(true);
        else expect(parsed.message.length).toBeGreaterThan(0);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  const sharedRun: SharedRun = {
    version: 1,
    config: DEFAULT_SWEEP_CONFIG,
    results: {
      environment: { adapter: 'a', browser: 'b', os: 'c', onnxruntimeWebVersion: '1', appVersion: '2' },
      cells: [sharedCell({})],
      measuredAt: 'now',
    },
  };

  it('share links: mutated and truncated fragments give the run, or a message, never an exception', () => {
    const valid = encodeShareFragment(sharedRun);
    expect(decodeShareFragment(`#${valid}`)).toEqual({ kind: 'shared', run: sharedRun });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.%<>"';
    fc.assert(
      fc.property(
        fc.nat(valid.length - 1),
        fc.constantFrom(...alphabet),
        fc.nat(valid.length),
        fc.string(),
        (at, char, cut, noise) => {
          const hashes = [
            `#${valid.slice(0, at)}${char}${valid.slice(at + 1)}`,
            `#${valid.slice(0, cut)}`,
            `#share=1.${noise}`,
            `#share=${noise}`,
          ];
          for (const hash of hashes) {
            const request = decodeShareFragment(hash);
            expect(['none', 'shared', 'invalid']).toContain(request.kind);
            if (request.kind === 'invalid') expect(request.message.length).toBeGreaterThan(0);
            if (request.kind === 'shared') {
              for (const cell of request.run.results?.cells ?? [])
                expect(Number.isFinite(cell.medianMs)).toBe(true);
            }
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('share links: any JSON inside a well-formed link is validated, never trusted', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('config', 'results', 'version'), (value, key) => {
        for (const payload of [value, { ...sharedRun, [key]: value }]) {
          const hash = `#${encodeShareFragment(payload as SharedRun)}`;
          const request = decodeShareFragment(hash);
          expect(['shared', 'invalid']).toContain(request.kind);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('JSON run imports: mutated files give a run or a message naming the file', () => {
    const json = runToJson({
      config: DEFAULT_SWEEP_CONFIG,
      loads: [],
      trials: [trial({}), trial({ phase: 'cold' })],
    });
    fc.assert(
      fc.property(
        fc.nat(json.length),
        fc.nat(json.length),
        fc.string(),
        fc.jsonValue(),
        (start, end, insert, value) => {
          const spliced = json.slice(0, Math.min(start, end)) + insert + json.slice(Math.max(start, end));
          const replaced = JSON.stringify({ ...(JSON.parse(json) as object), trials: [value] });
          for (const text of [spliced, replaced]) {
            expect(['boolean']).toContain(typeof parseRunJson(text).ok);
            const imported = importRunFile('run.json', text, 'x');
            if (!imported.ok) expect(imported.message.startsWith('run.json: ')).toBe(true);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
