import { describe, expect, it } from 'vitest';
import {
  explainGpuErrors,
  explainKnownFailure,
  explainSessionError,
  explainTrialError,
  trimRawError,
} from './session-errors';

describe('session creation errors a user can act on', () => {
  it('names an operator onnxruntime does not know (message as onnxruntime-web 1.30 words it)', () => {
    const message = explainSessionError(
      'q4',
      new Error(
        "Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: Fatal error: com.example.ttft:FlashPrefill(-1) is not a registered function/op",
      ),
    );
    expect(message).toMatch(
      /^The q4 model uses operator com\.example\.ttft:FlashPrefill, which onnxruntime-web/,
    );
  });

  it('names an operator without a kernel', () => {
    const message = explainSessionError(
      'int8',
      new Error("Could not find an implementation for MatMulInteger(10) node with name 'mm_3'"),
    );
    expect(message).toMatch(/operator MatMulInteger \(opset 10\)/);
  });

  it('says a truncated or non-ONNX file is not a valid model', () => {
    const message = explainSessionError(
      'q4',
      new Error(
        "Can't create a session. ERROR_CODE: 7, ERROR_MESSAGE: Failed to load model because protobuf parsing failed.",
      ),
    );
    expect(message).toMatch(/not a valid ONNX model \(truncated, corrupted or not ONNX\)/);
  });

  it('keeps unknown errors verbatim', () => {
    expect(explainSessionError('fp32', 'boom')).toBe('Could not create the fp32 session: boom');
  });
});

describe('GPU errors during a load or a trial', () => {
  // What onnxruntime-web 1.30 threw on Chromium/Dawn when a buffer was over the device's limit.
  const ortOverLimit =
    'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: WebGPU validation failed. Buffer size (262668288) ' +
    'exceeds the max buffer size limit (134217728).\n - While calling [Device].CreateBuffer([BufferDescriptor]).';

  it('names the size that failed, the limit, and what was running', () => {
    expect(explainTrialError('running the q4 trial at 512 tokens', new Error(ortOverLimit))).toMatch(
      /^The GPU could not hold a buffer while running the q4 trial at 512 tokens: 250\.5 MiB exceeds this device's max buffer size limit of 128\.0 MiB\. Use shorter prompts/,
    );
  });

  it('says out of memory plainly, and keeps the raw error for bug reports', () => {
    const message = explainGpuErrors('loading the fp32 model', ['out of memory: Failed to allocate', 'x']);
    expect(message).toMatch(/^The GPU ran out of memory while loading the fp32 model\./);
    expect(message).toContain('(out of memory: Failed to allocate (and 1 more GPU errors))');
  });

  it('leaves other trial failures as they are, with what was running', () => {
    expect(explainTrialError('running the q4 trial at 16 tokens', new Error('boom'))).toBe(
      'Failed while running the q4 trial at 16 tokens: boom',
    );
  });
});

describe('messages, not raw errors', () => {
  // As onnxruntime-web 1.30 words a graph whose shapes do not infer (the path is its build machine's).
  const shapeInference =
    "Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: Exception during initialization: " +
    '/mnt/vss/_work/1/s/onnxruntime/core/graph/graph.cc:1477 void onnxruntime::Graph::InitializeStateFromModelFileGraphProto() ' +
    '[ShapeInferenceError] (op_type:MatMul, node name: mm_0): A and B shapes are incompatible';

  it('says a malformed graph is malformed, without the build-machine path', () => {
    const message = explainSessionError('fp32', new Error(shapeInference));
    expect(message).toMatch(
      /^The fp32 model has a malformed graph: onnxruntime cannot work out its tensor shapes/,
    );
    expect(message).toContain('pick another variant or re-export it.');
    expect(message).toContain('graph.cc:1477');
    expect(message).not.toContain('/mnt/vss');
  });

  it('says a file too large to hand to a worker is too large, and what to pick', () => {
    const raw =
      "Failed to execute 'postMessage' on 'DedicatedWorkerGlobalScope': ArrayBuffer/ArrayBufferView size exceeds the supported range";
    expect(explainKnownFailure('the fp32 model', raw)).toMatch(
      /^The fp32 model is too large to hand from the page to its worker: a browser passes at most 2 GiB in one piece\. Pick a smaller quantization or model\. \(Failed to execute/,
    );
    expect(
      explainKnownFailure('the q4 model', 'RangeError: Invalid typed array length: 1099511627776'),
    ).toMatch(/needs more memory in one piece than this browser can give/);
  });

  it('says a float16 program on an adapter without shader-f16 needs the feature', () => {
    const message = explainTrialError(
      'running the fp16 trial at 16 tokens',
      new Error(
        'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: Program Gather requires f16 but the device does not support it',
      ),
    );
    expect(message).toMatch(
      /^Failed while running the fp16 trial at 16 tokens: The model computes in float16, which needs the WebGPU feature shader-f16; this adapter does not have it\. Pick fp32, int8 or q4\./,
    );
  });

  it('trims raw text: paths to file:line, whitespace folded, a few hundred characters at most', () => {
    expect(
      trimRawError('at C:\\a\\_work\\1\\s\\onnxruntime\\core\\session\\inference_session.cc:42 boom'),
    ).toBe('at inference_session.cc:42 boom');
    expect(trimRawError('a\n\n  b')).toBe('a b');
    const long = trimRawError('x'.repeat(5000));
    expect(long).toHaveLength(400);
    expect(long.endsWith('…')).toBe(true);
    expect(explainKnownFailure('the model', 'something else')).toBeUndefined();
  });
});
