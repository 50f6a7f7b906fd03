import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeCells } from '../bench/summary';
import { DEFAULT_HUB_URL } from '../config/model-ref';
import { DEFAULT_SWEEP_CONFIG } from '../config/sweep-config';
import { parseRunJson, runToJson } from '../results/run-json';
import { trial } from '../results/trial-fixture';
import type { ComparedRun } from './compared-run';
import {
  FALLBACK_REFERENCE_PRESET,
  pickReference,
  REFERENCE_FILES,
  REFERENCE_FOLDER,
  referenceRunFromJson,
  withReferenceCautions,
  type RunOnScreen,
} from './reference-run';

const PUBLIC = join(__dirname, '..', '..', 'public');
const shipped = (path: string) => readFileSync(join(PUBLIC, path), 'utf8');
const LLAMA_PATH = 'reference/h200-llama-3.2-1b.run.json';

describe('picking the reference for the run on screen', () => {
  it('a built-in preset with a shipped run gets its own, with nothing to warn about', () => {
    expect(pickReference({ kind: 'builtin', preset: 'tiny' })).toEqual({
      preset: 'tiny',
      path: 'reference/h200-tiny.run.json',
    });
    expect(pickReference({ kind: 'builtin', preset: 'smollm2-135m' })).toEqual({
      preset: 'smollm2-135m',
      path: 'reference/h200-smollm2-135m.run.json',
    });
    expect(pickReference({ kind: 'builtin', preset: 'llama-3.2-1b' })).toEqual({
      preset: 'llama-3.2-1b',
      path: LLAMA_PATH,
    });
  });

  it('anything else gets Llama-3.2-1B, and is told it is another model', () => {
    const preset = pickReference({ kind: 'builtin', preset: 'tinyllama-1.1b' });
    expect(preset).toMatchObject({ preset: 'llama-3.2-1b', path: LLAMA_PATH });
    expect(preset.otherModel).toBe(
      'No NVIDIA H200 run of built-in tinyllama-1.1b ships with this page: the reference is the built-in llama-3.2-1b, a different model.',
    );
    const hub = pickReference({
      kind: 'hub',
      id: 'onnx-community/Llama-3.2-1B-Instruct-ONNX',
      revision: 'main',
      hubUrl: DEFAULT_HUB_URL,
    });
    expect(hub).toMatchObject({ preset: 'llama-3.2-1b', path: LLAMA_PATH });
    expect(hub.otherModel).toContain('onnx-community/Llama-3.2-1B-Instruct-ONNX@main');
    expect(pickReference({ kind: 'local', folderName: 'my-export' }).otherModel).toContain(
      'local folder my-export',
    );
    expect(pickReference(undefined)).toEqual({
      preset: FALLBACK_REFERENCE_PRESET,
      path: LLAMA_PATH,
      otherModel: 'No run on screen: the reference is the built-in llama-3.2-1b.',
    });
  });
});

