/**
 * A local server in the Hugging Face Hub's URL layout (model listing API and `resolve` paths, with
 * Content-Length, ETag, X-Repo-Commit, ranges and CORS), serving repositories from a folder, so the real
 * hub-loading code is tested end to end. Faults (status codes, gated access, truncation, stalls) are set per
 * repository.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join, relative, sep } from 'node:path';

export type HubFault =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'auth'; readonly token: string }
  | { readonly kind: 'truncate'; readonly path: string; readonly bytes: number }
  | { readonly kind: 'stall'; readonly path: string; readonly afterBytes: number }
  /** The listing's headers and its first bytes, then silence. */
  | { readonly kind: 'stall-listing' };

export interface HubRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The Authorization header as it arrived (tests check where a token went), absent when none was sent. */
  readonly authorization?: string;
}

export interface LocalHub {
  readonly url: string;
  readonly requests: HubRequest[];
  setFault(repoId: string, fault: HubFault | undefined): void;
  commitOf(repoId: string): string;
  close(): Promise<void>;
}

interface RepoFileInfo {
  readonly path: string;
  readonly absolute: string;
  readonly bytes: number;
  readonly sha1: string;
  readonly sha256: string;
  readonly lfs: boolean;
}

const LFS_FILE = /\.onnx$|\.onnx_data(_\d+)?$/;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

