// The download boundary against a real HTTP server in the hub's layout (Node's fetch, same code as the page).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHub, type LocalHub } from '../../scripts/lib/local-hub';
import { downloadVerified, sha256HexOf, type DownloadRequest } from './download';
import { resolveUrl } from './hub-api';
import { openHubRepository } from './hub-repository';
import { HubError } from './hub-error';
import { inspectRepository, type ModelRepository } from './repository';

const BYTES = 300_000;
const content = Uint8Array.from({ length: BYTES }, (_, i) => (i * 31) % 251);
let root: string;
let hub: LocalHub;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ttft-download-'));
  mkdirSync(join(root, 'org', 'repo', 'onnx'), { recursive: true });
  writeFileSync(join(root, 'org', 'repo', 'onnx', 'model.onnx'), content);
  writeFileSync(join(root, 'org', 'repo', 'config.json'), '{}');
  hub = await startLocalHub(root);
});

afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});

async function request(overrides: Partial<DownloadRequest> = {}): Promise<DownloadRequest> {
  return {
    url: resolveUrl(hub.url, 'org/repo', 'main', 'onnx/model.onnx'),
    what: 'onnx/model.onnx',
    hubUrl: hub.url,
    expectedBytes: BYTES,
    sha256: await sha256HexOf(content),
    stallTimeoutMs: 2000,
    signal: new AbortController().signal,
    onProgress: () => undefined,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<HubError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof HubError)) throw new Error(`expected a HubError, got ${String(error)}`);
  return error;
}

