/**
 * When other runs measured on the same GPU, as this tab learns of them (a second tab that ran anyway), so
 * every trial measured while one did is marked `overlapped`. Times are `Date.now()` milliseconds, the clock
 * trials record their start with.
 */
export class OverlapLog {
  private readonly spans = new Map<string, { startMs: number; endMs: number | undefined }[]>();

  /** Another run (by key) began measuring alongside this one. */
  begin(key: string, atMs: number): void {
    const spans = this.spans.get(key) ?? [];
    const last = spans.at(-1);
    if (last !== undefined && last.endMs === undefined) return;
    spans.push({ startMs: atMs, endMs: undefined });
    this.spans.set(key, spans);
  }

  /** It stopped (finished, was cancelled, or its tab went away). */
  end(key: string, atMs: number): void {
    const last = this.spans.get(key)?.at(-1);
    if (last !== undefined && last.endMs === undefined) last.endMs = Math.max(atMs, last.startMs);
  }

  /** Keys of the runs measuring alongside this one now. */
  active(): string[] {
    return [...this.spans].filter(([, spans]) => spans.at(-1)?.endMs === undefined).map(([key]) => key);
  }

  /** Whether any other run measured at some moment between `fromMs` and `toMs`. */
  overlaps(fromMs: number, toMs: number): boolean {
    for (const spans of this.spans.values()) {
      for (const span of spans) {
        if (span.startMs <= toMs && (span.endMs === undefined || span.endMs >= fromMs)) return true;
      }
    }
    return false;
  }
}
