/**
 * onnxruntime-web writes its C++ log with console.error, one call per line (warnings wrapped in ANSI colour
 * codes). Emscripten binds console.error when onnxruntime's wasm module starts, so this hook must be in place
 * before the first InferenceSession.create of the realm: configureOrt installs it.
 *
 * It hands a session's lines to whoever captures that session's `logId` (node placement is read from them),
 * drops onnxruntime's VERBOSE/INFO chatter and its expected placement warnings (reported per variant instead
 * of as console errors), shows other warnings as console.warn, and keeps real errors as console.error.
 *
 * onnxruntime's stdout (console.log, bound at the same moment) carries its profile at `endProfiling()`: while
 * captureOrtStdout runs, those lines go to its caller instead of the console.
 */
import { isPlacementNotice, parseOrtLogLine, stripAnsi } from '../bench/ort-placement-log';

const captures = new Map<string, string[]>();
let stdoutCapture: string[] | undefined;
let installed = false;

export function installOrtLogHook(): void {
  if (installed) return;
  installed = true;
  const error = console.error.bind(console);
  const warn = console.warn.bind(console);
  const log = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    const [first] = args;
    if (stdoutCapture !== undefined && args.length === 1 && typeof first === 'string') {
      stdoutCapture.push(first);
      return;
    }
    log(...args);
  };
  console.error = (...args: unknown[]) => {
    const [first] = args;
    const line = args.length === 1 && typeof first === 'string' ? parseOrtLogLine(first) : undefined;
    if (line === undefined || typeof first !== 'string') {
      error(...args);
      return;
    }
    captures.get(line.logId)?.push(first);
    if (line.severity === 'V' || line.severity === 'I') return;
    if (line.severity === 'W') {
      if (!isPlacementNotice(line)) warn(stripAnsi(first));
      return;
    }
    error(stripAnsi(first));
  };
}

/** Runs `work` (creating a session whose `logId` is `logId`) and returns what onnxruntime logged for it. */
export async function captureOrtLog<T>(
  logId: string,
  work: () => Promise<T>,
): Promise<{ readonly result: T; readonly lines: readonly string[] }> {
  if (!installed) throw new Error('installOrtLogHook() must run before onnxruntime starts');
  const lines: string[] = [];
  captures.set(logId, lines);
  try {
    return { result: await work(), lines };
  } finally {
    captures.delete(logId);
  }
}

/** Runs `work` and returns what onnxruntime printed to stdout meanwhile (one string per line). */
export async function captureOrtStdout<T>(
  work: () => Promise<T>,
): Promise<{ readonly result: T; readonly lines: readonly string[] }> {
  if (!installed) throw new Error('installOrtLogHook() must run before onnxruntime starts');
  if (stdoutCapture !== undefined) throw new Error("onnxruntime's stdout is already being captured");
  const lines: string[] = [];
  stdoutCapture = lines;
  try {
    return { result: await work(), lines };
  } finally {
    stdoutCapture = undefined;
  }
}
