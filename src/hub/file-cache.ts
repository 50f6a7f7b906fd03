/**
 * Downloaded model files in the browser's Cache Storage, keyed by their resolve URL at a fixed commit (so an
 * entry never goes stale). Only verified, whole files are put; an entry whose length disagrees with the listing
 * is deleted on read, so a damaged entry can never pass as whole.
 */
const CACHE_NAME = 'ttft-bench-models-v1';
const LENGTH_HEADER = 'X-Ttft-Bytes';
const SHA256_HEADER = 'X-Ttft-Sha256';

export function fileCacheAvailable(): boolean {
  return typeof caches !== 'undefined';
}

export async function readCachedFile(
  url: string,
  expectedBytes: number,
  sha256: string | undefined,
): Promise<Uint8Array | undefined> {
  if (!fileCacheAvailable()) return undefined;
  const cache = await caches.open(CACHE_NAME);
  const response = await cache.match(url);
  if (response === undefined) return undefined;
  const storedSha = response.headers.get(SHA256_HEADER) ?? undefined;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength !== expectedBytes || (sha256 !== undefined && storedSha !== sha256)) {
    await cache.delete(url);
    return undefined;
  }
  return bytes;
}

export async function writeCachedFile(
  url: string,
  bytes: Uint8Array,
  sha256: string | undefined,
): Promise<void> {
  if (!fileCacheAvailable()) return;
  const headers = new Headers({
    'Content-Type': 'application/octet-stream',
    [LENGTH_HEADER]: String(bytes.byteLength),
  });
  if (sha256 !== undefined) headers.set(SHA256_HEADER, sha256);
  const cache = await caches.open(CACHE_NAME);
  try {
    await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
  } catch (error) {
    // A full disk (QuotaExceededError) must not fail the run: the file is in memory and verified.
    console.warn('ttft-bench: could not cache', url, error);
  }
}

export interface CacheUsage {
  readonly files: number;
  readonly bytes: number;
}

export async function cacheUsage(): Promise<CacheUsage> {
  if (!fileCacheAvailable()) return { files: 0, bytes: 0 };
  const cache = await caches.open(CACHE_NAME);
  let bytes = 0;
  const requests = await cache.keys();
  for (const request of requests) {
    const response = await cache.match(request);
    bytes += Number(response?.headers.get(LENGTH_HEADER) ?? 0);
  }
  return { files: requests.length, bytes };
}

export async function clearFileCache(): Promise<void> {
  if (!fileCacheAvailable()) return;
  await caches.delete(CACHE_NAME);
}