export function startLocalHub(root: string): Promise<LocalHub> {
  const faults = new Map<string, HubFault>();
  const requests: HubRequest[] = [];
  const sockets = new Set<Socket>();
  const repos = new Map<string, { commit: string; files: RepoFileInfo[] }>();

  const repoOf = (id: string) => {
    const cached = repos.get(id);
    if (cached !== undefined) return cached;
    const dir = join(root, id);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
    const files = listFiles(dir)
      .map((absolute): RepoFileInfo => {
        const content = readFileSync(absolute);
        const path = relative(dir, absolute).split(sep).join('/');
        return {
          path,
          absolute,
          bytes: content.byteLength,
          sha1: createHash('sha1').update(content).digest('hex'),
          sha256: createHash('sha256').update(content).digest('hex'),
          lfs: LFS_FILE.test(path),
        };
      })
      .sort((a, b) => a.path.localeCompare(b.path));
    const commit = createHash('sha1')
      .update(files.map((file) => `${file.path}:${file.sha256}`).join('\n'))
      .digest('hex');
    const repo = { commit, files };
    repos.set(id, repo);
    return repo;
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://local');
    const method = request.method ?? 'GET';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const authorization = request.headers.authorization;
    let logged = false;
    // Logged when the response ends, or when the connection closes first (a stalled response never ends).
    const log = () => {
      if (logged) return;
      logged = true;
      requests.push({
        method,
        path: url.pathname,
        status: response.statusCode,
        ...(authorization === undefined ? {} : { authorization }),
      });
    };
    response.on('finish', log);
    response.on('close', log);
    response.setHeader('Access-Control-Allow-Origin', '*');
    response.setHeader(
      'Access-Control-Expose-Headers',
      'Content-Length, Content-Range, ETag, X-Repo-Commit, X-Linked-Size, X-Linked-Etag, Accept-Ranges, X-Error-Code',
    );
    if (method === 'OPTIONS') {
      response.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Range, Content-Type',
        'Access-Control-Max-Age': '600',
      });
      response.end();
      return;
    }
    const segments = url.pathname
      .split('/')
      .filter((part) => part !== '')
      .map(decodeURIComponent);
    if (segments.some((part) => part === '..' || part === '.')) {
      send(400, { error: 'Invalid path' });
      return;
    }
    const api = segments[0] === 'api' && segments[1] === 'models';
    const repoId = api ? `${segments[2]}/${segments[3]}` : `${segments[0]}/${segments[1]}`;
    const fault = faults.get(repoId);
    if (fault?.kind === 'status') {
      send(fault.status, { error: `Injected HTTP ${fault.status}` });
      return;
    }
    if (fault?.kind === 'auth' && request.headers.authorization !== `Bearer ${fault.token}`) {
      send(401, {
        error: `Access to model ${repoId} is restricted. You must have access to it and be authenticated.`,
      });
      return;
    }
    const repo = repoOf(repoId);
    if (repo === undefined) {
      send(404, { error: 'Repository not found' }, { 'X-Error-Code': 'RepoNotFound' });
      return;
    }
    if (api) {
      // /api/models/{org}/{name} or /api/models/{org}/{name}/revision/{revision}
      const revision = segments[4] === 'revision' ? segments[5] : 'main';
      if (segments.length > 6 || (revision !== 'main' && revision !== repo.commit)) {
        send(404, { error: `Invalid rev id: ${revision}` });
        return;
      }
      const blobs = url.searchParams.get('blobs') === 'true';
      if (fault?.kind === 'stall-listing') {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write('{"id": ');
        return;
      }
      send(200, {
        _id: repo.commit.slice(0, 24),
        id: repoId,
        modelId: repoId,
        sha: repo.commit,
        private: false,
        gated: fault?.kind === 'auth' ? 'manual' : false,
        disabled: false,
        tags: ['transformers.js', 'onnx', 'llama'],
        library_name: 'transformers.js',
        siblings: repo.files.map((file) =>
          blobs
            ? {
                rfilename: file.path,
                size: file.bytes,
                blobId: file.sha1,
                ...(file.lfs ? { lfs: { sha256: file.sha256, size: file.bytes, pointerSize: 134 } } : {}),
              }
            : { rfilename: file.path },
        ),
      });
      return;
    }
    if (segments[2] !== 'resolve' || segments.length < 5) {
      send(404, { error: 'Not found' });
      return;
    }
    const revision = segments[3];
    const path = segments.slice(4).join('/');
    const file = repo.files.find((candidate) => candidate.path === path);
    if ((revision !== 'main' && revision !== repo.commit) || file === undefined) {
      send(404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound' });
      return;
    }
    const etag = `"${file.lfs ? file.sha256 : file.sha1}"`;
    const headers: Record<string, string> = {
      'Content-Type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'X-Repo-Commit': repo.commit,
      ...(file.lfs ? { 'X-Linked-Size': String(file.bytes), 'X-Linked-Etag': etag } : {}),
    };
    let start = 0;
    let end = file.bytes - 1;
    let status = 200;
    const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.range ?? '');
    if (range !== null) {
      start = range[1] === '' ? file.bytes - Number(range[2]) : Number(range[1]);
      end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), file.bytes - 1) : file.bytes - 1;
      if (start > end || start >= file.bytes) {
        send(416, { error: 'Range not satisfiable' }, { 'Content-Range': `bytes */${file.bytes}` });
        return;
      }
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${file.bytes}`;
    }
    headers['Content-Length'] = String(end - start + 1);
    response.writeHead(status, headers);
    if (method === 'HEAD') {
      response.end();
      return;
    }
    if (fault?.kind === 'truncate' && fault.path === path) {
      response.write(readFileSync(file.absolute).subarray(0, fault.bytes), () => response.destroy());
      return;
    }
    if (fault?.kind === 'stall' && fault.path === path) {
      // Headers and the first bytes, then silence: the socket stays open until the client gives up.
      response.write(readFileSync(file.absolute).subarray(0, fault.afterBytes));
      return;
    }
    createReadStream(file.absolute, { start, end }).pipe(response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        setFault: (repoId, fault) => {
          if (fault === undefined) faults.delete(repoId);
          else faults.set(repoId, fault);
        },
        commitOf: (repoId) => {
          const repo = repoOf(repoId);
          if (repo === undefined) throw new Error(`no repository ${repoId}`);
          return repo.commit;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
