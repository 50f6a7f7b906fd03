/**
 * Measures what this GPUDevice can do at best: matrix-multiply FLOP/s (f32, and f16 with shader-f16) and
 * streaming memory bandwidth. Each figure is the best of several submissions, each long enough (~300 ms) to
 * dwarf submission overhead, timed from submit to `onSubmittedWorkDone`. The multiply's result is checked
 * against the CPU, so a broken kernel cannot report a peak.
 */
import { float16BitsToFloat32, float32ToFloat16Bits } from '../model/float16';
import { seededUniform } from '../model/random';
import { readGpuBytes } from '../engine/readback';
import type { DevicePeaks } from './prefill-flops';
import {
  COPY_WORKGROUP_SIZE,
  copyShader,
  MATMUL_KERNELS,
  matmulGroups,
  matmulShader,
  type MatmulKernel,
  type MatmulPrecision,
} from './peak-kernels';

const TARGET_SUBMIT_MS = 300;
const SAMPLES = 3;
const MAX_REPEATS = 4096;

async function bestThroughput(
  device: GPUDevice,
  encode: (pass: GPUComputePassEncoder) => void,
  workPerDispatch: number,
): Promise<number> {
  const submit = async (repeats: number) => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (let i = 0; i < repeats; i++) encode(pass);
    pass.end();
    const commands = encoder.finish();
    const start = performance.now();
    device.queue.submit([commands]);
    await device.queue.onSubmittedWorkDone();
    return performance.now() - start;
  };
  // The first submission compiles and warms up; it also sizes the timed ones.
  const once = Math.max(await submit(1), 0.01);
  const repeats = Math.min(MAX_REPEATS, Math.max(1, Math.round(TARGET_SUBMIT_MS / once)));
  let best = 0;
  for (let sample = 0; sample < SAMPLES; sample++) {
    const ms = await submit(repeats);
    best = Math.max(best, (workPerDispatch * repeats) / (ms / 1000));
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

/** FLOP/s of a size × size × size multiply, after checking sampled entries of C against the CPU. */
export async function measureMatmul(
  device: GPUDevice,
  precision: MatmulPrecision,
  kernel: MatmulKernel,
  size: number,
): Promise<number> {
  const a32 = seededUniform(1, 'roofline.a', size * size, 1);
  const b32 = seededUniform(1, 'roofline.b', size * size, 1);
  const half = precision === 'f16';
  const toDevice = (values: Float32Array) =>
    half ? Uint16Array.from(values, float32ToFloat16Bits) : Float32Array.from(values);
  const a = storageBuffer(device, toDevice(a32));
  const b = storageBuffer(device, toDevice(b32));
  const bytesPerValue = half ? 2 : 4;
  const c = device.createBuffer({
    size: size * size * bytesPerValue,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  });
  const dims = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(dims, 0, Uint32Array.of(size, size, size, 0));
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: {
      module: device.createShaderModule({ code: matmulShader(precision, kernel) }),
      entryPoint: 'main',
    },
  });
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [a, b, c, dims].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const [groupsX, groupsY] = matmulGroups(kernel, size);
  try {
    const flops = await bestThroughput(
      device,
      (pass) => {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(groupsX, groupsY);
      },
      2 * size ** 3,
    );
    await checkProduct(device, c, a32, b32, size, half);
    return flops;
  } finally {
    for (const buffer of [a, b, c, dims]) buffer.destroy();
  }
}

async function checkProduct(
  device: GPUDevice,
  c: GPUBuffer,
  a: Float32Array,
  b: Float32Array,
  size: number,
  half: boolean,
): Promise<void> {
  const raw = await readGpuBytes(device, c, 0, c.size);
  const result = half ? Float32Array.from(new Uint16Array(raw), float16BitsToFloat32) : new Float32Array(raw);
  // Rows and columns spread over every tile position, edges included.
  for (let sample = 0; sample < 16; sample++) {
    const row = (sample * 389) % size;
    const col = (sample * 577 + 63) % size;
    let expected = 0;
    for (let k = 0; k < size; k++) expected += a[row * size + k]! * b[k * size + col]!;
    const got = result[row * size + col]!;
    // Sums of `size` products of values in [-1, 1]: f16 keeps ~3 significant digits.
    const tolerance = half ? 0.05 * Math.sqrt(size) : 1e-3 * Math.sqrt(size);
    if (!(Math.abs(got - expected) <= tolerance)) {
      throw new Error(
        `the ${half ? 'f16' : 'f32'} multiply kernel computed C[${row}][${col}] = ${got}, expected ${expected}`,
      );
    }
  }
}

/** Bytes/s read plus written by a streaming copy of `bytes`. */
export async function measureBandwidth(device: GPUDevice, bytes = 64 * 2 ** 20): Promise<number> {
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
  try {
    return await bestThroughput(
      device,
      (pass) => {
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(groups);
      },
      2 * size,
    );
  } finally {
    source.destroy();
    target.destroy();
  }
}

/**
 * The best multiply of both kernels. 512³ first (0.27 GFLOP: under a second on a software GPU); a GPU that
 * does that in under 5 ms is measured at 2048³, where launch overhead no longer hides its throughput.
 */
async function bestMatmul(device: GPUDevice, precision: MatmulPrecision): Promise<number> {
  let best = 0;
  for (const kernel of MATMUL_KERNELS) {
    const small = await measureMatmul(device, precision, kernel, 512);
    const fast = (2 * 512 ** 3) / small < 0.005;
    best = Math.max(best, fast ? await measureMatmul(device, precision, kernel, 2048) : small);
  }
  return best;
}

export async function measurePeaks(device: GPUDevice): Promise<DevicePeaks> {
  const matmulF32FlopsPerSecond = await bestMatmul(device, 'f32');
  const matmulF16FlopsPerSecond = device.features.has('shader-f16')
    ? await bestMatmul(device, 'f16')
    : undefined;
  const memoryBytesPerSecond = await measureBandwidth(device);
  return { matmulF32FlopsPerSecond, matmulF16FlopsPerSecond, memoryBytesPerSecond };
}
