/**
 * Measures the best this browser reaches with our kernels on this GPUDevice: matrix-multiply FLOP/s (f32,
 * and f16 with shader-f16) and streaming memory bandwidth. Never the hardware's limit: a data sheet's figure
 * can be several times higher.
 *
 * 1. The side of the matrices is chosen from one timed 512³ multiply (peak-plan.ts).
 * 2. Warm-up: multiplies run until their throughput stops rising, at least a second of GPU work (an idle GPU
 *    runs at low clocks and measured half its peak).
 * 3. Every kernel the device can run is built (a shader that fails to compile is left out with its error),
 *    runs once, and has its product checked against the CPU before one timed submission ranks it.
 * 4. The best kernel of each precision, and the copy, are measured in independent series (each the best of
 *    several ~300 ms submissions, timed from submit to `onSubmittedWorkDone`) until two in a row agree within
 *    5%, or are reported unstable (peak-stability.ts).
 */
import { z } from 'zod';
import { float16BitsToFloat32, float32ToFloat16Bits, roundThroughFloat16 } from '../model/float16';
import { seededUniform } from '../model/random';
import { readGpuBytes } from '../engine/readback';
import {
  excludedOutcome,
  type DevicePeaks,
  type KernelOutcome,
  type MatmulPeak,
  type MatmulPrecision,
  type WarmupRecord,
} from './device-peaks';
import {
  COPY_WORKGROUP_SIZE,
  copyShader,
  kernelFits,
  matmulGroups,
  vec4Kernel,
  type MatmulKernelSpec,
} from './peak-kernels';
import { chooseMatmulSize, MATMUL_SIZES, planMatmulKernels, type PeakCapabilities } from './peak-plan';
import { measureUntilAgreed, warmupVerdict, type WarmupSample } from './peak-stability';

const SERIES_SUBMIT_MS = 300;
const WARMUP_SUBMIT_MS = 100;
const SAMPLES_PER_SERIES = 3;
const MAX_REPEATS = 4096;

const adapterInfoSchema = z.object({
  subgroupMinSize: z.number().int().positive().optional(),
  subgroupMaxSize: z.number().int().positive().optional(),
  subgroupMatrixConfigs: z
    .array(
      z.object({
        componentType: z.string(),
        resultComponentType: z.string(),
        M: z.number().int().positive(),
        N: z.number().int().positive(),
        K: z.number().int().positive(),
      }),
    )
    .optional(),
});

/** What the device offers the kernels; the adapter's info is outside data (experimental fields), parsed. */
function peakCapabilities(device: GPUDevice): PeakCapabilities {
  const info: GPUAdapterInfo | undefined = device.adapterInfo;
  const raw: Record<string, unknown> = {};
  for (const key of ['subgroupMinSize', 'subgroupMaxSize', 'subgroupMatrixConfigs'] as const) {
    const value: unknown = info === undefined ? undefined : Reflect.get(info, key);
    raw[key] = Array.isArray(value)
      ? value.map((config: unknown) =>
          typeof config === 'object' && config !== null
            ? Object.fromEntries(
                ['componentType', 'resultComponentType', 'M', 'N', 'K'].map((field) => [
                  field,
                  Reflect.get(config, field),
                ]),
              )
            : config,
        )
      : value;
  }
  const parsed = adapterInfoSchema.safeParse(raw);
  return {
    features: new Set(device.features),
    subgroupMinSize: parsed.success ? parsed.data.subgroupMinSize : undefined,
    subgroupMaxSize: parsed.success ? parsed.data.subgroupMaxSize : undefined,
    subgroupMatrixConfigs: parsed.success ? (parsed.data.subgroupMatrixConfigs ?? []) : [],
  };
}

/** Submits `repeats` dispatches in one pass; ms from submit to done. */
async function timeSubmission(
  device: GPUDevice,
  encode: (pass: GPUComputePassEncoder) => void,
  repeats: number,
): Promise<number> {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  for (let i = 0; i < repeats; i++) encode(pass);
  pass.end();
  const commands = encoder.finish();
  const start = performance.now();
  device.queue.submit([commands]);
  await device.queue.onSubmittedWorkDone();
  return Math.max(performance.now() - start, 0.001);
}

