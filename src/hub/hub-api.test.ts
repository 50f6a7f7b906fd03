import { describe, expect, it } from 'vitest';
import { modelInfoUrl, parseModelInfo, resolveUrl } from './hub-api';
import { HubError } from './hub-error';

const SHA = 'a'.repeat(40);

describe('hub URL layout', () => {
  it('lists at a revision with sizes and resolves files at the commit', () => {
    expect(modelInfoUrl('https://huggingface.co', 'onnx-community/Llama-3.2-1B-Instruct-ONNX', 'main')).toBe(
      'https://huggingface.co/api/models/onnx-community/Llama-3.2-1B-Instruct-ONNX/revision/main?blobs=true',
    );
    expect(modelInfoUrl('http://127.0.0.1:8080/mirror', 'org/name', 'refs/pr/1')).toBe(
      'http://127.0.0.1:8080/mirror/api/models/org/name/revision/refs%2Fpr%2F1?blobs=true',
    );
    expect(resolveUrl('https://hf.co', 'org/name', SHA, 'onnx/model q4.onnx')).toBe(
      `https://hf.co/org/name/resolve/${SHA}/onnx/model%20q4.onnx`,
    );
  });
});

describe('model listing boundary', () => {
  it('reads files, sizes, LFS hashes and the commit', () => {
    const listing = parseModelInfo(
      {
        id: 'org/name',
        sha: SHA,
        private: false,
        siblings: [
          { rfilename: 'config.json', size: 700 },
          {
            rfilename: 'onnx/model.onnx',
            size: 9,
            lfs: { sha256: 'b'.repeat(64), size: 123456, pointerSize: 134 },
          },
        ],
      },
      'https://hf.co',
    );
    expect(listing).toEqual({
      id: 'org/name',
      commit: SHA,
      files: [
        { path: 'config.json', bytes: 700 },
        { path: 'onnx/model.onnx', bytes: 123456, sha256: 'b'.repeat(64) },
      ],
    });
  });

  it.each([
    ['not an object', 'hello'],
    ['no commit', { id: 'x', siblings: [] }],
    ['a short commit', { id: 'x', sha: 'abc', siblings: [] }],
    ['no sizes (blobs=false)', { id: 'x', sha: SHA, siblings: [{ rfilename: 'a' }] }],
    ['path traversal', { id: 'x', sha: SHA, siblings: [{ rfilename: '../etc/passwd', size: 1 }] }],
    ['absolute path', { id: 'x', sha: SHA, siblings: [{ rfilename: '/etc/passwd', size: 1 }] }],
    ['negative size', { id: 'x', sha: SHA, siblings: [{ rfilename: 'a', size: -1 }] }],
  ])('rejects %s with a message', (_, json) => {
    expect(() => parseModelInfo(json, 'https://hf.co')).toThrow(HubError);
  });
});
