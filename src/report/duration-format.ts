/** Durations for people: a clock for elapsed and remaining time, and rough words for estimates. Pure. */

/** "0:07", "12:34", "1:02:03": elapsed or remaining time, whole seconds. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const twoDigits = (value: number) => String(value).padStart(2, '0');
  return hours > 0
    ? `${hours}:${twoDigits(minutes)}:${twoDigits(seconds)}`
    : `${minutes}:${twoDigits(seconds)}`;
}

/**
 * An estimate in words, as precise as an estimate deserves: "20 s", "1 min 10 s" (to 10 s under five
 * minutes), "25 min", "2 h 5 min", and from two days on "10,532 days" (what a hostile link can ask for).
 */
export function formatEstimate(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 57.5) return `${Math.max(1, Math.round(s / 5) * 5)} s`;
  if (s < 300) {
    const rounded = Math.round(s / 10) * 10;
    const minutes = Math.floor(rounded / 60);
    const rest = rounded % 60;
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
  }
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  if (minutes >= 48 * 60) return `${Math.round(s / 86_400).toLocaleString('en-US')} days`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
