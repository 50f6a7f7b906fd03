/**
 * One CSV row per trial (RFC 4180, via papaparse), units in the column names. Text cells that a spreadsheet
 * would run as a formula are prefixed with an apostrophe (OWASP's CSV injection advice).
 */
import Papa from 'papaparse';
import { z } from 'zod';
import { LM_HEADS, SYNC_MODES } from '../config/sweep-config';
import { QUANTIZATIONS } from '../model/config';
import type { TrialRecord } from './trial';
import { errorMessage } from '../error-message';

export const TRIAL_CSV_COLUMNS = [
  'run_id',
  'trial_index',
  'model',
  'model_source',
  'model_revision',
  'quantization',
  'prompt_tokens',
  'prompt_source',
  'phase',
  'repetition',
  'sync_mode',
  'ttft_ms',
  'tokenize_ms',
  'upload_ms',
  'prefill_ms',
  'gpu_wait_ms',
  'gpu_span_ms',
  'readback_ms',
  'sampling_ms',
  'first_token_id',
  'decode_tokens',
  'decode_ms_per_token_median',
  'decode_ms_per_token_p90',
  'decode_tokens_per_s',
  'decoded_token_ids',
  'weight_seed',
  'lm_head',
  'model_sha256',
  'adapter',
  'adapter_features',
  'max_buffer_size_bytes',
  'max_storage_buffer_binding_size_bytes',
  'browser',
  'os',
  'onnxruntime_web_version',
  'app_version',
  'started_at',
] as const;

type Column = (typeof TRIAL_CSV_COLUMNS)[number];

/** Columns added after the first release: files without them still import, with the old meaning. */
const OPTIONAL_COLUMNS: ReadonlySet<Column> = new Set(['lm_head']);

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One trial as a CSV row (JSON exports carry the same rows, so every format prints one record type). */
export function trialToRow(trial: TrialRecord): Record<Column, string | number> {
  return {
    run_id: neutralizeFormula(trial.runId),
    trial_index: trial.trialIndex,
    model: neutralizeFormula(trial.model),
    model_source: trial.modelSource,
    model_revision: neutralizeFormula(trial.modelRevision),
    quantization: trial.quantization,
    prompt_tokens: trial.promptTokens,
    prompt_source: trial.promptSource,
    phase: trial.phase,
    repetition: trial.repetition,
    sync_mode: trial.syncMode,
    ttft_ms: trial.ttftMs,
    tokenize_ms: trial.tokenizeMs,
    upload_ms: trial.uploadMs,
    prefill_ms: trial.prefillMs,
    gpu_wait_ms: trial.gpuWaitMs,
    gpu_span_ms: trial.gpuSpanMs ?? '',
    readback_ms: trial.readbackMs,
    sampling_ms: trial.samplingMs,
    first_token_id: trial.firstTokenId,
    decode_tokens: trial.decodeTokens,
    decode_ms_per_token_median: trial.decodeMsPerTokenMedian,
    decode_ms_per_token_p90: trial.decodeMsPerTokenP90,
    decode_tokens_per_s: trial.decodeTokensPerSecond,
    decoded_token_ids: trial.decodedTokenIds,
    weight_seed: trial.weightSeed,
    lm_head: trial.lmHead,
    model_sha256: neutralizeFormula(trial.modelSha256),
    adapter: neutralizeFormula(trial.adapter),
    adapter_features: neutralizeFormula(trial.adapterFeatures),
    max_buffer_size_bytes: trial.maxBufferSizeBytes,
    max_storage_buffer_binding_size_bytes: trial.maxStorageBufferBindingSizeBytes,
    browser: neutralizeFormula(trial.browser),
    os: neutralizeFormula(trial.os),
    onnxruntime_web_version: neutralizeFormula(trial.onnxruntimeWebVersion),
    app_version: neutralizeFormula(trial.appVersion),
    started_at: trial.startedAt,
  };
}

export function trialsToCsv(trials: readonly TrialRecord[]): string {
  return Papa.unparse(
    {
      fields: [...TRIAL_CSV_COLUMNS],
      data: trials.map((trial) => TRIAL_CSV_COLUMNS.map((column) => trialToRow(trial)[column])),
    },
    { newline: '\r\n', quotes: false },
  );
}

const milliseconds = z.coerce.number().finite().nonnegative();
const count = z.coerce.number().int().nonnegative();

