import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRIAL_FIELD_NAMES, TRIAL_FIELDS, TRIAL_RECORD_VERSION } from './trial-fields';
import { parseTrialsCsv, trialFromRow, trialToRow, trialsToCsv } from './csv';
import { trial } from './trial-fixture';

describe('the trial field table', () => {
  it('gives every field one snake_case column with its unit in the name where it has one', () => {
    const columns = TRIAL_FIELD_NAMES.map((name) => TRIAL_FIELDS[name].column);
    expect(new Set(columns).size).toBe(columns.length);
    for (const name of TRIAL_FIELD_NAMES) {
      const { column, unit } = TRIAL_FIELDS[name];
      expect(column).toMatch(/^[a-z][a-z0-9_]*$/);
      if (unit === 'ms') expect(column).toMatch(/_ms(_|$)|ms_per_token/);
      if (unit === 'bytes') expect(column).toMatch(/_bytes$/);
    }
  });

  it('says, for every field added after the first version, what older records mean by its absence', () => {
    for (const name of TRIAL_FIELD_NAMES) {
      const { since, codec } = TRIAL_FIELDS[name];
      const olderDefault: unknown =
        'olderDefault' in TRIAL_FIELDS[name] ? TRIAL_FIELDS[name].olderDefault : undefined;
      expect(since).toBeGreaterThanOrEqual(1);
      expect(since).toBeLessThanOrEqual(TRIAL_RECORD_VERSION);
      if (since > 1) {
        expect('olderDefault' in TRIAL_FIELDS[name], name).toBe(true);
        // The default is a value the field's own codec accepts (an empty cell where it is "not measured").
        expect(codec.schema.safeParse(olderDefault ?? '').success, name).toBe(true);
      }
    }
  });

  it('reads back every field it writes, through CSV and through JSON rows', () => {
    const original = trial({
      gpuSpanMs: undefined,
      lmHead: 'last',
      decodedTokenIds: '1 2 3',
      overlapped: true,
    });
    expect(parseTrialsCsv(trialsToCsv([original]))).toEqual([original]);
    const jsonRow = JSON.parse(JSON.stringify(trialToRow(original))) as unknown;
    expect(trialFromRow(jsonRow, 'row')).toEqual(original);
  });

  it('loads a record of each older version with the defaults of the fields it lacks', () => {
    for (let version = 1; version < TRIAL_RECORD_VERSION; version++) {
      const newer = TRIAL_FIELD_NAMES.filter((name) => TRIAL_FIELDS[name].since > version);
      const newerColumns = new Set(newer.map((name) => TRIAL_FIELDS[name].column));
      const row = Object.fromEntries(
        Object.entries(trialToRow(trial({ lmHead: 'last' }))).filter(([column]) => !newerColumns.has(column)),
      );
      const loaded = trialFromRow(row, `version ${version} row`);
      for (const name of newer) expect(loaded[name]).toEqual(TRIAL_FIELDS[name].olderDefault);
    }
  });

  it('records graph capture since version 6 as graph_capture; older records ran without it', () => {
    expect(TRIAL_FIELDS.graphCapture).toMatchObject({
      column: 'graph_capture',
      group: 'variant',
      since: 6,
      olderDefault: false,
    });
    const captured = trial({ graphCapture: true });
    const csv = trialsToCsv([captured]);
    expect(csv.split('\n')[0]!.split(',')).toContain('graph_capture');
    expect(parseTrialsCsv(csv)).toEqual([captured]);
    expect(parseTrialsCsv(trialsToCsv([trial({ graphCapture: false })]))[0]!.graphCapture).toBe(false);
    const { graph_capture: dropped, ...version5Row } = trialToRow(captured);
    expect(dropped).toBe('true');
    expect(trialFromRow(version5Row, 'version 5 row').graphCapture).toBe(false);
  });

  it('records the decode loop since version 7 as decode_loop; older records closed every step on the CPU', () => {
    expect(TRIAL_FIELDS.decodeLoop).toMatchObject({
      column: 'decode_loop',
      group: 'run',
      since: 7,
      olderDefault: 'synced',
    });
    const pipelined = trial({ decodeLoop: 'pipelined', decodeTokens: 2, decodedTokenIds: '7 9' });
    const csv = trialsToCsv([pipelined]);
    expect(parseTrialsCsv(csv)).toEqual([pipelined]);
    const { decode_loop: dropped, ...version6Row } = trialToRow(pipelined);
    expect(dropped).toBe('pipelined');
    expect(trialFromRow(version6Row, 'version 6 row').decodeLoop).toBe('synced');
    expect(() => trialFromRow({ ...version6Row, decode_loop: 'eager' }, 'bad row')).toThrow(/decode_loop/);
  });

  it('records the q/k/v projections since version 8 as qkv; older records ran three projections', () => {
    expect(TRIAL_FIELDS.qkv).toMatchObject({
      column: 'qkv',
      group: 'variant',
      since: 8,
      olderDefault: 'separate',
    });
    const packed = trial({ qkv: 'packed' });
    expect(parseTrialsCsv(trialsToCsv([packed]))).toEqual([packed]);
    const { qkv: dropped, ...version7Row } = trialToRow(packed);
    expect(dropped).toBe('packed');
    expect(trialFromRow(version7Row, 'version 7 row').qkv).toBe('separate');
    expect(() => trialFromRow({ ...version7Row, qkv: 'fused' }, 'bad row')).toThrow(/qkv/);
  });

  it('records where the first token was picked since version 8 as first_token_argmax; older records picked on the CPU', () => {
    expect(TRIAL_FIELDS.firstTokenArgmax).toMatchObject({
      column: 'first_token_argmax',
      group: 'run',
      since: 8,
      olderDefault: 'cpu',
    });
    const onGpu = trial({ firstTokenArgmax: 'gpu' });
    expect(parseTrialsCsv(trialsToCsv([onGpu]))).toEqual([onGpu]);
    const { first_token_argmax: dropped, ...version7Row } = trialToRow(onGpu);
    expect(dropped).toBe('gpu');
    expect(trialFromRow(version7Row, 'version 7 row').firstTokenArgmax).toBe('cpu');
    expect(() => trialFromRow({ ...version7Row, first_token_argmax: 'npu' }, 'bad row')).toThrow(
      /first_token_argmax/,
    );
  });

  it('records when the first token was read back since version 9 as token_readback; older records read it after the barrier', () => {
    expect(TRIAL_RECORD_VERSION).toBe(9);
    expect(TRIAL_FIELDS.tokenReadback).toMatchObject({
      column: 'token_readback',
      group: 'run',
      since: 9,
      olderDefault: 'after-barrier',
    });
    const beside = trial({ tokenReadback: 'with-barrier' });
    expect(parseTrialsCsv(trialsToCsv([beside]))).toEqual([beside]);
    const { token_readback: dropped, ...version8Row } = trialToRow(beside);
    expect(dropped).toBe('with-barrier');
    expect(trialFromRow(version8Row, 'version 8 row').tokenReadback).toBe('after-barrier');
    expect(() => trialFromRow({ ...version8Row, token_readback: 'before-barrier' }, 'bad row')).toThrow(
      /token_readback/,
    );
  });

  it("is what the README's CSV table documents", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## CSV columns'));
    for (const name of TRIAL_FIELD_NAMES) expect(section).toContain(`\`${TRIAL_FIELDS[name].column}\``);
  });
});
