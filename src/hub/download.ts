/**
 * Fetches one file with progress, and returns it only when it is whole: the byte count must match the listing
 * (and Content-Length), and the SHA-256 must match where the hub gives one. A download that stops receiving
 * bytes for `stallTimeoutMs` is aborted with a message instead of hanging the sweep.
 */
import { HubError, httpStatusError, unreachableError } from './hub-error';
import { formatBytes } from '../format-bytes';
import { watchStalls } from './stall-watch';

export interface DownloadRequest {
  readonly url: string;
  /** For messages, e.g. `onnx/model_q4.onnx of org/name`. */
  readonly what: string;
  readonly hubUrl: string;
  readonly expectedBytes: number;
  readonly sha256?: string;
  /** Sent as `Authorization: Bearer`; never stored. */
  readonly token?: string;
  readonly stallTimeoutMs: number;
  readonly signal: AbortSignal;
  onProgress(loadedBytes: number): void;
}

export async function sha256HexOf(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function abortError(): DOMException {
  return new DOMException('The download was cancelled', 'AbortError');
}

/**
 * The largest file held as one buffer: a browser cannot hand a larger ArrayBuffer to a worker (structured
 * clone stops below 2 GiB), and a listing that claims more is refused before anything is allocated.
 */
const MAX_FILE_BYTES = 2 ** 31 - 1;

export async function downloadVerified(request: DownloadRequest): Promise<Uint8Array> {
  const { signal } = request;
  if (signal.aborted) throw abortError();
  if (!Number.isSafeInteger(request.expectedBytes) || request.expectedBytes > MAX_FILE_BYTES) {
    throw new HubError(
      'too-large',
      `The listing says ${request.what} is ${formatBytes(request.expectedBytes)}; this app holds each file in ` +
        `memory in one piece, at most ${formatBytes(MAX_FILE_BYTES)}. Nothing was downloaded.`,
    );
  }
  const watch = watchStalls(signal, { stallTimeoutMs: request.stallTimeoutMs });
  const stalledError = (loaded: number) =>
    new HubError(
      'stalled',
      `The download of ${request.what} stalled: no data for ${Math.round(request.stallTimeoutMs / 1000)} s ` +
        `after ${loaded} of ${request.expectedBytes} bytes. Check the connection and run again; nothing ` +
        `incomplete was kept.`,
    );

  try {
    watch.arm();
    let response: Response;
    try {
      response = await fetch(request.url, {
        headers: request.token === undefined ? {} : { Authorization: `Bearer ${request.token}` },
        signal: watch.signal,
        // Cache Storage is the cache; the HTTP cache would make "downloaded" numbers lie.
        cache: 'no-store',
      });
    } catch (error) {
      if (signal.aborted) throw abortError();
      if (watch.timedOut() !== undefined) throw stalledError(0);
      throw unreachableError(request.hubUrl, error);
    }
    if (!response.ok) throw httpStatusError(response.status, request.what, request.hubUrl);
    const declared = response.headers.get('Content-Length');
    if (declared !== null && Number(declared) !== request.expectedBytes) {
      throw new HubError(
        'integrity',
        `${request.what} is ${declared} bytes on the server but the listing says ${request.expectedBytes}; ` +
          `the repository changed or the mirror is inconsistent.`,
      );
    }
    if (response.body === null)
      throw new HubError('invalid-response', `${request.what} came without a body.`);

    const bytes = new Uint8Array(request.expectedBytes);
    let loaded = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (loaded + value.byteLength > bytes.byteLength) {
          throw new HubError(
            'integrity',
            `${request.what} is longer than the ${request.expectedBytes} bytes the listing promised.`,
          );
        }
        bytes.set(value, loaded);
        loaded += value.byteLength;
        watch.arm();
        request.onProgress(loaded);
      }
    } catch (error) {
      if (error instanceof HubError) throw error;
      if (signal.aborted) throw abortError();
      if (watch.timedOut() !== undefined) throw stalledError(loaded);
      throw new HubError(
        'truncated',
        `The download of ${request.what} broke off after ${loaded} of ${request.expectedBytes} bytes; run again.`,
      );
    }
    if (loaded !== request.expectedBytes) {
      throw new HubError(
        'truncated',
        `The download of ${request.what} ended after ${loaded} of ${request.expectedBytes} bytes; run again.`,
      );
    }
    if (request.sha256 !== undefined) {
      const actual = await sha256HexOf(bytes);
      if (actual !== request.sha256) {
        throw new HubError(
          'integrity',
          `${request.what} has SHA-256 ${actual.slice(0, 12)}… but the hub lists ${request.sha256.slice(0, 12)}…; ` +
            `the file was corrupted in transit and was not kept.`,
        );
      }
    }
    return bytes;
  } finally {
    watch.dispose();
  }
}
