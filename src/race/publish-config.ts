/**
 * What `ttftRace.publish(config)` builds and where it uploads it, validated at the page's boundary, and the
 * upload protocol of the GPU kit's hub (scripts/gpu/drive.py): a repository is staged file by file with PUTs
 * of at most UPLOAD_CHUNK_BYTES at increasing offsets, then published whole by a POST of its file list, which
 * answers with the commit the hub now serves it at. Only loopback hubs take uploads.
 */
import { z } from 'zod';
import { hubUrlSchema, repoIdSchema } from '../config/sweep-config-schema';
import { DEFAULT_SWEEP_CONFIG, LM_HEADS, type LmHead } from '../config/sweep-config';
import { PRESET_IDS, type PresetId } from '../model/config';
import { GRAPH_FORMS, type GraphForm } from '../model/graph-form';
import { BUILT_IN_QUANTIZATIONS, type BuiltInQuantization } from '../model/quantization';

/** The hub's upload endpoints live under this first path segment (never a repository owner: ids start alphanumeric). */
export const UPLOAD_PREFIX = '_upload';
/** One PUT's body at most; drive.py refuses larger ones. 64 MiB keeps a 1.7 GB variant at ~27 requests. */
export const UPLOAD_CHUNK_BYTES = 64 * 2 ** 20;

export interface PublishConfig {
  /** The GPU kit's hub (loopback): drive.py fills it in. */
  readonly hubUrl: string;
  /** The repository to publish, replacing any the hub has under that id. */
  readonly modelId: string;
  readonly preset: PresetId;
  readonly quantizations: readonly BuiltInQuantization[];
  /** The graph form the builder writes (`plain` by default: standard ONNX ops). */
  readonly graph: GraphForm;
  /** `all` (default): logits for every position, as exports ship them; `last`: the last position only. */
  readonly lmHead: LmHead;
  readonly weightSeed: number;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const distinct = <T>(list: readonly T[]) => new Set(list).size === list.length;

const publishConfigSchema = z
  .object({
    hubUrl: hubUrlSchema.refine(
      (url) => LOOPBACK_HOSTS.has(new URL(url).hostname),
      "uploads go to a loopback hub only (the GPU kit's, http://127.0.0.1:PORT)",
    ),
    modelId: repoIdSchema,
    preset: z.enum(PRESET_IDS),
    quantizations: z
      .array(z.enum(BUILT_IN_QUANTIZATIONS as readonly [BuiltInQuantization, ...BuiltInQuantization[]]))
      .min(1)
      .refine(distinct, 'quantization levels repeat'),
    graph: z.enum(GRAPH_FORMS).default('plain'),
    lmHead: z.enum(LM_HEADS).default('all'),
    weightSeed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(DEFAULT_SWEEP_CONFIG.weightSeed),
  })
  .strict();

export type PublishConfigParse =
  { readonly ok: true; readonly config: PublishConfig } | { readonly ok: false; readonly message: string };

export function parsePublishConfig(input: unknown): PublishConfigParse {
  const parsed = publishConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  return {
    ok: false,
    message: `Invalid publish configuration: ${where}${issue?.message ?? 'unknown problem'}`,
  };
}

export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** The PUTs one file takes: consecutive ranges of at most chunkBytes (one empty range for an empty file). */
export function uploadChunks(totalBytes: number, chunkBytes: number = UPLOAD_CHUNK_BYTES): ByteRange[] {
  if (!Number.isInteger(totalBytes) || totalBytes < 0)
    throw new Error(`uploadChunks: bad size ${totalBytes}`);
  if (!Number.isInteger(chunkBytes) || chunkBytes <= 0)
    throw new Error(`uploadChunks: bad chunk size ${chunkBytes}`);
  if (totalBytes === 0) return [{ start: 0, end: 0 }];
  const chunks: ByteRange[] = [];
  for (let start = 0; start < totalBytes; start += chunkBytes)
    chunks.push({ start, end: Math.min(totalBytes, start + chunkBytes) });
  return chunks;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/** The staging area of one repository (DELETE clears it, POST publishes it). */
export function uploadRepositoryUrl(hubUrl: string, modelId: string): string {
  return `${hubUrl}/${UPLOAD_PREFIX}/${encodePath(modelId)}`;
}

/** One PUT: bytes [offset, offset + body length) of the file at `path`, whose whole size is totalBytes. */
export function uploadChunkUrl(
  hubUrl: string,
  modelId: string,
  path: string,
  range: ByteRange & { readonly totalBytes: number },
): string {
  return `${uploadRepositoryUrl(hubUrl, modelId)}/${encodePath(path)}?offset=${range.start}&total=${range.totalBytes}`;
}

/** What the hub answers to the POST that publishes a staged repository. */
export const publishedRepositorySchema = z
  .object({
    commit: z.string().regex(/^[0-9a-f]{40}$/),
    files: z.array(z.object({ path: z.string(), bytes: z.number().int().min(0), sha256: z.string() })),
  })
  .strict();
export type PublishedRepository = z.infer<typeof publishedRepositorySchema>;
