/**
 * The hub boundary under fuzzing (fixed seed): listings, configs and file lists from a hub or a folder answer
 * with a value or a HubError carrying a message, never another exception, and never an unsafe path.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseModelInfo } from './hub-api';
import { HubError } from './hub-error';
import { parseDecoderConfig } from './model-config';
import { detectVariants } from './variants';

const SEED = 20261125;
const RUNS = 2000;

const LISTING = {
  id: 'org/name',
  sha: 'a'.repeat(40),
  siblings: [
    { rfilename: 'config.json', size: 700 },
    { rfilename: 'onnx/model_q4.onnx', size: 9, lfs: { sha256: 'b'.repeat(64), size: 123456 } },
    { rfilename: 'onnx/model.onnx_data', size: 5000 },
  ],
};

const CONFIG = {
  model_type: 'llama',
  num_hidden_layers: 16,
  hidden_size: 2048,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  head_dim: 64,
  vocab_size: 128256,
  max_position_embeddings: 131072,
};

/** Replaces the value at a random path of a JSON object with random JSON. */
function mutate(base: unknown, path: readonly number[], value: unknown): unknown {
  if (path.length === 0 || typeof base !== 'object' || base === null) return value;
  const entries = Array.isArray(base) ? base.map((v, i) => [String(i), v] as const) : Object.entries(base);
  if (entries.length === 0) return value;
  const [key, child] = entries[path[0]! % entries.length]!;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(base) ? [...base] : { ...base };
  (copy as Record<string, unknown>)[key] = mutate(child, path.slice(1), value);
  return copy;
}

function expectValueOrHubError(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).message.length).toBeGreaterThan(0);
    return undefined;
  }
}

describe('hub parsers under fuzzing', () => {
  it('model listings: random and mutated JSON give a listing with safe paths, or a HubError', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 4 }), fc.jsonValue(), (path, value) => {
        for (const input of [value, mutate(LISTING, path, value)]) {
          const listing = expectValueOrHubError(() => parseModelInfo(input, 'https://hub.test')) as
            ReturnType<typeof parseModelInfo> | undefined;
          for (const file of listing?.files ?? []) {
            expect(file.path.startsWith('/')).toBe(false);
            expect(file.path.split('/')).not.toContain('..');
            expect(Number.isFinite(file.bytes)).toBe(true);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('config.json: random and mutated configs give a whole decoder shape, or a HubError', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 2 }), fc.jsonValue(), (path, value) => {
        for (const input of [value, mutate(CONFIG, path, value)]) {
          const shape = expectValueOrHubError(() => parseDecoderConfig(input)) as
            ReturnType<typeof parseDecoderConfig> | undefined;
          if (shape === undefined) continue;
          for (const n of [shape.numLayers, shape.numKeyValueHeads, shape.headDim, shape.vocabSize]) {
            expect(Number.isInteger(n) && n > 0).toBe(true);
          }
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('file lists: any paths and sizes give variants whose files are all in the list', () => {
    const file = fc.record({
      path: fc.oneof(
        fc.string(),
        fc.constantFrom(
          'onnx/model.onnx',
          'onnx/model_q4.onnx',
          'onnx/model.onnx_data',
          'onnx/model_fp16.onnx_data_1',
        ),
      ),
      bytes: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(file, { maxLength: 12 }), (files) => {
        const paths = new Set(files.map((f) => f.path));
        for (const variant of detectVariants(files)) {
          expect(paths.has(variant.modelFile.path)).toBe(true);
          for (const data of variant.externalDataFiles) expect(paths.has(data.path)).toBe(true);
          const parts = [variant.modelFile, ...variant.externalDataFiles];
          expect(variant.totalBytes).toBe(parts.reduce((sum, part) => sum + part.bytes, 0));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