/** Times one dispatch after a first, untimed one (which compiles the pipeline). */
async function timeOneDispatch(
  device: GPUDevice,
  encode: (pass: GPUComputePassEncoder) => void,
): Promise<number> {
  await timeSubmission(device, encode, 1);
  return timeSubmission(device, encode, 1);
}

/** Dispatches per submission for about `targetMs` of GPU work. */
const repeatsFor = (targetMs: number, dispatchMs: number) =>
  Math.min(MAX_REPEATS, Math.max(1, Math.round(targetMs / dispatchMs)));

/** Work per second of one submission of `repeats` dispatches. */
const ratePerSecond = (workPerDispatch: number, repeats: number, ms: number) =>
  (workPerDispatch * repeats) / (ms / 1000);

/** A pipeline and its bindings, timed: what one kernel (or the copy) needs to be measured again and again. */
interface Runner {
  readonly encode: (pass: GPUComputePassEncoder) => void;
  /** Work per dispatch: FLOPs, or bytes read plus written. */
  readonly workPerDispatch: number;
  /** Dispatches per submission, sized to about `targetMs`. */
  readonly repeatsFor: (targetMs: number) => number;
}

function runner(
  encode: (pass: GPUComputePassEncoder) => void,
  workPerDispatch: number,
  dispatchMs: number,
): Runner {
  return {
    encode,
    workPerDispatch,
    repeatsFor: (targetMs) => repeatsFor(targetMs, dispatchMs),
  };
}

/** One independent series: the best of several ~300 ms submissions, in work per second. */
async function measureSeries(device: GPUDevice, run: Runner): Promise<number> {
  const repeats = run.repeatsFor(SERIES_SUBMIT_MS);
  let best = 0;
  for (let sample = 0; sample < SAMPLES_PER_SERIES; sample++) {
    const ms = await timeSubmission(device, run.encode, repeats);
    best = Math.max(best, ratePerSecond(run.workPerDispatch, repeats, ms));
  }
  return best;
}

function storageBuffer(device: GPUDevice, data: ArrayBufferView<ArrayBuffer>, extraUsage = 0): GPUBuffer {
  const buffer = device.createBuffer({
    size: Math.ceil(data.byteLength / 4) * 4,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | extraUsage,
  });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

/** A and B on the GPU in one precision, with the CPU's copies for checking products. */
interface MatmulInputs {
  readonly size: number;
  readonly precision: MatmulPrecision;
  readonly a: GPUBuffer;
  readonly b: GPUBuffer;
  readonly dims: GPUBuffer;
  readonly a32: Float32Array;
  readonly b32: Float32Array;
}

function createInputs(device: GPUDevice, precision: MatmulPrecision, size: number): MatmulInputs {
  const values = (name: string) => {
    const uniform = seededUniform(1, name, size * size, 1);
    // The CPU checks against the values the GPU holds: rounded to f16 for an f16 multiply.
    return precision === 'f16' ? roundThroughFloat16(uniform) : uniform;
  };
  const a32 = values('roofline.a');
  const b32 = values('roofline.b');
  const toDevice = (values: Float32Array) =>
    precision === 'f16' ? Uint16Array.from(values, float32ToFloat16Bits) : Float32Array.from(values);
  const dims = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(dims, 0, Uint32Array.of(size, size, size, 0));
  return {
    size,
    precision,
    a: storageBuffer(device, toDevice(a32)),
    b: storageBuffer(device, toDevice(b32)),
    dims,
    a32,
    b32,
  };
}

function destroyInputs(inputs: MatmulInputs): void {
  for (const buffer of [inputs.a, inputs.b, inputs.dims]) buffer.destroy();
}

/** The first of the shader's spellings that compiles into a pipeline, or every spelling's error. */
async function buildPipeline(
  device: GPUDevice,
  shaders: readonly string[],
): Promise<{ readonly pipeline: GPUComputePipeline } | { readonly error: string }> {
  const errors: string[] = [];
  for (const code of shaders) {
    // Scoped, so that a shader this device rejects is not reported as an error of the next trial.
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code });
    const messages = (await module.getCompilationInfo()).messages
      .filter((message) => message.type === 'error')
      .map((message) => `${message.lineNum}:${message.linePos} ${message.message}`);
    let pipeline: GPUComputePipeline | undefined;
    let failure: string | undefined;
    try {
      pipeline = await device.createComputePipelineAsync({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
      });
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const scoped = await device.popErrorScope();
    if (pipeline !== undefined && scoped === null) return { pipeline };
    errors.push(messages[0] ?? scoped?.message ?? failure ?? 'the pipeline could not be created');
  }
  return { error: errors.join(' / ') };
}

