import { createElement, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ComparePanel } from './ComparePanel';
import { FoldSection } from './FoldSection';
import { HistoryPanel } from './HistoryPanel';

const comparePanel = createElement(ComparePanel, {
  runs: [],
  ownCells: [],
  importError: undefined,
  onImport: () => undefined,
  onRemove: () => undefined,
});

const historyPanel = createElement(HistoryPanel, {
  runs: [],
  live: new Set<string>(),
  problem: undefined,
  shownRunId: undefined,
  busy: false,
  onOpen: () => undefined,
  onResume: () => undefined,
  onRename: () => undefined,
  onDelete: () => undefined,
  deleted: undefined,
});

function inFold(id: string, title: string, panel: ReactElement): string {
  return renderToStaticMarkup(createElement(FoldSection, { id, title, defaultOpen: true, children: panel }));
}

describe('panels are named by the fold they sit in', () => {
  it('a panel in a fold is labelled by that fold heading, whatever its id', () => {
    const markup = inFold('others', 'Other runs', comparePanel);
    expect(markup).toContain('<h2 id="others-heading">Other runs</h2>');
    expect(markup).toContain('<section class="panel" aria-labelledby="others-heading">');
    expect(inFold('past', 'Past runs', historyPanel)).toContain('aria-labelledby="past-heading"');
  });

  it('a panel outside any fold names itself', () => {
    expect(renderToStaticMarkup(comparePanel)).toContain('aria-label="Compare with other runs"');
    expect(renderToStaticMarkup(historyPanel)).toContain('aria-label="History"');
    expect(renderToStaticMarkup(historyPanel)).not.toContain('aria-labelledby');
  });
});
