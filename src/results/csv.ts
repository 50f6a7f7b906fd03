/**
 * One CSV row per trial (RFC 4180, via papaparse), units in the column names; header, writer and reader are
 * derived from the field table (trial-fields.ts). Text cells that a spreadsheet would run as a formula are
 * prefixed with an apostrophe.
 */
import Papa from 'papaparse';
import { errorMessage } from '../error-message';
import {
  TRIAL_FIELD_NAMES,
  TRIAL_FIELDS,
  type Cell,
  type TrialField,
  type TrialFieldName,
  type TrialRecord,
} from './trial-fields';

export { neutralizeFormula } from './spreadsheet';

export const TRIAL_CSV_COLUMNS: readonly string[] = TRIAL_FIELD_NAMES.map(
  (name) => TRIAL_FIELDS[name].column,
);

/** Columns every file has: the ones present since the first record version. */
const REQUIRED_COLUMNS = TRIAL_FIELD_NAMES.filter((name) => TRIAL_FIELDS[name].since === 1).map(
  (name) => TRIAL_FIELDS[name].column,
);

function fieldOf(name: TrialFieldName): TrialField<unknown> {
  // Each entry's codec matches its own value type; looked up by name, TypeScript only sees the union.
  return TRIAL_FIELDS[name] as TrialField<unknown>;
}

/** One trial as a row keyed by column (JSON exports carry the same rows, so every format prints one record). */
export function trialToRow(trial: TrialRecord): Record<string, Cell> {
  const row: Record<string, Cell> = {};
  for (const name of TRIAL_FIELD_NAMES) {
    const field = fieldOf(name);
    row[field.column] = field.codec.write(trial[name]);
  }
  return row;
}

export function trialsToCsv(trials: readonly TrialRecord[]): string {
  return Papa.unparse(
    {
      fields: [...TRIAL_CSV_COLUMNS],
      data: trials.map((trial) => {
        const row = trialToRow(trial);
        return TRIAL_CSV_COLUMNS.map((column) => row[column]);
      }),
    },
    { newline: '\r\n', quotes: false },
  );
}

/** Parses a trials CSV written by this app (or by hand in the same columns); throws naming the bad row. */
export function parseTrialsCsv(text: string): TrialRecord[] {
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const error = parsed.errors[0]!;
    throw new Error(`CSV row ${(error.row ?? 0) + 1}: ${error.message}`);
  }
  const present = parsed.meta.fields ?? [];
  const missing = REQUIRED_COLUMNS.filter((column) => !present.includes(column));
  if (missing.length > 0) throw new Error(`CSV is missing columns: ${missing.join(', ')}`);
  return parsed.data.map((raw, index) => trialFromRow(raw, `CSV row ${index + 1}`));
}

/**
 * Validates one row (from CSV, JSON or the saved history) into a TrialRecord; a column added after the row
 * was written takes its field's `olderDefault`. Throws naming `where` and the column.
 */
export function trialFromRow(raw: unknown, where: string): TrialRecord {
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: not a row`);
  const cells = raw as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  for (const name of TRIAL_FIELD_NAMES) {
    const field = fieldOf(name);
    const cell = cells[field.column];
    if (cell === undefined && field.since > 1) {
      record[name] = field.olderDefault;
      continue;
    }
    const result = field.codec.schema.safeParse(cell);
    if (!result.success) {
      throw new Error(`${where}, column ${field.column}: ${result.error.issues[0]?.message ?? 'invalid'}`);
    }
    record[name] = result.data;
  }
  // Every field was parsed by its own codec above, so the record has each field's type.
  return record as TrialRecord;
}

/** The import boundary: a result instead of an exception, for files from other machines. */
export function tryParseTrialsCsv(
  text: string,
): { readonly ok: true; readonly trials: TrialRecord[] } | { readonly ok: false; readonly message: string } {
  try {
    return { ok: true, trials: parseTrialsCsv(text) };
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}
