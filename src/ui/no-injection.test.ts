/**
 * Text from links and imported files is displayed, never executed: rendered through React as text, and no
 * code path in the app writes HTML or evaluates strings.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import type { ComparedRun } from '../report/compared-run';
import { sharedCell } from '../report/shared-cell-fixture';
import { ComparePanel } from './ComparePanel';
import { SharedRunPanel } from './SharedRunPanel';

const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

const cell = sharedCell({});

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('no injection', () => {
  it('a shared run with markup in every text field renders it as text', () => {
    const markup = renderToStaticMarkup(
      createElement(SharedRunPanel, {
        request: {
          kind: 'shared',
          run: {
            version: 1,
            config: DEFAULT_SWEEP_CONFIG,
            results: {
              environment: {
                adapter: HOSTILE,
                browser: HOSTILE,
                os: HOSTILE,
                onnxruntimeWebVersion: HOSTILE,
                appVersion: HOSTILE,
              },
              cells: [cell],
              measuredAt: HOSTILE,
            },
          },
        },
        canRun: true,
        onRunHere: () => undefined,
      }),
    );
    expect(markup).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(markup).not.toMatch(/<script|<img/);
  });

  it('an imported file named with markup, and its import error, render as text', () => {
    const run: ComparedRun = {
      id: 'x',
      label: HOSTILE,
      origin: 'file',
      environment: HOSTILE,
      model: HOSTILE,
      cells: [cell],
      reference: {
        preset: 'tiny',
        lmHeads: ['last'],
        graphs: ['fused'],
        accuracyLevels: [0],
        qkvs: ['separate'],
        firstTokenArgmaxes: ['cpu'],
        tokenReadbacks: ['after-barrier'],
        about: `${HOSTILE} about`,
      },
      caution: `${HOSTILE} caution`,
    };
    const markup = renderToStaticMarkup(
      createElement(ComparePanel, {
        runs: [run],
        ownCells: [cell],
        importError: `${HOSTILE}: not a run`,
        onImport: () => undefined,
        onRemove: () => undefined,
      }),
    );
    expect(markup).toContain('&lt;img src=x');
    expect(markup).toMatch(/data-testid="reference-about">[^<]*about</);
    expect(markup).toMatch(/data-testid="compared-caution">[^<]*caution</);
    expect(markup).not.toMatch(/<script|<img/);
  });

  it('no source file writes HTML or evaluates strings', () => {
    const offenders = sourceFiles(join(__dirname, '..')).filter((path) =>
      /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/.test(
        readFileSync(path, 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
