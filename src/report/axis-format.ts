/**
 * Chart tick labels that stay readable at any size: durations of a second or more in seconds, and every
 * number with thousands separators, so 10⁹ ms reads "1,000,000 s" instead of being clipped.
 */

/** Fixed locale: the same labels in screenshots and exported charts wherever they were made. */
const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const GROUPED_SHORT = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
const FRACTION = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** A count or rate with thousands separators and at most two decimals: "32,768", "1,234.5". */
export function formatGrouped(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return GROUPED.format(value);
}

/** A duration tick: "250 ms" below a second, else seconds ("1.5 s", "1,000,000 s"). */
export function formatDurationTick(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (Math.abs(ms) < 1) return `${FRACTION.format(ms)} ms`;
  if (Math.abs(ms) < 1000) return `${GROUPED_SHORT.format(ms)} ms`;
  const seconds = ms / 1000;
  return `${Math.abs(seconds) < 1000 ? GROUPED_SHORT.format(seconds) : GROUPED.format(Math.round(seconds))} s`;
}
