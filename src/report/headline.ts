/**
 * The answer first: the median TTFT of each quantization level at one representative prompt length, taken
 * from the same cell summaries as the results table (so the two always agree). Pure.
 */
import type { CellSummary } from '../bench/summary';
import type { SyncMode } from '../config/sweep-config';
import type { Quantization } from '../model/quantization';

export interface HeadlineEntry {
  readonly quantization: Quantization;
  readonly medianMs: number;
  readonly prefillTokensPerSecond: number;
  readonly n: number;
  /** The cell's spread is above 10%: its median needs more repetitions to be trusted. */
  readonly unstable: boolean;
}

export interface Headline {
  readonly promptTokens: number;
  /** Tokens already in the KV cache: the smallest context depth measured (0, a fresh prompt, where measured). */
  readonly depthTokens: number;
  readonly syncMode: SyncMode;
  /** Fastest first. */
  readonly entries: readonly HeadlineEntry[];
  /** With two levels or more: how many times sooner the fastest reaches its first token than the slowest. */
  readonly speedup:
    { readonly fastest: Quantization; readonly slowest: Quantization; readonly times: number } | undefined;
}

/** A prompt of about this many tokens is a typical chat turn; the headline prefers the length nearest it. */
export const REPRESENTATIVE_TOKENS = 512;

/**
 * The headline of these cells: barrier cells (the honest mode) where there are any, at the smallest context
 * depth measured; the prompt length that the most levels were measured at, nearest 512 tokens on a log scale
 * (the longer on a tie).
 */
export function headlineOf(cells: readonly CellSummary[]): Headline | undefined {
  if (cells.length === 0) return undefined;
  const syncMode: SyncMode = cells.some((cell) => cell.syncMode === 'barrier')
    ? 'barrier'
    : cells[0]!.syncMode;
  const inMode = cells.filter((cell) => cell.syncMode === syncMode);
  const depthTokens = Math.min(...inMode.map((cell) => cell.depthTokens));
  const shown = inMode.filter((cell) => cell.depthTokens === depthTokens);
  const levelsAt = new Map<number, number>();
  for (const cell of shown) levelsAt.set(cell.promptTokens, (levelsAt.get(cell.promptTokens) ?? 0) + 1);
  const most = Math.max(...levelsAt.values());
  const distance = (tokens: number) => Math.abs(Math.log(tokens / REPRESENTATIVE_TOKENS));
  const [promptTokens] = [...levelsAt]
    .filter(([, levels]) => levels === most)
    .map(([tokens]) => tokens)
    .sort((a, b) => distance(a) - distance(b) || b - a);
  if (promptTokens === undefined) return undefined;
  const entries = shown
    .filter((cell) => cell.promptTokens === promptTokens)
    .map((cell) => ({
      quantization: cell.quantization,
      medianMs: cell.ttftMs.median,
      prefillTokensPerSecond: cell.prefillTokensPerSecond,
      n: cell.ttftMs.n,
      unstable: cell.unstable,
    }))
    .sort((a, b) => a.medianMs - b.medianMs);
  const fastest = entries[0];
  const slowest = entries.at(-1);
  const speedup =
    fastest !== undefined && slowest !== undefined && entries.length > 1 && fastest.medianMs > 0
      ? {
          fastest: fastest.quantization,
          slowest: slowest.quantization,
          times: slowest.medianMs / fastest.medianMs,
        }
      : undefined;
  return { promptTokens, depthTokens, syncMode, entries, speedup };
}