/** Checks sampled entries of C, spread over every tile position and the edges, against the CPU. */
async function checkProduct(device: GPUDevice, c: GPUBuffer, spec: MatmulKernelSpec, inputs: MatmulInputs) {
  const { size, a32, b32 } = inputs;
  const raw = await readGpuBytes(device, c, 0, c.size);
  const halves = new Uint16Array(raw);
  const floats = new Float32Array(raw);
  // Only the sampled entries are converted: C holds up to 16 M of them.
  const entry = (index: number) =>
    spec.outputPrecision === 'f16' ? float16BitsToFloat32(halves[index]!) : floats[index]!;
  for (let sample = 0; sample < 16; sample++) {
    const row = (sample * 389) % size;
    const col = (sample * 577 + 63) % size;
    let expected = 0;
    for (let k = 0; k < size; k++) expected += a32[row * size + k]! * b32[k * size + col]!;
    const got = entry(row * size + col);
    // Sums of `size` products of values in [-1, 1]: accumulated in f16 they keep ~3 significant digits; in
    // f32 a dropped step of k (a product is 0.25 on average) is well outside the tolerance.
    const tolerance = spec.outputPrecision === 'f16' ? 0.05 * Math.sqrt(size) : 1e-3 * Math.sqrt(size);
    if (!(Math.abs(got - expected) <= tolerance)) {
      return `computed C[${row}][${col}] = ${got}, expected ${expected}`;
    }
  }
  return undefined;
}

/** A kernel compiled and bound, not yet checked. */
interface CompiledKernel {
  readonly spec: MatmulKernelSpec;
  readonly encode: (pass: GPUComputePassEncoder) => void;
  readonly c: GPUBuffer;
}

/** Compiles and binds a kernel; a shader this device rejects leaves it out with the compiler's error. */
async function compileKernel(
  device: GPUDevice,
  spec: MatmulKernelSpec,
  inputs: MatmulInputs,
): Promise<CompiledKernel | KernelOutcome> {
  const { size } = inputs;
  if (!kernelFits(spec, size)) {
    return excludedOutcome(
      spec,
      `its ${spec.tileRows} × ${spec.tileColumns} tile does not divide a ${size}³ product`,
    );
  }
  const built = await buildPipeline(device, spec.shaders);
  if ('error' in built) return excludedOutcome(spec, `the shader did not compile: ${built.error}`);
  const c = device.createBuffer({
    size: size * size * (spec.outputPrecision === 'f16' ? 2 : 4),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  });
  device.pushErrorScope('validation');
  const bindGroup = device.createBindGroup({
    layout: built.pipeline.getBindGroupLayout(0),
    entries: [inputs.a, inputs.b, c, inputs.dims].map((buffer, binding) => ({
      binding,
      resource: { buffer },
    })),
  });
  const error = await device.popErrorScope();
  if (error !== null) {
    c.destroy();
    return excludedOutcome(spec, `its bindings were refused: ${error.message}`);
  }
  const [groupsX, groupsY] = matmulGroups(spec, size);
  const encode = (pass: GPUComputePassEncoder) => {
    pass.setPipeline(built.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groupsX, groupsY);
  };
  return { spec, encode, c };
}