const csvRowSchema = z.object({
  run_id: z.string().min(1),
  trial_index: count,
  model: z.string().min(1).max(300),
  model_source: z.enum(['builtin', 'hub', 'local']),
  model_revision: z.string().max(200),
  quantization: z.enum(QUANTIZATIONS),
  prompt_tokens: count.min(1),
  prompt_source: z.enum(['generated', 'custom']),
  phase: z.enum(['cold', 'warmup', 'warm']),
  repetition: count.min(1),
  sync_mode: z.enum(SYNC_MODES),
  ttft_ms: milliseconds,
  tokenize_ms: milliseconds,
  upload_ms: milliseconds,
  prefill_ms: milliseconds,
  gpu_wait_ms: milliseconds,
  gpu_span_ms: z.union([z.literal('').transform(() => undefined), milliseconds]),
  readback_ms: milliseconds,
  sampling_ms: milliseconds,
  first_token_id: count,
  decode_tokens: count,
  decode_ms_per_token_median: milliseconds,
  decode_ms_per_token_p90: milliseconds,
  decode_tokens_per_s: z.coerce.number().finite().nonnegative(),
  decoded_token_ids: z.string().regex(/^(\d+( \d+)*)?$/),
  weight_seed: count,
  // Files from before this column measured every position.
  lm_head: z.enum(LM_HEADS).default('all'),
  model_sha256: z.string(),
  adapter: z.string(),
  adapter_features: z.string(),
  max_buffer_size_bytes: count,
  max_storage_buffer_binding_size_bytes: count,
  browser: z.string(),
  os: z.string(),
  onnxruntime_web_version: z.string(),
  app_version: z.string(),
  started_at: z.string(),
});

/** Parses a trials CSV written by this app (or by hand in the same columns); throws naming the bad row. */
export function parseTrialsCsv(text: string): TrialRecord[] {
  const parsed = Papa.parse<Record<string, string>>(text.trim(), { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const error = parsed.errors[0]!;
    throw new Error(`CSV row ${(error.row ?? 0) + 1}: ${error.message}`);
  }
  const missing = TRIAL_CSV_COLUMNS.filter(
    (column) => !OPTIONAL_COLUMNS.has(column) && !(parsed.meta.fields ?? []).includes(column),
  );
  if (missing.length > 0) throw new Error(`CSV is missing columns: ${missing.join(', ')}`);
  return parsed.data.map((raw, index) => trialFromRow(raw, `CSV row ${index + 1}`));
}

/** Validates one row (from CSV or JSON) into a TrialRecord; throws naming `where` and the column. */
export function trialFromRow(raw: unknown, where: string): TrialRecord {
  const result = csvRowSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${where}, column ${issue.path.join('.')}: ${issue.message}`);
  }
  const r = result.data;
  return {
    runId: r.run_id,
    trialIndex: r.trial_index,
    model: r.model,
    modelSource: r.model_source,
    modelRevision: r.model_revision,
    quantization: r.quantization,
    promptTokens: r.prompt_tokens,
    promptSource: r.prompt_source,
    phase: r.phase,
    repetition: r.repetition,
    syncMode: r.sync_mode,
    ttftMs: r.ttft_ms,
    tokenizeMs: r.tokenize_ms,
    uploadMs: r.upload_ms,
    prefillMs: r.prefill_ms,
    gpuWaitMs: r.gpu_wait_ms,
    gpuSpanMs: r.gpu_span_ms,
    readbackMs: r.readback_ms,
    samplingMs: r.sampling_ms,
    firstTokenId: r.first_token_id,
    decodeTokens: r.decode_tokens,
    decodeMsPerTokenMedian: r.decode_ms_per_token_median,
    decodeMsPerTokenP90: r.decode_ms_per_token_p90,
    decodeTokensPerSecond: r.decode_tokens_per_s,
    decodedTokenIds: r.decoded_token_ids,
    weightSeed: r.weight_seed,
    lmHead: r.lm_head,
    modelSha256: r.model_sha256,
    adapter: r.adapter,
    adapterFeatures: r.adapter_features,
    maxBufferSizeBytes: r.max_buffer_size_bytes,
    maxStorageBufferBindingSizeBytes: r.max_storage_buffer_binding_size_bytes,
    browser: r.browser,
    os: r.os,
    onnxruntimeWebVersion: r.onnxruntime_web_version,
    appVersion: r.app_version,
    startedAt: r.started_at,
  };
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