describe('the shipped reference files', () => {
  it('are exactly the files the table lists', () => {
    const files = readdirSync(join(PUBLIC, REFERENCE_FOLDER)).sort();
    expect(files).toEqual(Object.values(REFERENCE_FILES).sort());
  });

  it.each(Object.entries(REFERENCE_FILES))(
    '%s: loads through the app schema as an H200 run of that preset, medians from its own trials',
    (preset, file) => {
      const choice = pickReference({ kind: 'builtin', preset: preset as keyof typeof REFERENCE_FILES });
      const text = shipped(choice.path);
      expect(choice.path).toBe(`${REFERENCE_FOLDER}${file}`);
      const loaded = referenceRunFromJson(text, choice);
      if (!loaded.ok) throw new Error(loaded.message);
      const parsed = parseRunJson(text);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(loaded.run).toMatchObject({
        id: `reference-${preset}`,
        label: `NVIDIA H200 · ${preset}`,
        origin: 'reference',
      });
      expect(loaded.run.environment).toMatch(
        /^nvidia \(WebGL: ANGLE \(NVIDIA, .*NVIDIA H200.*\) · Chromium 156/,
      );
      expect(loaded.run.cells.map((cell) => cell.medianMs)).toEqual(
        summarizeCells(parsed.run.trials).map((cell) => cell.ttftMs.median),
      );
      expect(loaded.run.reference?.about).toMatch(
        new RegExp(
          `^Measured on an NVIDIA H200 \\(Chromium 156, Linux x86\\) on 2026-12-01: built-in ${preset}, `,
        ),
      );
    },
  );

  it('say which levels, graph form, LM head and lengths they measured', () => {
    const about = (preset: keyof typeof REFERENCE_FILES) => {
      const choice = pickReference({ kind: 'builtin', preset });
      const loaded = referenceRunFromJson(shipped(choice.path), choice);
      return loaded.ok ? [loaded.run.reference?.about, loaded.run.cells.length] : [loaded.message];
    };
    expect(about('tiny')).toEqual([
      expect.stringMatching(
        /: built-in tiny, fp32, int8, q4, fused graph, LM head on the last position, prompts of 128–4096 tokens\.$/,
      ),
      12,
    ]);
    expect(about('smollm2-135m')).toEqual([
      expect.stringContaining('built-in smollm2-135m, fp32, q4, fused'),
      8,
    ]);
    expect(about('llama-3.2-1b')).toEqual([
      expect.stringContaining(
        'built-in llama-3.2-1b, q4, fused graph, LM head on the last position, prompts of 128–4096',
      ),
      6,
    ]);
  });

  it('the Llama-3.2-1B run was built with accuracy level 4 and records it, with its (not measured) CPU check', () => {
    const parsed = parseRunJson(shipped(LLAMA_PATH));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.run.trials.length).toBeGreaterThan(0);
    for (const loaded of parsed.run.trials) {
      expect(loaded.accuracyLevel).toBe(4);
      expect(loaded.depthTokens).toBe(0);
      // 1.7 GiB of weights need more wasm heap than a browser gives: the record says so instead of a number.
      expect(loaded.cpuMatch).toMatch(/^not measured: /);
    }
  });
});

describe('a reference file that is not what it should be', () => {
  const choice = pickReference({ kind: 'builtin', preset: 'tiny' });

  it('says so for a damaged file, naming the file', () => {
    expect(referenceRunFromJson('<!doctype html>', choice)).toEqual({
      ok: false,
      message:
        'The NVIDIA H200 reference (reference/h200-tiny.run.json) could not be read: The file is not valid JSON.',
    });
  });

  it('refuses another preset or another GPU than it claims', () => {
    const llama = pickReference({ kind: 'builtin', preset: 'llama-3.2-1b' });
    expect(referenceRunFromJson(shipped(choice.path), llama)).toMatchObject({
      ok: false,
      message: expect.stringContaining('holds a trial of tiny on "nvidia (WebGL') as unknown,
    });
    const software = runToJson({
      config: DEFAULT_SWEEP_CONFIG,
      loads: [],
      trials: [trial({ model: 'tiny' })],
    });
    expect(referenceRunFromJson(software, choice)).toMatchObject({
      ok: false,
      message: expect.stringContaining(
        'holds a trial of tiny on "google / swiftshader", not the built-in tiny on an NVIDIA H200.',
      ) as unknown,
    });
  });
});

