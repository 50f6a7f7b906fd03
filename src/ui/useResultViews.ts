import { useMemo } from 'react';
import { coldTtftMs, summarizeCells } from '../bench/summary';
import type { ComparedRun } from '../report/compared-run';
import { toSharedCell } from '../report/share-link';
import type { TrialRecord } from '../results/trial';
import type { ChartRun } from './TtftChart';

/** The trials on screen summarized for the tables and charts, with compared runs overlaid on the charts. */
export function useResultViews(trials: readonly TrialRecord[], comparisons: readonly ComparedRun[]) {
  const cells = useMemo(() => summarizeCells(trials), [trials]);
  const ownCells = useMemo(() => cells.map(toSharedCell), [cells]);
  const chartRuns = useMemo((): ChartRun[] => {
    const own = ownCells.length === 0 ? [] : [{ label: 'this run', cells: ownCells }];
    return [...own, ...comparisons.map((run) => ({ label: run.label, cells: run.cells }))];
  }, [ownCells, comparisons]);
  const cold = useMemo(() => coldTtftMs(trials), [trials]);
  return { cells, ownCells, chartRuns, cold };
}
