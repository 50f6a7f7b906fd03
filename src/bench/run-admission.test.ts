import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESET_IDS, PRESETS, type PresetId } from '../model/config';
import { builtInFootprints, builtInModelShape } from './builtin-footprint';
import {
  admitRun,
  activationTensors,
  kvCacheBytes,
  longestAdmittedPrompt,
  MAX_TRANSFER_BYTES,
  suggestInstead,
  type AdmissionRequest,
  type HostLimits,
  type RunDemand,
} from './run-admission';

const SWIFTSHADER = {
  maxBufferSizeBytes: 2 ** 30,
  maxStorageBufferBindingSizeBytes: 2 ** 30,
  hasShaderF16: false,
};
const HOST: HostLimits = {
  maxBufferSizeBytes: 2 ** 30,
  deviceMemory: { bytes: 8 * 2 ** 30, capped: true },
  gpuMemoryBytes: undefined,
  gpuSharesHostMemory: true,
};
const DEMAND: RunDemand = {
  quantizations: ['fp32', 'q4'],
  longestPromptTokens: 1024,
  deepestContextTokens: 0,
  decodeTokens: 0,
  lmHead: 'all',
  order: 'interleaved',
  graphCapture: false,
};

function request(
  preset: PresetId,
  demand: Partial<RunDemand> = {},
  host: Partial<HostLimits> = {},
): AdmissionRequest {
  const limits =
    host.maxBufferSizeBytes === undefined && 'maxBufferSizeBytes' in host ? undefined : SWIFTSHADER;
  return {
    model: builtInModelShape(PRESETS[preset].config),
    variants: builtInFootprints(
      preset,
      limits && { ...limits, maxBufferSizeBytes: host.maxBufferSizeBytes ?? limits.maxBufferSizeBytes },
    ),
    demand: { ...DEMAND, ...demand },
    host: { ...HOST, ...host },
  };
}

function reasons(admission: ReturnType<typeof admitRun>): string[] {
  return admission.ok ? [] : admission.refusals.map((r) => `${r.quantization ?? 'run'}: ${r.reason}`);
}

