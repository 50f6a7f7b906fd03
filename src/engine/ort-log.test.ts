import { describe, expect, it, vi } from 'vitest';
import { captureOrtLog, installOrtLogHook } from './ort-log';

const W = (logId: string, text: string) =>
  `\u001b[0;93m2026-12-01 02:23:53.242498 [W:onnxruntime:${logId}, session_state.cc:1397 VerifyEachNodeIsAssignedToAnEp] ${text}\u001b[m`;
const V = (logId: string, text: string) =>
  `2026-12-01 02:21:47.873199 [V:onnxruntime:${logId}, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp] ${text}`;
const E =
  '\u001b[1;31m2026-12-01 02:23:53.300000 [E:onnxruntime:, sequential_executor.cc:572 ExecuteKernel] Non-zero status code\u001b[m';

describe("onnxruntime's console output", () => {
  it('goes to the capture of its session; placement notices and chatter stay off the console, errors stay on', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    installOrtLogHook();
    const { result, lines } = await captureOrtLog('ttft-check-q4', () => {
      console.error(V('ttft-check-q4', ' Node(s) placed on [CPUExecutionProvider]. Number of nodes: 11'));
      console.error(V('other-session', ' All nodes placed on [CPUExecutionProvider]. Number of nodes: 3'));
      console.error(W('', 'Some nodes were not assigned to the preferred execution providers'));
      return Promise.resolve(42);
    });
    expect(result).toBe(42);
    expect(lines).toEqual([
      V('ttft-check-q4', ' Node(s) placed on [CPUExecutionProvider]. Number of nodes: 11'),
    ]);
    console.error(E);
    console.error('an error of the app itself', 7);
    console.error(
      '\u001b[0;93m2026-12-01 02:23:53.242498 [W:onnxruntime:Default, graph.cc:1 Resolve] an unexpected warning\u001b[m',
    );
    expect(error.mock.calls).toEqual([
      [E.replace(/\u001b\[[0-9;]*m/g, '')],
      ['an error of the app itself', 7],
    ]);
    expect(warn.mock.calls).toEqual([
      ['2026-12-01 02:23:53.242498 [W:onnxruntime:Default, graph.cc:1 Resolve] an unexpected warning'],
    ]);
  });
});