/**
 * Runs a compiled kernel once and checks its product against the CPU before any number of it is used; then
 * one ~300 ms submission ranks it among the kernels of its precision. A wrong product leaves it out.
 */
async function checkAndRank(
  device: GPUDevice,
  kernel: CompiledKernel,
  inputs: MatmulInputs,
): Promise<{ readonly outcome: KernelOutcome; readonly run: Runner | undefined }> {
  const { spec, encode } = kernel;
  device.pushErrorScope('validation');
  let wrong: string | undefined;
  let run: Runner | undefined;
  let flopsPerSecond = 0;
  try {
    const dispatchMs = await timeSubmission(device, encode, 1);
    wrong = await checkProduct(device, kernel.c, spec, inputs);
    if (wrong === undefined) {
      run = runner(encode, 2 * inputs.size ** 3, dispatchMs);
      const repeats = run.repeatsFor(SERIES_SUBMIT_MS);
      const ms = await timeSubmission(device, encode, repeats);
      flopsPerSecond = ratePerSecond(run.workPerDispatch, repeats, ms);
    }
  } finally {
    const error = await device.popErrorScope();
    if (error !== null) wrong = `the GPU reported: ${error.message}`;
  }
  if (wrong !== undefined)
    return { outcome: excludedOutcome(spec, `wrong product: ${wrong}`), run: undefined };
  return {
    outcome: {
      kernel: spec.kernel,
      precision: spec.precision,
      detail: spec.detail,
      result: { kind: 'measured', flopsPerSecond, size: inputs.size },
    },
    run,
  };
}

/** Runs a multiply in ~100 ms submissions until its throughput stops rising (warmupVerdict). */
async function warmUp(device: GPUDevice, kernel: CompiledKernel, size: number): Promise<WarmupRecord> {
  const samples: WarmupSample[] = [];
  const flops = 2 * size ** 3;
  let repeats = 1;
  for (;;) {
    const gpuMs = await timeSubmission(device, kernel.encode, repeats);
    samples.push({ gpuMs, perSecond: ratePerSecond(flops, repeats, gpuMs) });
    const verdict = warmupVerdict(samples);
    if (verdict !== 'continue') {
      return {
        gpuMs: samples.reduce((total, sample) => total + sample.gpuMs, 0),
        flopsPerSecond: samples.map((sample) => sample.perSecond),
        ended: verdict,
      };
    }
    repeats = repeatsFor(WARMUP_SUBMIT_MS, gpuMs / repeats);
  }
}

/** The copy, sized to the device: bytes read plus written per second. */
async function prepareBandwidth(device: GPUDevice, bytes: number) {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  const size = Math.floor(Math.min(bytes, limit) / 16) * 16;
  const source = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE });
  const target = device.createBuffer({ size, usage: GPUBufferUsage.STORAGE });
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module: device.createShaderModule({ code: copyShader }), entryPoint: 'main' },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [source, target].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const groups = Math.min(4096, Math.ceil(size / 16 / COPY_WORKGROUP_SIZE));
  const encode = (pass: GPUComputePassEncoder) => {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups);
  };
  const dispatchMs = await timeOneDispatch(device, encode);
  return {
    run: runner(encode, 2 * size, dispatchMs),
    release: () => {
      source.destroy();
      target.destroy();
    },
  };
}

/** The side to measure at, from one timed vec4 multiply at 512 (after a first dispatch that compiles). */
async function chooseSize(device: GPUDevice): Promise<number> {
  const inputs = createInputs(device, 'f32', MATMUL_SIZES[0]);
  try {
    const compiled = await compileKernel(device, vec4Kernel('f32'), inputs);
    if (!('encode' in compiled)) {
      const reason = compiled.result.kind === 'excluded' ? compiled.result.reason : '';
      throw new Error(`the vec4 multiply cannot run here: ${reason}`);
    }
    try {
      const dispatchMs = await timeOneDispatch(device, compiled.encode);
      return chooseMatmulSize(dispatchMs, device.limits.maxStorageBufferBindingSize);
    } finally {
      compiled.c.destroy();
    }
  } finally {
    destroyInputs(inputs);
  }
}

