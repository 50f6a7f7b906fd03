/**
 * Byte counts as people read them, in binary units: GPU limits and buffer sizes are powers of two, so a
 * 1 GiB `maxBufferSize` reads "1.00 GiB" rather than "1.07 GB". Every size the app or its scripts print
 * goes through here.
 */
export type ByteUnit = 'KiB' | 'MiB' | 'GiB';

const UNIT_BYTES: Readonly<Record<ByteUnit, number>> = { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 };

/** About three significant figures in the unit a size reaches: "512 KiB", "31.0 MiB", "1.96 GiB". */
const DEFAULT_DIGITS: Readonly<Record<ByteUnit, number>> = { KiB: 0, MiB: 1, GiB: 2 };

export interface ByteFormat {
  /**
   * One unit for figures read side by side (a growth against its bound); default: the largest unit the
   * value reaches, KiB at least.
   */
  readonly unit?: ByteUnit;
  /** Digits after the point; default 0 for KiB, 1 for MiB, 2 for GiB. */
  readonly digits?: number;
  /** A '+' before values that print above zero (growths). */
  readonly signed?: boolean;
}

function unitOf(bytes: number): ByteUnit {
  const size = Math.abs(bytes);
  if (size >= UNIT_BYTES.GiB) return 'GiB';
  if (size >= UNIT_BYTES.MiB) return 'MiB';
  return 'KiB';
}

export function formatBytes(bytes: number, format: ByteFormat = {}): string {
  const unit = format.unit ?? unitOf(bytes);
  const digits = format.digits ?? DEFAULT_DIGITS[unit];
  const value = bytes / UNIT_BYTES[unit];
  let text = value.toFixed(digits);
  // toFixed keeps the sign of a value that rounds to zero ("-0"); a zero has none.
  if (Number(text) === 0) text = (0).toFixed(digits);
  const sign = format.signed === true && Number(text) > 0 ? '+' : '';
  return `${sign}${text} ${unit}`;
}
