import { describe, expect, it } from 'vitest';
import { explainSessionError } from './session-errors';

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
