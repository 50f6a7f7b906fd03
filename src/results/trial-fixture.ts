import type { TrialRecord } from './trial';

/**
 * A plausible trial for tests; override what the test is about. A TTFT given without its prefill part gets the
 * prefill that makes the parts add up to it, as every measured trial's do.
 */
let index = 0;
export function trial(overrides: Partial<TrialRecord>): TrialRecord {
  const made = plausibleTrial(overrides);
  if (overrides.ttftMs === undefined || overrides.prefillMs !== undefined) return made;
  const others = made.tokenizeMs + made.uploadMs + made.gpuWaitMs + made.readbackMs + made.samplingMs;
  return { ...made, prefillMs: made.ttftMs - others };
}

function plausibleTrial(overrides: Partial<TrialRecord>): TrialRecord {
  return {
    runId: 'run-1',
    trialIndex: index++,
    model: 'tiny',
    modelSource: 'builtin',
    modelRevision: '',
    quantization: 'fp32',
    promptTokens: 16,
    depthTokens: 0,
    promptSource: 'generated',
    phase: 'warm',
    repetition: 1,
    syncMode: 'barrier',
    ttftMs: 10,
    tokenizeMs: 1,
    uploadMs: 1,
    prefillMs: 5,
    gpuWaitMs: 2,
    gpuSpanMs: 6.5,
    readbackMs: 0.5,
    samplingMs: 0.5,
    dispatches: 120,
    submits: 8,
    gpuBuffersCreated: 0,
    firstTokenId: 42,
    decodeTokens: 0,
    decodeLoop: 'synced',
    firstTokenArgmax: 'cpu',
    tokenReadback: 'after-barrier',
    decodeMsPerTokenMedian: 0,
    decodeMsPerTokenP90: 0,
    decodeTokensPerSecond: 0,
    decodedTokenIds: '',
    weightSeed: 1,
    lmHead: 'all',
    graph: 'fused',
    qkv: 'separate',
    // fp32 has no MatMulNBits.
    accuracyLevel: undefined,
    graphCapture: false,
    ortBuild: 'asyncify',
    ortValidationMode: 'basic',
    ortBufferCache: 'bucket',
    modelSha256: 'ab'.repeat(32),
    cpuMatch: 'measured',
    cpuMatchFirstToken: 'same',
    cpuMatchContinuationPct: 100,
    cpuMatchTop5OverlapPct: 100,
    cpuMatchMaxAbsLogitDelta: 0.000007,
    adapter: 'google / swiftshader',
    adapterFeatures: 'shader-f16 timestamp-query',
    adapterVendor: 'google',
    adapterArchitecture: 'swiftshader',
    adapterDevice: '',
    adapterDescription: '',
    adapterIsFallback: true,
    subgroupMinSize: 4,
    subgroupMaxSize: 4,
    webglRenderer:
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
    crossOriginIsolated: true,
    maxBufferSizeBytes: 2 ** 30,
    maxStorageBufferBindingSizeBytes: 2 ** 30,
    browser: 'Chromium 156',
    os: 'Linux 6.1 x86',
    onnxruntimeWebVersion: '1.30.0',
    appVersion: '0.1.0',
    startedAt: '2026-11-24T22:00:00.000Z',
    overlapped: false,
    ...overrides,
  };
}