describe('verified downloads', () => {
  it('returns the whole file and reports growing progress up to its size', async () => {
    const progress: number[] = [];
    const bytes = await downloadVerified(await request({ onProgress: (loaded) => progress.push(loaded) }));
    expect(bytes).toEqual(content);
    expect(progress.at(-1)).toBe(BYTES);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('refuses a file whose SHA-256 differs from the listing', async () => {
    const error = await failure(downloadVerified(await request({ sha256: 'f'.repeat(64) })));
    expect(error.kind).toBe('integrity');
  });

  it('refuses a file whose length differs from the listing', async () => {
    const error = await failure(downloadVerified(await request({ expectedBytes: BYTES + 1 })));
    expect(error.kind).toBe('integrity');
  });

  it('says a broken-off download broke off', async () => {
    hub.setFault('org/repo', { kind: 'truncate', path: 'onnx/model.onnx', bytes: 1000 });
    try {
      const error = await failure(downloadVerified(await request()));
      expect(error.kind).toBe('truncated');
    } finally {
      hub.setFault('org/repo', undefined);
    }
  });

  it('gives up on a stalled download after the stall timeout', async () => {
    hub.setFault('org/repo', { kind: 'stall', path: 'onnx/model.onnx', afterBytes: 4096 });
    try {
      const started = Date.now();
      const error = await failure(downloadVerified(await request({ stallTimeoutMs: 500 })));
      expect(error.kind).toBe('stalled');
      expect(error.message).toContain('after 4096 of 300000 bytes');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      hub.setFault('org/repo', undefined);
    }
  });

  it('stops at once when the user cancels, with an AbortError rather than a hub problem', async () => {
    hub.setFault('org/repo', { kind: 'stall', path: 'onnx/model.onnx', afterBytes: 4096 });
    try {
      const abort = new AbortController();
      const download = downloadVerified(
        await request({
          signal: abort.signal,
          stallTimeoutMs: 60_000,
          onProgress: (loaded) => {
            if (loaded >= 4096) abort.abort();
          },
        }),
      );
      await expect(download).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      hub.setFault('org/repo', undefined);
    }
  });

  it('maps HTTP statuses and unreachable hubs to messages', async () => {
    hub.setFault('org/repo', { kind: 'status', status: 503 });
    try {
      expect((await failure(downloadVerified(await request()))).kind).toBe('server');
    } finally {
      hub.setFault('org/repo', undefined);
    }
    const missing = await request({ url: resolveUrl(hub.url, 'org/repo', 'main', 'onnx/nope.onnx') });
    expect((await failure(downloadVerified(missing))).kind).toBe('not-found');
    const offline = await request({
      url: 'http://127.0.0.1:9/org/repo/resolve/main/x',
      hubUrl: 'http://127.0.0.1:9',
    });
    expect((await failure(downloadVerified(offline))).kind).toBe('unreachable');
  });
});

describe('opening a hub repository', () => {
  it('resolves the revision to a commit and reads files at that commit', async () => {
    const repository = await openHubRepository(
      { kind: 'hub', id: 'org/repo', revision: 'main', hubUrl: hub.url },
      {},
      new AbortController().signal,
    );
    expect(repository.commit).toBe(hub.commitOf('org/repo'));
    expect(repository.files).toEqual([
      { path: 'config.json', bytes: 2 },
      { path: 'onnx/model.onnx', bytes: BYTES, sha256: await sha256HexOf(content) },
    ]);
    const { bytes, origin } = await repository.readFile(
      repository.files[1]!,
      new AbortController().signal,
      () => undefined,
    );
    expect(bytes).toEqual(content);
    expect(origin).toBe('network');
    expect(hub.requests.at(-1)?.path).toBe(`/org/repo/resolve/${repository.commit}/onnx/model.onnx`);
  });

  it('sends the token to gated repositories', async () => {
    hub.setFault('org/repo', { kind: 'auth', token: 'hf_secret' });
    try {
      const ref = { kind: 'hub', id: 'org/repo', revision: 'main', hubUrl: hub.url } as const;
      const refused = await failure(openHubRepository(ref, {}, new AbortController().signal));
      expect(refused.kind).toBe('unauthorized');
      const opened = await openHubRepository(ref, { token: 'hf_secret' }, new AbortController().signal);
      expect(opened.commit).toBe(hub.commitOf('org/repo'));
    } finally {
      hub.setFault('org/repo', undefined);
    }
  });

  it('refuses a file the listing claims is 1 TB before allocating or requesting anything', async () => {
    const before = hub.requests.length;
    const refused = await failure(downloadVerified(await request({ expectedBytes: 2 ** 40 })));
    expect(refused.kind).toBe('too-large');
    expect(refused.message).toBe(
      'The listing says onnx/model.onnx is 1024.00 GiB; this app holds each file in memory in one piece, at ' +
        'most 2.00 GiB. Nothing was downloaded.',
    );
    expect(hub.requests.length).toBe(before);
  });
});

describe('repository inspection', () => {
  it('refuses a tokenizer.json the listing claims is 1 TB, without reading it', async () => {
    const read: string[] = [];
    const repository: ModelRepository = {
      ref: { kind: 'local', folderName: 'hostile' },
      commit: '',
      files: [
        { path: 'config.json', bytes: 200 },
        { path: 'onnx/model.onnx', bytes: 1000 },
        { path: 'tokenizer.json', bytes: 2 ** 40 },
      ],
      readFile: (file) => {
        read.push(file.path);
        const config = {
          model_type: 'llama',
          num_hidden_layers: 2,
          hidden_size: 64,
          num_attention_heads: 4,
          num_key_value_heads: 2,
          vocab_size: 128256,
          intermediate_size: 128,
        };
        return Promise.resolve({ bytes: new TextEncoder().encode(JSON.stringify(config)), origin: 'disk' });
      },
    };
    const refused = await failure(inspectRepository(repository, new AbortController().signal));
    expect(refused.kind).toBe('too-large');
    expect(refused.message).toMatch(
      /^The repository lists tokenizer\.json as 1024\.00 GiB; such a file is at most/,
    );
    expect(read).toEqual(['config.json']);
  });

  it('ends a listing that stalls after its headers with a message within its timeout', async () => {
    hub.setFault('org/repo', { kind: 'stall-listing' });
    try {
      const ref = { kind: 'hub', id: 'org/repo', revision: 'main', hubUrl: hub.url } as const;
      const started = performance.now();
      const stalled = await failure(
        openHubRepository(ref, { stallTimeoutMs: 300 }, new AbortController().signal),
      );
      const elapsedMs = performance.now() - started;
      expect(stalled.kind).toBe('stalled');
      expect(stalled.message).toBe(
        `${hub.url} stopped answering while listing model "org/repo" at revision "main": nothing arrived for 0.3 s. ` +
          'Check the hub URL and the connection, then look it up again.',
      );
      expect(elapsedMs).toBeGreaterThanOrEqual(290);
      expect(elapsedMs).toBeLessThan(3000);
      // Cancelled by the user: it ends at once, as a cancellation, not as a stall.
      const abort = new AbortController();
      const cancelled = openHubRepository(ref, { stallTimeoutMs: 60_000 }, abort.signal).then(
        () => 'opened',
        (error: unknown) => (error instanceof DOMException ? error.name : String(error)),
      );
      setTimeout(() => abort.abort(), 100);
      expect(await cancelled).toBe('AbortError');
    } finally {
      hub.setFault('org/repo', undefined);
    }
  });
});
