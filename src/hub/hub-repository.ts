/** Opens a repository on the hub (or a mirror): one listing request, then files at the resolved commit. */
import type { ModelRef } from '../config/model-ref';
import { downloadVerified } from './download';
import { readCachedFile, writeCachedFile } from './file-cache';
import { modelInfoUrl, parseModelInfo, resolveUrl } from './hub-api';
import { HubError, httpStatusError, unreachableError } from './hub-error';
import { watchStalls } from './stall-watch';
import type { ModelRepository } from './repository';

export interface HubAccess {
  /** Hugging Face access token for gated or private repositories; kept in memory only. */
  readonly token?: string;
  /** How long a listing or download may receive nothing before it is called stalled (a listing gets 4× in all). */
  readonly stallTimeoutMs?: number;
}

const DEFAULT_STALL_TIMEOUT_MS = 30_000;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** A listing of 100k files is a few MB; more is not a listing. */
const MAX_LISTING_BYTES = 64 * 2 ** 20;

/**
 * The listing request with a deadline: it fails when nothing arrives for `stallTimeoutMs` (before the headers
 * or between chunks of the body) or when it takes longer than four times that in all, so a hub that stalls or
 * trickles ends in a message instead of "Reading …" forever. Cancelling `signal` stops it at once.
 */
async function fetchListing(
  ref: Extract<ModelRef, { kind: 'hub' }>,
  headers: Record<string, string>,
  stallTimeoutMs: number,
  signal: AbortSignal,
): Promise<unknown> {
  const what = `model "${ref.id}" at revision "${ref.revision}"`;
  const watch = watchStalls(signal, { stallTimeoutMs, deadlineMs: 4 * stallTimeoutMs });
  const timeoutError = () =>
    new HubError(
      'stalled',
      watch.timedOut() === 'stalled'
        ? `${ref.hubUrl} stopped answering while listing ${what}: nothing arrived for ` +
            `${seconds(stallTimeoutMs)}. Check the hub URL and the connection, then look it up again.`
        : `${ref.hubUrl} took more than ${seconds(4 * stallTimeoutMs)} to list ${what}. ` +
            'Check the hub URL and the connection, then look it up again.',
    );
  try {
    watch.arm();
    let response: Response;
    try {
      response = await fetch(modelInfoUrl(ref.hubUrl, ref.id, ref.revision), {
        headers,
        signal: watch.signal,
        cache: 'no-store',
      });
    } catch (error) {
      if (signal.aborted) throw error;
      if (watch.timedOut() !== undefined) throw timeoutError();
      throw unreachableError(ref.hubUrl, error);
    }
    if (!response.ok) throw httpStatusError(response.status, what, ref.hubUrl);
    const chunks: Uint8Array[] = [];
    let received = 0;
    try {
      const reader = response.body?.getReader();
      for (;;) {
        if (reader === undefined) break;
        watch.arm();
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > MAX_LISTING_BYTES) {
          watch.abort();
          throw new HubError(
            'invalid-response',
            `${ref.hubUrl} sent more than ${MAX_LISTING_BYTES / 2 ** 20} MiB for the listing of ${what}; that is ` +
              'not a model listing. Is the hub URL right?',
          );
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof HubError) throw error;
      if (signal.aborted) throw error;
      if (watch.timedOut() !== undefined) throw timeoutError();
      throw unreachableError(ref.hubUrl, error);
    }
    const body = new Uint8Array(received);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    try {
      return JSON.parse(new TextDecoder().decode(body)) as unknown;
    } catch (error) {
      throw new HubError(
        'invalid-response',
        `${ref.hubUrl} did not answer with JSON for ${what}. Is the hub URL right?`,
        { cause: error },
      );
    }
  } finally {
    watch.dispose();
  }
}

export async function openHubRepository(
  ref: Extract<ModelRef, { kind: 'hub' }>,
  access: HubAccess,
  signal: AbortSignal,
): Promise<ModelRepository> {
  const headers: Record<string, string> =
    access.token === undefined ? {} : { Authorization: `Bearer ${access.token}` };
  const stallTimeoutMs = access.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const json = await fetchListing(ref, headers, stallTimeoutMs, signal);
  const listing = parseModelInfo(json, ref.hubUrl);

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
