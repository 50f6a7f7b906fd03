import { describe, expect, it } from 'vitest';
import { explainGpuErrors, explainSessionError, explainTrialError } from './session-errors';

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
