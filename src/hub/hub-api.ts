/**
 * The Hugging Face Hub's HTTP layout: `GET /api/models/{id}/revision/{revision}?blobs=true` lists a
 * repository's files with sizes (and LFS SHA-256) at the commit the revision points to;
 * `GET /{id}/resolve/{commit}/{path}` serves a file. Responses are validated here, at the boundary.
 */
import { z } from 'zod';
import { HubError } from './hub-error';
import type { RepoFile } from './repo-file';

const SHA1_HEX = /^[0-9a-f]{40}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

const modelInfoSchema = z.object({
  id: z.string().min(1),
  sha: z.string().regex(SHA1_HEX, 'the commit is not a 40-digit hex sha'),
  siblings: z
    .array(
      z.object({
        rfilename: z.string().min(1).max(1000),
        size: z.number().int().nonnegative().optional(),
        lfs: z
          .object({ sha256: z.string().regex(SHA256_HEX), size: z.number().int().nonnegative() })
          .optional(),
      }),
    )
    .max(100_000),
});

export interface RepoListing {
  readonly id: string;
  /** The commit the requested revision resolved to; every file is then fetched at this commit. */
  readonly commit: string;
  readonly files: readonly RepoFile[];
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function modelInfoUrl(hubUrl: string, id: string, revision: string): string {
  return `${hubUrl}/api/models/${encodePath(id)}/revision/${encodeURIComponent(revision)}?blobs=true`;
}

export function resolveUrl(hubUrl: string, id: string, commit: string, path: string): string {
  return `${hubUrl}/${encodePath(id)}/resolve/${encodeURIComponent(commit)}/${encodePath(path)}`;
}

export function parseModelInfo(json: unknown, hubUrl: string): RepoListing {
  const parsed = modelInfoSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HubError(
      'invalid-response',
      `${hubUrl} answered with a model listing this app cannot read (${issue?.path.join('.') ?? ''}: ` +
        `${issue?.message ?? 'unknown problem'}). Is the hub URL right?`,
    );
  }
  const files: RepoFile[] = [];
  for (const sibling of parsed.data.siblings) {
    const bytes = sibling.lfs?.size ?? sibling.size;
    if (bytes === undefined) {
      throw new HubError(
        'invalid-response',
        `${hubUrl} listed ${sibling.rfilename} without its size; the listing must be requested with blobs=true.`,
      );
    }
    const path = sibling.rfilename;
    if (path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '')) {
      throw new HubError('invalid-response', `${hubUrl} listed an unsafe file path: ${path}`);
    }
    files.push(sibling.lfs === undefined ? { path, bytes } : { path, bytes, sha256: sibling.lfs.sha256 });
  }
  return { id: parsed.data.id, commit: parsed.data.sha, files };
}
