import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG, SYNC_MODES, type SweepConfig } from '../config/sweep-config';
import { QUANTIZATIONS } from '../model/config';
import {
  decodeShareFragment,
  encodeShareFragment,
  SHARE_LINK_BUDGET_CHARS,
  type SharedCell,
  type SharedRun,
} from './share-link';

const config: SweepConfig = {
  ...DEFAULT_SWEEP_CONFIG,
  quantizations: ['fp32', 'q4'],
  promptLengths: [16, 64],
};

function cells(count: number): SharedCell[] {
  return Array.from({ length: count }, (_, i) => ({
    quantization: QUANTIZATIONS[i % QUANTIZATIONS.length]!,
    promptTokens: 16 << (i % 7),
    depthTokens: i % 3 === 0 ? 0 : 4096,
    syncMode: SYNC_MODES[i % SYNC_MODES.length]!,
    n: 5,
    medianMs: 123.456789 + i,
    p10Ms: 120.1234 + i,
    p90Ms: 130.98765 + i,
    meanMs: 124.5 + i,
    stdDevMs: 3.21 + i / 100,
  }));
}

const run: SharedRun = {
  version: 1,
  config,
  results: {
    environment: {
      adapter: 'nvidia / ampere / RTX 3080',
      browser: 'Chrome 142; Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
      os: 'Windows 15.0.0 x86',
      onnxruntimeWebVersion: '1.30.0',
      appVersion: '0.1.0',
    },
    cells: cells(6),
    measuredAt: '2026-11-24T23:00:00.000Z',
  },
};

function fragmentOf(json: unknown, version = 1): string {
  const bytes = deflateSync(strToU8(JSON.stringify(json)));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `#share=${version}.${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

describe('share links', () => {
  it('round-trip a run with its results and environment', () => {
    expect(decodeShareFragment(`#${encodeShareFragment(run)}`)).toEqual({ kind: 'shared', run });
  });

  it('round-trip a configuration-only link (for bug reports)', () => {
    const configOnly: SharedRun = {
      version: 1,
      config: { ...config, customPrompt: 'Hello, "world" & <friends>' },
    };
    expect(decodeShareFragment(encodeShareFragment(configOnly))).toEqual({ kind: 'shared', run: configOnly });
  });

  it('read a link made before context depths and the CPU check: fresh prompts, the check on', () => {
    const { depths, cpuMatch, ...olderConfig } = config;
    expect([depths, cpuMatch]).toEqual([[0], true]);
    const olderCells = run.results!.cells.map(({ depthTokens, ...cell }) => {
      expect(depthTokens).toBeGreaterThanOrEqual(0);
      return cell;
    });
    const decoded = decodeShareFragment(
      fragmentOf({ ...run, config: olderConfig, results: { ...run.results, cells: olderCells } }),
    );
    expect(decoded.kind).toBe('shared');
    if (decoded.kind !== 'shared') return;
    expect(decoded.run.config).toEqual(config);
    expect(decoded.run.results!.cells.map((cell) => cell.depthTokens)).toEqual(olderCells.map(() => 0));
  });

  it('round-trip graph capture on and off, and read a link made before the option as off', () => {
    for (const graphCapture of [true, false]) {
      const withCapture: SharedRun = { ...run, config: { ...config, graphCapture } };
      const decoded = decodeShareFragment(`#${encodeShareFragment(withCapture)}`);
      expect(decoded).toEqual({ kind: 'shared', run: withCapture });
      if (decoded.kind === 'shared') expect(decoded.run.config.graphCapture).toBe(graphCapture);
    }
    const olderConfig: Record<string, unknown> = { ...config, graphCapture: true };
    delete olderConfig['graphCapture'];
    const older = decodeShareFragment(fragmentOf({ ...run, config: olderConfig }));
    expect(older).toEqual({ kind: 'shared', run: { ...run, config: { ...config, graphCapture: false } } });
  });

  it('refuse a link that asks for graph capture where it cannot run, and say why', () => {
    const hubModel = { kind: 'hub', id: 'org/name', revision: 'main', hubUrl: 'https://huggingface.co' };
    const decoded = decodeShareFragment(
      fragmentOf({ version: 1, config: { ...config, model: hubModel, graphCapture: true } }),
    );
    expect(decoded).toEqual({
      kind: 'invalid',
      message:
        "This shared link's configuration is not valid: invalid sweep configuration: graphCapture: Graph capture needs a built-in model: it runs the static-KV graph the app builds itself.",
    });
  });

  it('a full sweep (5 levels × 6 lengths × 3 sync modes) stays under the 8 KB budget', () => {
    const big = { ...run, results: { ...run.results!, cells: cells(90) } };
    const length = encodeShareFragment(big).length;
    expect(length).toBeLessThan(SHARE_LINK_BUDGET_CHARS);
  });

  it('ignores fragments that are not share links', () => {
    expect(decodeShareFragment('#autorun=abc')).toEqual({ kind: 'none' });
    expect(decodeShareFragment('')).toEqual({ kind: 'none' });
  });

  it.each([
    ['bad base64', '#share=1.@@@@'],
    ['bad compression', '#share=1.AAECAwQFBgcICQ'],
    ['truncated', `#${encodeShareFragment(run).slice(0, 60)}`],
    ['wrong schema', fragmentOf({ hello: 'world' })],
    [
      'huge numbers',
      fragmentOf({
        ...run,
        results: { ...run.results, cells: [{ ...run.results!.cells[0], medianMs: 1e300 }] },
      }),
    ],
    [
      'NaN as text',
      fragmentOf({
        ...run,
        results: { ...run.results, cells: [{ ...run.results!.cells[0], medianMs: 'NaN' }] },
      }),
    ],
    ['invalid config', fragmentOf({ version: 1, config: { ...config, repetitions: -1 } })],
    ['extra keys', fragmentOf({ ...run, script: '<script>alert(1)</script>' })],
  ])('rejects %s with a message', (_, fragment) => {
    const request = decodeShareFragment(fragment);
    expect(request.kind).toBe('invalid');
    if (request.kind === 'invalid') expect(request.message).toMatch(/link/);
  });

  it('says when a link comes from a newer version', () => {
    expect(decodeShareFragment(fragmentOf(run, 7))).toEqual({
      kind: 'invalid',
      message: 'This link was made by a newer ttft-bench (format 7); update the app.',
    });
  });

  it('refuses a decompression bomb', () => {
    const bomb = fragmentOf({ version: 1, config, padding: ' '.repeat(4 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(20_000);
    const request = decodeShareFragment(bomb);
    expect(request).toMatchObject({ kind: 'invalid' });
    if (request.kind === 'invalid') expect(request.message).toContain('more than 1 MiB');
  });

  it('keeps script payloads as inert text', () => {
    const hostile = {
      ...run,
      results: {
        ...run.results!,
        environment: { ...run.results!.environment, adapter: '<img src=x onerror=alert(1)>' },
      },
    };
    const request = decodeShareFragment(encodeShareFragment(hostile));
    expect(request.kind === 'shared' && request.run.results?.environment.adapter).toBe(
      '<img src=x onerror=alert(1)>',
    );
  });
});
