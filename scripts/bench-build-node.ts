/**
 * One build of a built-in model in this Node process, timed per step. `npm run bench:build` runs each build in
 * a child process of its own, so each peak RSS is that build's alone. The model code is loaded from `root`: this
 * checkout, or a checkout of an earlier commit (the baseline), through the API both versions share.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuiltInQuantization, LlamaConfig, PresetId } from '../src/model/config';

export interface NodeBuildCase {
  /** A checkout whose src/model is measured. */
  readonly root: string;
  readonly preset: PresetId;
  readonly quantization: BuiltInQuantization;
  readonly seed: number;
}

export interface BuildMeasurement {
  readonly totalMs: number;
  /** Generating weight values (the baseline: float32 masters; now: the stored format itself). */
  readonly generateMs: number;
  /** Quantizing or converting float32 masters to the stored format: the baseline's extra pass; 0 now. */
  readonly quantizeMs: number;
  /** Protobuf encoding and copies. */
  readonly serializeMs: number;
  /** Initializer bytes (weights as stored). */
  readonly weightBytes: number;
  /** model.onnx plus external data. */
  readonly outputBytes: number;
  /** CPU time of the process (user + system) during the build: on a shared machine less noisy than wall time. */
  readonly cpuMs: number;
  readonly peakRssBytes: number;
}

/** The parts of src/model both versions export, as the measurement uses them. */
interface BuiltFiles {
  readonly modelBytes: Uint8Array;
  readonly externalData: readonly { readonly data: Uint8Array }[];
  readonly timings?: { readonly graphMs: number; readonly generateMs: number; readonly serializeMs: number };
}
interface BuildModule {
  buildLlamaOnnx(
    config: LlamaConfig,
    quantization: BuiltInQuantization,
    options: { seed: number },
  ): BuiltFiles;
  readonly EXTERNAL_DATA_FILE: string;
  readonly EXTERNAL_DATA_THRESHOLD_BYTES: number;
}
interface EncodableGraph {
  initializerBytes(): number;
  encode(options: {
    graphName: string;
    opsets: { domain: string; version: number }[];
    externalFileName?: string;
  }): { modelBytes: Uint8Array; externalData: Uint8Array | undefined };
}
interface GraphModule {
  buildLlamaGraph(
    config: LlamaConfig,
    quantization: BuiltInQuantization,
    options: { seed: number },
  ): EncodableGraph;
}
/** The baseline's float32 master values (gone since weights are generated in their stored format). */
interface MasterWeightsModule {
  llamaWeightSpecs(config: LlamaConfig): readonly unknown[];
  weightValues?: (config: LlamaConfig, seed: number, spec: unknown) => Float32Array;
}
interface ConfigModule {
  readonly PRESETS: Readonly<Record<PresetId, { readonly config: LlamaConfig }>>;
}

async function load<T>(root: string, module: string): Promise<T> {
  // A dynamic import is typed `any`; each interface above names what this script relies on.
  const loaded: T = await import(pathToFileURL(join(root, 'src/model', module)).href);
  return loaded;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export async function measureNodeBuild(buildCase: NodeBuildCase): Promise<BuildMeasurement> {
  const { root, preset, quantization, seed } = buildCase;
  const { PRESETS } = await load<ConfigModule>(root, 'config.ts');
  const config = PRESETS[preset].config;
  const build = await load<BuildModule>(root, 'build.ts');
  const weights = await load<MasterWeightsModule>(root, 'weights.ts');
  const { buildLlamaGraph } = await load<GraphModule>(root, 'llama-graph.ts');
  const outputBytes = (files: BuiltFiles) =>
    files.modelBytes.byteLength + files.externalData.reduce((sum, file) => sum + file.data.byteLength, 0);

  if (weights.weightValues === undefined) {
    // This version reports its own steps.
    const cpu = process.cpuUsage();
    const started = performance.now();
    const built = build.buildLlamaOnnx(config, quantization, { seed });
    const totalMs = performance.now() - started;
    const cpuMs = cpuMsSince(cpu);
    if (built.timings === undefined) throw new Error(`${root}: buildLlamaOnnx reports no timings`);
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    const { graphMs, generateMs, serializeMs } = built.timings;
    return {
      totalMs,
      generateMs,
      quantizeMs: 0,
      // Declaring the graph is part of writing the protobuf here: no weight exists before encoding.
      serializeMs: serializeMs + graphMs,
      // Declaring a graph generates nothing in this version, so asking its size costs nothing.
      weightBytes: buildLlamaGraph(config, quantization, { seed }).initializerBytes(),
      outputBytes: outputBytes(built),
      cpuMs,
      peakRssBytes,
    };
  }

  // The baseline generated float32 masters and quantized them while declaring the graph, then encoded through
  // protobufjs. Its build is exactly buildLlamaGraph + encode (as its build.ts does), timed apart here; a
  // second pass generates the masters alone, so quantizing is the difference.
  const cpu = process.cpuUsage();
  const started = performance.now();
  const graph = buildLlamaGraph(config, quantization, { seed });
  const declared = performance.now();
  const weightBytes = graph.initializerBytes();
  const encoded = graph.encode({
    graphName: `llama_${quantization}`,
    opsets: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    ...(weightBytes > build.EXTERNAL_DATA_THRESHOLD_BYTES
      ? { externalFileName: build.EXTERNAL_DATA_FILE }
      : {}),
  });
  const encodedAt = performance.now();
  const cpuMs = cpuMsSince(cpu);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const total = encoded.modelBytes.byteLength + (encoded.externalData?.byteLength ?? 0);
  const generateStarted = performance.now();
  for (const spec of weights.llamaWeightSpecs(config)) weights.weightValues(config, seed, spec);
  const generateMs = performance.now() - generateStarted;
  return {
    totalMs: encodedAt - started,
    generateMs,
    quantizeMs: Math.max(0, declared - started - generateMs),
    serializeMs: encodedAt - declared,
    weightBytes,
    outputBytes: total,
    cpuMs,
    peakRssBytes,
  };
}
