import { describe, expect, it } from 'vitest';
import { readUserAgentMemory } from './user-agent-memory';

// The shape Chromium 156 returned for the app's page with its engine worker (numbers from one measurement).
const MEASURED = {
  bytes: 10552997,
  breakdown: [
    {
      attribution: [
        {
          scope: 'DedicatedWorkerGlobalScope',
          url: 'http://127.0.0.1:4190/assets/engine.worker-Bfy4DFgg.js',
        },
      ],
      bytes: 2341540,
      types: ['JavaScript'],
    },
    { attribution: [], bytes: 63336, types: ['DOM'] },
    { attribution: [], bytes: 0, types: [] },
    {
      attribution: [{ scope: 'Window', url: 'http://127.0.0.1:4190/' }],
      bytes: 7775234,
      types: ['JavaScript'],
    },
    { attribution: [], bytes: 372887, types: ['Shared'] },
  ],
};

describe('readUserAgentMemory', () => {
  it('splits a measurement into the page, the engine worker and the rest', () => {
    expect(readUserAgentMemory(MEASURED)).toEqual({
      totalBytes: 10552997,
      pageBytes: 7775234,
      engineWorkerBytes: 2341540,
      otherBytes: 63336 + 372887,
    });
  });

  it('counts other workers and entries shared by several contexts as the rest', () => {
    const measured = {
      bytes: 600,
      breakdown: [
        {
          attribution: [
            { scope: 'DedicatedWorkerGlobalScope', url: 'http://x/assets/model-builder.worker-1.js' },
          ],
          bytes: 100,
          types: ['JavaScript'],
        },
        {
          attribution: [
            { scope: 'Window', url: 'http://x/' },
            { scope: 'Window', url: 'http://x/frame' },
          ],
          bytes: 200,
          types: ['JavaScript'],
        },
        { attribution: [{ scope: 'Window', url: 'http://x/' }], bytes: 300, types: ['JavaScript'] },
      ],
    };
    expect(readUserAgentMemory(measured)).toEqual({
      totalBytes: 600,
      pageBytes: 300,
      engineWorkerBytes: 0,
      otherBytes: 300,
    });
  });

  it('refuses what is not a measurement, with the reason', () => {
    for (const bad of [
      undefined,
      null,
      42,
      {},
      { bytes: -1, breakdown: [] },
      { bytes: 1, breakdown: [{ bytes: 'x' }] },
    ]) {
      const read = readUserAgentMemory(bad);
      expect(read).toHaveProperty('error');
      expect((read as { error: string }).error).toMatch(/^not a memory measurement: /);
    }
  });
});