describe('cautions beside a reference of another model or other settings', () => {
  const choice = pickReference({ kind: 'builtin', preset: 'llama-3.2-1b' });
  const loaded = referenceRunFromJson(shipped(choice.path), choice);
  if (!loaded.ok) throw new Error(loaded.message);
  const reference = loaded.run;
  const imported: ComparedRun = { ...reference, id: 'file-0', origin: 'file', reference: undefined };
  const screen = (overrides: Partial<RunOnScreen>): RunOnScreen => ({
    model: { kind: 'builtin', preset: 'llama-3.2-1b' },
    lmHead: 'last',
    graph: 'fused',
    qkv: 'packed',
    accuracyLevel: 4,
    quantizations: ['q4'],
    syncModes: ['barrier'],
    // How the shipped references closed their trials (they were measured before both options).
    firstTokenArgmax: 'cpu',
    tokenReadback: 'after-barrier',
    ...overrides,
  });
  const cautionFor = (onScreen: RunOnScreen | undefined) =>
    withReferenceCautions([reference], onScreen)[0]!.caution;

  it('none for the same built-in preset and settings, or with no run on screen', () => {
    expect(reference.reference).toMatchObject({
      preset: 'llama-3.2-1b',
      lmHeads: ['last'],
      graphs: ['fused'],
      // Re-measured with the GPU default form's accuracy level.
      accuracyLevels: [4],
      // Only 4-bit variants: no q/k/v layout to compare.
      qkvs: [],
      // Measured before both options: picked on the CPU, read back after the barrier.
      firstTokenArgmaxes: ['cpu'],
      tokenReadbacks: ['after-barrier'],
    });
    expect(cautionFor(screen({}))).toBe(undefined);
    expect(cautionFor(undefined)).toBe(undefined);
  });

  it('names both models when they differ; imported files are left as they are', () => {
    const [cautioned, file] = withReferenceCautions(
      [reference, imported],
      screen({ model: { kind: 'builtin', preset: 'tiny' } }),
    );
    expect(cautioned!.caution).toBe(
      'Not the same model: this reference measured the built-in llama-3.2-1b, the run on screen built-in tiny. Its ratios compare two different models.',
    );
    expect(file).toBe(imported);
    expect(cautionFor(screen({ model: { kind: 'local', folderName: 'export' } }))).toContain(
      'the run on screen local folder export',
    );
  });

  it('says which settings differ on the same model', () => {
    expect(cautionFor(screen({ lmHead: 'all' }))).toBe(
      "Same model, other settings: its LM head is on the last position, this run's on every position. Its ratios include that difference.",
    );
    expect(cautionFor(screen({ lmHead: 'all', graph: 'plain' }))).toBe(
      "Same model, other settings: its LM head is on the last position, this run's on every position; its graph is fused, this run's plain. Its ratios include that difference.",
    );
  });

  it('names another 4-bit accuracy level, where the run on screen measures a 4-bit level', () => {
    expect(cautionFor(screen({ accuracyLevel: 0 }))).toBe(
      "Same model, other settings: its 4-bit accuracy level is 4, this run's 0. Its ratios include that difference.",
    );
    // A run of levels without MatMulNBits builds no accuracy level: nothing differs.
    expect(cautionFor(screen({ accuracyLevel: 0, quantizations: ['fp32', 'int8'] }))).toBe(undefined);
    expect(cautionFor(screen({ accuracyLevel: 0, quantizations: ['fp32', 'q4f16'] }))).toContain(
      "its 4-bit accuracy level is 4, this run's 0",
    );
  });

  it('names separate q/k/v projections where the run on screen packs a fused float or int8 level', () => {
    const tinyChoice = pickReference({ kind: 'builtin', preset: 'tiny' });
    const tiny = referenceRunFromJson(shipped(tinyChoice.path), tinyChoice);
    if (!tiny.ok) throw new Error(tiny.message);
    // Measured before the option: its fused fp32 and int8 trials read as separate projections.
    expect(tiny.run.reference?.qkvs).toEqual(['separate']);
    const tinyScreen = (overrides: Partial<RunOnScreen>): RunOnScreen =>
      screen({ model: { kind: 'builtin', preset: 'tiny' }, quantizations: ['fp32', 'q4'], ...overrides });
    const tinyCaution = (onScreen: RunOnScreen) => withReferenceCautions([tiny.run], onScreen)[0]!.caution;
    expect(tinyCaution(tinyScreen({}))).toBe(
      "Same model, other settings: its q/k/v projections are separate, this run's packed. Its ratios include that difference.",
    );
    expect(tinyCaution(tinyScreen({ qkv: 'separate' }))).toBe(undefined);
    // 4-bit levels stay three projections, and the plain graph has no packed form: nothing differs.
    expect(tinyCaution(tinyScreen({ quantizations: ['q4'] }))).toBe(undefined);
  });

  it('names another first-token pick and readback, the readback only where the run on screen has barrier trials', () => {
    expect(cautionFor(screen({ firstTokenArgmax: 'gpu' }))).toBe(
      "Same model, other settings: its first token was picked on the CPU, this run's on the GPU. Its ratios include that difference.",
    );
    expect(cautionFor(screen({ tokenReadback: 'with-barrier' }))).toBe(
      "Same model, other settings: its first token was read back after the barrier, this run's beside the barrier. Its ratios include that difference.",
    );
    // Without barrier trials on screen the readback option changes nothing.
    expect(cautionFor(screen({ tokenReadback: 'with-barrier', syncModes: ['readback', 'none'] }))).toBe(
      undefined,
    );
  });
});