describe('admission of built-in models', () => {
  it('admits the default sweep of the tiny model on SwiftShader', () => {
    const admission = admitRun(request('tiny'));
    expect(reasons(admission)).toEqual([]);
    expect(admission.ok && admission.pendingAdapter).toBe(false);
  });

  it('refuses Llama-3.1-8B fp32: its largest weight and its 30 GiB of weights in one file', () => {
    const refused = reasons(admitRun(request('llama-3.1-8b', { quantizations: ['fp32'] })));
    expect(refused).toEqual([
      "fp32: Cannot fit: its embedding table (128256 × 4096, 1.96 GiB) is larger than this adapter's maxBufferSize (1.00 GiB).",
      'fp32: Its model.onnx_data would be 29.98 GiB in one piece; a browser hands at most 2 GiB in one piece to the engine worker.',
    ]);
  });

  it('refuses Llama-3.1-8B q4 before the adapter is known (its weights cannot reach the engine in one piece)', () => {
    const admission = admitRun(
      request('llama-3.1-8b', { quantizations: ['q4'] }, { maxBufferSizeBytes: undefined }),
    );
    expect(admission.ok).toBe(false);
    expect(reasons(admission)).toEqual([
      'q4: Its model.onnx_data would be 6.39 GiB in one piece; a browser hands at most 2 GiB in one piece to the engine worker.',
    ]);
  });

  it('refuses Llama-3.2-1B fp32 (5.6 GiB) honestly, and suggests the levels that fit', () => {
    const refusing = request('llama-3.2-1b', { quantizations: ['fp32'] });
    expect(reasons(admitRun(refusing))).toEqual([
      'fp32: Its model.onnx_data would be 5.61 GiB in one piece; a browser hands at most 2 GiB in one piece to the engine worker.',
    ]);
    expect(suggestInstead(refusing)).toEqual(['Pick q4 instead of fp32.']);
    expect(reasons(admitRun(request('llama-3.2-1b', { quantizations: ['q4'] })))).toEqual([]);
  });

  it('refuses float16 levels on an adapter without shader-f16 with the form’s words', () => {
    expect(reasons(admitRun(request('tiny', { quantizations: ['fp16'] })))).toEqual([
      'fp16: Needs the WebGPU feature shader-f16, which this adapter does not have.',
    ]);
  });

  it('refuses prompts whose logits do not fit one GPU buffer, and names the ways out', () => {
    const long = request('tiny', { quantizations: ['q4'], longestPromptTokens: 4096 });
    expect(reasons(admitRun(long))).toEqual([
      "q4: At 4096 tokens the logits (4096 × 128256) take 1.96 GiB in one GPU buffer, more than this adapter's maxBufferSize (1.00 GiB).",
    ]);
    // 2092 × 128256 × 4 B is the last length within 1 GiB.
    expect(longestAdmittedPrompt(long, 32768)).toBe(2092);
    expect(suggestInstead(long, [], 32768)).toEqual([
      'Compute the LM head for the last position only (the form’s checkbox, --lm-head last).',
      'Use prompts of at most 2,092 tokens.',
    ]);
    // With the last-position head, the float32 attention scores (4 heads × T × T) are next: T ≤ 8192.
    expect(longestAdmittedPrompt({ ...long, demand: { ...long.demand, lmHead: 'last' } }, 32768)).toBe(8192);
  });

  it('counts page and GPU memory against a device that reports less than the browser’s cap', () => {
    const small = request(
      'llama-3.2-1b',
      { quantizations: ['q4'] },
      { deviceMemory: { bytes: 4 * 2 ** 30, capped: false } },
    );
    expect(reasons(admitRun(small))).toEqual([
      'run: It needs about 5.87 GiB of memory (page and GPU); this device reports 4.00 GiB, of which a run may use 3.00 GiB.',
    ]);
    // A reported 8 GiB is Chrome's ceiling, not the machine's size: it refuses nothing.
    expect(admitRun(request('llama-3.2-1b', { quantizations: ['q4'] })).ok).toBe(true);
  });

  it('names what the run needs', () => {
    const admission = admitRun(request('tiny', { quantizations: ['fp32'], longestPromptTokens: 512 }));
    expect(admission.footprint.largestActivation.what).toBe('the logits (512 × 128256)');
    expect(admission.footprint.largestActivation.bytes).toBe(512 * 128256 * 4);
    expect(kvCacheBytes(builtInModelShape(PRESETS.tiny.config), 512, 4)).toBe(2 * 2 * 2 * 16 * 512 * 4);
    const tiny = builtInModelShape(PRESETS.tiny.config);
    expect(activationTensors(tiny, { tokens: 8192, contextTokens: 0 }, 'last', 4)[0]!.what).toBe(
      'the attention scores (4 heads × 8192 × 8192, float32)',
    );
    expect(activationTensors(tiny, { tokens: 64, contextTokens: 4096 }, 'last', 4)[0]!.what).toBe(
      'the attention scores (4 heads × 64 × 4160, float32)',
    );
  });

  it('counts three copies of the weights per level with graph capture (session, captured prefill, captured decode)', () => {
    const demand = {
      quantizations: ['fp32', 'q4'] as const,
      longestPromptTokens: 16,
      lmHead: 'last' as const,
    };
    const weights = builtInFootprints('smollm2-135m', SWIFTSHADER)
      .filter((variant) => variant.quantization === 'fp32' || variant.quantization === 'q4')
      .reduce((sum, variant) => sum + variant.weightBytes, 0);
    for (const order of ['interleaved', 'sequential'] as const) {
      const plain = admitRun(request('smollm2-135m', { ...demand, quantizations: ['fp32', 'q4'], order }));
      const captured = admitRun(
        request('smollm2-135m', { ...demand, quantizations: ['fp32', 'q4'], order, graphCapture: true }),
      );
      const extra = captured.footprint.gpuPeakBytes - plain.footprint.gpuPeakBytes;
      if (order === 'interleaved') expect(extra).toBe(2 * weights);
      else expect(extra).toBeGreaterThan(0);
      expect(captured.footprint.pagePeakBytes).toBe(plain.footprint.pagePeakBytes);
    }
  });

  it('sizes a run at a context depth by its prompt on the context and by the prefix chunks before it', () => {
    const tiny = builtInModelShape(PRESETS.tiny.config);
    const fresh = admitRun(
      request('tiny', { quantizations: ['q4'], longestPromptTokens: 16, lmHead: 'last' }),
    );
    const deep = admitRun(
      request('tiny', {
        quantizations: ['q4'],
        longestPromptTokens: 16,
        deepestContextTokens: 8192,
        lmHead: 'last',
      }),
    );
    // The prefix's last 512-token chunk attends to the 7680 tokens before it: wider than 16 × 8208.
    expect(deep.footprint.largestActivation.what).toBe(
      'the attention scores (4 heads × 512 × 8192, float32)',
    );
    expect(deep.footprint.gpuPeakBytes - fresh.footprint.gpuPeakBytes).toBeGreaterThanOrEqual(
      kvCacheBytes(tiny, 8192, 4),
    );
    // 32 heads × 2048 × 34816 float32 is 9.1 GiB: past a 1 GiB buffer, and said with the context.
    const refused = admitRun(
      request('llama-3.2-1b', {
        quantizations: ['q4'],
        longestPromptTokens: 2048,
        deepestContextTokens: 32768,
      }),
    );
    expect(reasons(refused)).toContainEqual(
      expect.stringMatching(/^q4: At 2048 tokens on 32768 tokens of context the attention scores/),
    );
  });
});

