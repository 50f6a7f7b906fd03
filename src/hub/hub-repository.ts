/** Opens a repository on the hub (or a mirror): one listing request, then files at the resolved commit. */
import type { ModelRef } from '../config/model-ref';
import { downloadVerified } from './download';
import { readCachedFile, writeCachedFile } from './file-cache';
import { modelInfoUrl, parseModelInfo, resolveUrl } from './hub-api';
import { HubError, httpStatusError, unreachableError } from './hub-error';
import type { ModelRepository } from './repository';

export interface HubAccess {
  /** Hugging Face access token for gated or private repositories; kept in memory only. */
  readonly token?: string;
  /** How long a download may receive nothing before it is called stalled. */
  readonly stallTimeoutMs?: number;
}

const DEFAULT_STALL_TIMEOUT_MS = 30_000;

export async function openHubRepository(
  ref: Extract<ModelRef, { kind: 'hub' }>,
  access: HubAccess,
  signal: AbortSignal,
): Promise<ModelRepository> {
  const what = `model "${ref.id}" at revision "${ref.revision}"`;
  const headers: Record<string, string> =
    access.token === undefined ? {} : { Authorization: `Bearer ${access.token}` };
  let response: Response;
  try {
    response = await fetch(modelInfoUrl(ref.hubUrl, ref.id, ref.revision), {
      headers,
      signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw unreachableError(ref.hubUrl, error);
  }
  if (!response.ok) throw httpStatusError(response.status, what, ref.hubUrl);
  let json: unknown;
  try {
    json = await response.json();
  } catch (error) {
    throw new HubError(
      'invalid-response',
      `${ref.hubUrl} did not answer with JSON for ${what}. Is the hub URL right?`,
      { cause: error },
    );
  }
  const listing = parseModelInfo(json, ref.hubUrl);
  const stallTimeoutMs = access.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;

  return {
    ref,
    commit: listing.commit,
    files: listing.files,
    async readFile(file, readSignal, onProgress) {
      const url = resolveUrl(ref.hubUrl, ref.id, listing.commit, file.path);
      const cached = await readCachedFile(url, file.bytes, file.sha256);
      if (cached !== undefined) {
        onProgress(cached.byteLength);
        return { bytes: cached, origin: 'cache' };
      }
      const bytes = await downloadVerified({
        url,
        what: `${file.path} of ${ref.id}`,
        hubUrl: ref.hubUrl,
        expectedBytes: file.bytes,
        ...(file.sha256 === undefined ? {} : { sha256: file.sha256 }),
        ...(access.token === undefined ? {} : { token: access.token }),
        stallTimeoutMs,
        signal: readSignal,
        onProgress,
      });
      await writeCachedFile(url, bytes, file.sha256);
      return { bytes, origin: 'network' };
    },
  };
}