function fastest(
  ranked: readonly { readonly outcome: KernelOutcome; readonly run: Runner | undefined }[],
  precision: MatmulPrecision,
): { readonly outcome: KernelOutcome; readonly run: Runner } | undefined {
  let best: { readonly outcome: KernelOutcome; readonly run: Runner; readonly flops: number } | undefined;
  for (const { outcome, run } of ranked) {
    if (outcome.precision !== precision || outcome.result.kind !== 'measured' || run === undefined) continue;
    if (best === undefined || outcome.result.flopsPerSecond > best.flops) {
      best = { outcome, run, flops: outcome.result.flopsPerSecond };
    }
  }
  return best;
}

export async function measurePeaks(device: GPUDevice): Promise<DevicePeaks> {
  const capabilities = peakCapabilities(device);
  const size = await chooseSize(device);
  const precisions: MatmulPrecision[] = device.features.has('shader-f16') ? ['f32', 'f16'] : ['f32'];
  const inputs = precisions.map((precision) => createInputs(device, precision, size));
  const compiled: { readonly kernel: CompiledKernel; readonly inputs: MatmulInputs }[] = [];
  try {
    // Everything compiles first, so that the warm-up runs right before the measurements.
    const outcomes: KernelOutcome[] = [];
    const excluded: KernelOutcome[] = [];
    for (const input of inputs) {
      const plan = planMatmulKernels(input.precision, capabilities);
      for (const spec of plan.candidates) {
        const kernel = await compileKernel(device, spec, input);
        if ('encode' in kernel) compiled.push({ kernel, inputs: input });
        else excluded.push(kernel);
      }
      excluded.push(...plan.excluded);
    }
    const warmKernel = compiled.find(({ kernel }) => kernel.spec.precision === 'f32');
    if (warmKernel === undefined) throw new Error('no f32 multiply kernel compiled on this device');
    const warmup = await warmUp(device, warmKernel.kernel, size);
    const ranked: { readonly outcome: KernelOutcome; readonly run: Runner | undefined }[] = [];
    for (const { kernel, inputs: input } of compiled) {
      const result = await checkAndRank(device, kernel, input);
      ranked.push(result);
      outcomes.push(result.outcome);
    }
    const measurePrecision = async (precision: MatmulPrecision): Promise<MatmulPeak | undefined> => {
      const best = fastest(ranked, precision);
      if (best === undefined) return undefined;
      const peak = await measureUntilAgreed(() => measureSeries(device, best.run));
      return { ...peak, kernel: best.outcome.kernel, detail: best.outcome.detail, size };
    };
    const kernels = [...outcomes, ...excluded];
    const matmulF32 = await measurePrecision('f32');
    if (matmulF32 === undefined) {
      const reasons = kernels.map((outcome) =>
        outcome.result.kind === 'excluded' ? `${outcome.kernel}: ${outcome.result.reason}` : outcome.kernel,
      );
      throw new Error(`no f32 multiply kernel computed the right product (${reasons.join('; ')})`);
    }
    const matmulF16 = precisions.includes('f16') ? await measurePrecision('f16') : undefined;
    const bandwidth = await prepareBandwidth(device, size >= 4096 ? 256 * 2 ** 20 : 64 * 2 ** 20);
    try {
      const memory = await measureUntilAgreed(() => measureSeries(device, bandwidth.run));
      return { matmulF32, matmulF16, memory, kernels, warmup };
    } finally {
      bandwidth.release();
    }
  } finally {
    for (const { kernel } of compiled) kernel.c.destroy();
    for (const input of inputs) destroyInputs(input);
  }
}