describe('admission properties', () => {
  const presets = fc.constantFrom(...PRESET_IDS);
  const levels = fc.subarray(['fp32', 'fp16', 'int8', 'q4', 'q4f16'] as const, { minLength: 1 });
  const demand = fc.record({
    quantizations: levels,
    longestPromptTokens: fc.integer({ min: 1, max: 32768 }),
    deepestContextTokens: fc.constantFrom(0, 100, 512, 1000, 4096, 32768),
    decodeTokens: fc.integer({ min: 0, max: 1024 }),
    lmHead: fc.constantFrom('all' as const, 'last' as const),
    order: fc.constantFrom('interleaved' as const, 'sequential' as const),
    graphCapture: fc.boolean(),
  });
  const buffer = fc.integer({ min: 2 ** 27, max: 2 ** 34 });
  const memory = fc.option(
    fc.record({ bytes: fc.integer({ min: 2 ** 30, max: 2 ** 36 }), capped: fc.boolean() }),
    { nil: undefined },
  );

  function built(
    preset: PresetId,
    d: RunDemand,
    maxBufferSizeBytes: number,
    deviceMemory: HostLimits['deviceMemory'],
  ): AdmissionRequest {
    return {
      model: builtInModelShape(PRESETS[preset].config),
      variants: builtInFootprints(preset, {
        maxBufferSizeBytes,
        maxStorageBufferBindingSizeBytes: maxBufferSizeBytes,
        hasShaderF16: true,
      }),
      demand: d,
      host: { ...HOST, maxBufferSizeBytes, deviceMemory },
    };
  }

  it('a run is refused exactly when it has reasons, each in words', () => {
    fc.assert(
      fc.property(presets, demand, buffer, memory, (preset, d, b, m) => {
        const admission = admitRun(built(preset, d, b, m));
        return (
          admission.ok ||
          (admission.refusals.length > 0 && admission.refusals.every((r) => r.reason.length > 20))
        );
      }),
    );
  });

  it('a shorter prompt, a shallower context, a larger buffer or fewer levels never turn an admitted run into a refused one', () => {
    fc.assert(
      fc.property(
        presets,
        demand,
        buffer,
        memory,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (preset, d, b, m, f) => {
          if (!admitRun(built(preset, d, b, m)).ok) return true;
          const shorter = { ...d, longestPromptTokens: Math.max(1, Math.floor(d.longestPromptTokens * f)) };
          const shallower = { ...d, deepestContextTokens: Math.floor(d.deepestContextTokens * f) };
          const fewer = {
            ...d,
            quantizations: d.quantizations.slice(0, Math.max(1, Math.floor(d.quantizations.length * f))),
          };
          return (
            admitRun(built(preset, shorter, b, m)).ok &&
            admitRun(built(preset, shallower, b, m)).ok &&
            admitRun(built(preset, d, b * 2, m)).ok &&
            admitRun(built(preset, fewer, b, m)).ok
          );
        },
      ),
    );
  });

  it('the longest admitted prompt fits and one token more does not', () => {
    fc.assert(
      fc.property(presets, demand, buffer, (preset, d, b) => {
        const req = built(preset, d, b, undefined);
        const longest = longestAdmittedPrompt(req, 32768);
        const at = (tokens: number) => admitRun({ ...req, demand: { ...d, longestPromptTokens: tokens } }).ok;
        if (longest === 0) return !at(1);
        return at(longest) && (longest === 32768 || !at(longest + 1));
      }),
    );
  });

  it('never lets a file over the transfer limit through', () => {
    fc.assert(
      fc.property(presets, demand, buffer, memory, (preset, d, b, m) => {
        const req = built(preset, d, b, m);
        const tooLarge = req.variants.some(
          (v) =>
            (d.quantizations as readonly string[]).includes(v.quantization) &&
            v.files.some((file) => file.bytes > MAX_TRANSFER_BYTES),
        );
        return !tooLarge || !admitRun(req).ok;
      }),
    );
  });
});
