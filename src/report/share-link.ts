/**
 * Share links: a run's configuration and summarized results, JSON → DEFLATE (fflate) → base64url, in the URL
 * fragment (never sent to a server) with a schema version. Everything read back is validated with zod; a
 * damaged, truncated, hostile or newer link yields a message, never an exception.
 */
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';
import { z } from 'zod';
import { parseSweepConfig } from '../config/sweep-config-schema';
import { SYNC_MODES, type SweepConfig } from '../config/sweep-config';
import type { CellSummary } from '../bench/summary';
import { QUANTIZATIONS } from '../model/config';
import type { RunEnvironment } from '../results/trial';
import { errorMessage } from '../error-message';
import { cellKeyText, repeatedCell, summaryProblem } from './cross-field';

export const SHARE_SCHEMA_VERSION = 1;
const PREFIX = 'share=';
/** Links longer than this break in chat apps and some browsers: offer a config-only link or the JSON file. */
export const SHARE_LINK_BUDGET_CHARS = 8 * 1024;
/** Refuse to inflate more than this: a hostile link could otherwise decompress to gigabytes. */
const MAX_JSON_BYTES = 1024 * 1024;

export interface SharedCell {
  readonly quantization: CellSummary['quantization'];
  readonly promptTokens: number;
  /** Tokens already in the KV cache (0: a fresh prompt). */
  readonly depthTokens: number;
  readonly syncMode: CellSummary['syncMode'];
  readonly n: number;
  readonly medianMs: number;
  readonly p10Ms: number;
  readonly p90Ms: number;
  readonly meanMs: number;
  readonly stdDevMs: number;
}

/** Shared cells: each cell's statistics consistent (cross-field.ts's summaryProblem), and each cell once. */
export function sharedCellsProblem(cells: readonly SharedCell[]): string | undefined {
  for (const cell of cells) {
    const problem = summaryProblem({
      n: cell.n,
      median: cell.medianMs,
      p10: cell.p10Ms,
      p90: cell.p90Ms,
      mean: cell.meanMs,
      sd: cell.stdDevMs,
    });
    if (problem !== undefined) return `${cellKeyText(cell)}: ${problem}`;
  }
  return repeatedCell(cells);
}

export interface SharedRun {
  readonly version: typeof SHARE_SCHEMA_VERSION;
  readonly config: SweepConfig;
  /** Absent in configuration-only links (a bug report's "try this"). */
  readonly results?: {
    readonly environment: Pick<
      RunEnvironment,
      'adapter' | 'browser' | 'os' | 'onnxruntimeWebVersion' | 'appVersion'
    >;
    readonly cells: readonly SharedCell[];
    readonly measuredAt: string;
  };
}

const finiteMs = z.number().finite().nonnegative().max(1e9);
const text = z.string().max(2000);

const sharedRunSchema = z
  .object({
    version: z.number().int(),
    config: z.unknown(),
    results: z
      .object({
        environment: z.object({
          adapter: text,
          browser: text,
          os: text,
          onnxruntimeWebVersion: text,
          appVersion: text,
        }),
        cells: z
          .array(
            z.object({
              quantization: z.enum(QUANTIZATIONS),
              promptTokens: z
                .number()
                .int()
                .min(1)
                .max(1 << 20),
              // Links made before context depths measured fresh prompts.
              depthTokens: z
                .number()
                .int()
                .min(0)
                .max(1 << 20)
                .default(0),
              syncMode: z.enum(SYNC_MODES),
              n: z.number().int().min(1).max(1e6),
              medianMs: finiteMs,
              p10Ms: finiteMs,
              p90Ms: finiteMs,
              meanMs: finiteMs,
              stdDevMs: finiteMs,
            }),
          )
          .max(2000),
        measuredAt: text,
      })
      .optional(),
  })
  .strict();

export type ShareRequest =
  | { readonly kind: 'none' }
  | { readonly kind: 'shared'; readonly run: SharedRun }
  | { readonly kind: 'invalid'; readonly message: string };

export function toSharedCell(cell: CellSummary): SharedCell {
  return {
    quantization: cell.quantization,
    promptTokens: cell.promptTokens,
    depthTokens: cell.depthTokens,
    syncMode: cell.syncMode,
    n: cell.ttftMs.n,
    medianMs: cell.ttftMs.median,
    p10Ms: cell.ttftMs.p10,
    p90Ms: cell.ttftMs.p90,
    meanMs: cell.ttftMs.mean,
    stdDevMs: cell.ttftMs.stdDev,
  };
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(textValue: string): Uint8Array {
  const base64 = textValue.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function boundedInflate(compressed: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > MAX_JSON_BYTES) throw new Error('the link decompresses to more than 1 MiB');
    chunks.push(chunk);
  });
  const step = 1024;
  for (let offset = 0; offset < compressed.length; offset += step) {
    inflater.push(compressed.subarray(offset, offset + step), offset + step >= compressed.length);
  }
  const out = new Uint8Array(total);
  let position = 0;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.length;
  }
  return out;
}

/** The fragment (without `#`) that carries this run. */
export function encodeShareFragment(run: SharedRun): string {
  return `${PREFIX}${SHARE_SCHEMA_VERSION}.${toBase64Url(deflateSync(strToU8(JSON.stringify(run)), { level: 9 }))}`;
}

export function decodeShareFragment(hash: string): ShareRequest {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!fragment.startsWith(PREFIX)) return { kind: 'none' };
  const match = /^share=(\d+)\.([A-Za-z0-9_-]*)$/.exec(fragment);
  if (match === null)
    return { kind: 'invalid', message: 'This shared link is damaged (unexpected characters).' };
  const version = Number(match[1]);
  if (version > SHARE_SCHEMA_VERSION) {
    return {
      kind: 'invalid',
      message: `This link was made by a newer ttft-bench (format ${version}); update the app.`,
    };
  }
  if (version !== SHARE_SCHEMA_VERSION)
    return { kind: 'invalid', message: `Unknown share link format ${version}.` };
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(boundedInflate(fromBase64Url(match[2]!))));
  } catch (error) {
    const reason = errorMessage(error);
    return { kind: 'invalid', message: `This shared link is damaged or truncated (${reason}).` };
  }
  const parsed = sharedRunSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'invalid',
      message: `This shared link does not hold a valid run (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`,
    };
  }
  if (parsed.data.version !== SHARE_SCHEMA_VERSION)
    return { kind: 'invalid', message: 'The link says one format inside and another outside.' };
  const config = parseSweepConfig(parsed.data.config);
  if (!config.ok)
    return { kind: 'invalid', message: `This shared link's configuration is not valid: ${config.message}` };
  const results = parsed.data.results;
  const inconsistent = results === undefined ? undefined : sharedCellsProblem(results.cells);
  if (inconsistent !== undefined) {
    return {
      kind: 'invalid',
      message: `This shared link's results cannot be right (${inconsistent}), so they are not shown.`,
    };
  }
  return {
    kind: 'shared',
    run: {
      version: SHARE_SCHEMA_VERSION,
      config: config.config,
      ...(results === undefined ? {} : { results }),
    },
  };
}
