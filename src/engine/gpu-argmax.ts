/**
 * Greedy sampling on the GPU: the argmax of one row of a logits tensor, written as an int64 token id. A decode
 * step reads it as `input_ids`, so a decode loop never waits for the CPU between tokens; after the prefill it is
 * the first token, read back without the row. It picks what src/bench/argmax.ts picks on the CPU: the highest
 * logit, the lowest index among equals.
 */

const WORKGROUP_SIZE = 256;

/** The token id the argmax writes: an int64. */
export const TOKEN_ID_BYTES = 8;
/**
 * A token id buffer's size: onnxruntime copies a GPU input in 16-byte units (the plain graph reads input_ids'
 * shape on the CPU, so they are downloaded), and an 8-byte buffer fails that copy's validation.
 */
const TOKEN_ID_BUFFER_BYTES = 16;

export type LogitsDataType = 'float32' | 'float16';

/**
 * Reads logit `i` of the row that starts at element `vocab.y` of the tensor: f32 directly, f16 as half of a u32
 * word (no shader-f16 needed). An offset in the uniform, not in the binding, because a binding's offset must be a
 * multiple of 256 bytes and a row's need not be.
 */
function logitAt(dataType: LogitsDataType): string {
  return dataType === 'float32'
    ? `fn logitAt(i: u32) -> f32 { return logits[vocab.y + i]; }`
    : `fn logitAt(i: u32) -> f32 {
  let element = vocab.y + i;
  let pair = unpack2x16float(logits[element / 2u]);
  return select(pair.x, pair.y, (element & 1u) == 1u);
}`;
}

export function argmaxShader(dataType: LogitsDataType): string {
  const element = dataType === 'float32' ? 'f32' : 'u32';
  return `
@group(0) @binding(0) var<storage, read> logits: array<${element}>;
@group(0) @binding(1) var<storage, read_write> nextId: array<u32, 2>;
@group(0) @binding(2) var<uniform> vocab: vec4<u32>;
var<workgroup> bestValues: array<f32, ${WORKGROUP_SIZE}>;
var<workgroup> bestIndices: array<u32, ${WORKGROUP_SIZE}>;
${logitAt(dataType)}
@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(local_invocation_index) lane: u32) {
  let size = vocab.x;
  // Each lane scans its stride from its first element, keeping the first of equal values (indices ascend).
  var bestIndex = 0xffffffffu;
  var bestValue = 0.0;
  if (lane < size) {
    bestIndex = lane;
    bestValue = logitAt(lane);
  }
  for (var i = lane + ${WORKGROUP_SIZE}u; i < size; i += ${WORKGROUP_SIZE}u) {
    let value = logitAt(i);
    if (value > bestValue) {
      bestValue = value;
      bestIndex = i;
    }
  }
  bestValues[lane] = bestValue;
  bestIndices[lane] = bestIndex;
  workgroupBarrier();
  for (var half = ${WORKGROUP_SIZE / 2}u; half > 0u; half >>= 1u) {
    if (lane < half) {
      let otherIndex = bestIndices[lane + half];
      let otherValue = bestValues[lane + half];
      let mine = bestIndices[lane];
      if (otherIndex != 0xffffffffu && (mine == 0xffffffffu || otherValue > bestValues[lane] ||
          (otherValue == bestValues[lane] && otherIndex < mine))) {
        bestValues[lane] = otherValue;
        bestIndices[lane] = otherIndex;
      }
    }
    workgroupBarrier();
  }
  if (lane == 0u) {
    nextId[0] = bestIndices[0];
    nextId[1] = 0u;
  }
}`;
}

/** One compiled argmax per device and logits type. */
export class GpuArgmax {
  private static readonly byDevice = new WeakMap<GPUDevice, Map<LogitsDataType, GpuArgmax>>();

  static for(device: GPUDevice, dataType: LogitsDataType): GpuArgmax {
    let kinds = GpuArgmax.byDevice.get(device);
    if (kinds === undefined) {
      kinds = new Map();
      GpuArgmax.byDevice.set(device, kinds);
    }
    let argmax = kinds.get(dataType);
    if (argmax === undefined) {
      argmax = new GpuArgmax(device, dataType);
      kinds.set(dataType, argmax);
    }
    return argmax;
  }

  private readonly pipeline: GPUComputePipeline;

  private constructor(
    private readonly device: GPUDevice,
    readonly dataType: LogitsDataType,
  ) {
    const module = device.createShaderModule({ code: argmaxShader(dataType), label: `argmax ${dataType}` });
    this.pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
      label: `argmax ${dataType}`,
    });
  }

  /**
   * A uniform holding the row's length and the element it starts at (0 for a one-row tensor), for every step of a
   * loop over logits of that vocabulary.
   */
  vocabUniform(vocabSize: number, rowStart = 0): GPUBuffer {
    const buffer = this.device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      label: 'argmax vocabulary size',
    });
    this.device.queue.writeBuffer(buffer, 0, Uint32Array.of(vocabSize, rowStart, 0, 0));
    return buffer;
  }

  /** A buffer the argmax writes a token id into, which can also be fed to onnxruntime as `input_ids`. */
  tokenIdBuffer(label: string): GPUBuffer {
    return this.device.createBuffer({
      size: TOKEN_ID_BUFFER_BYTES,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      label,
    });
  }

  /** Records the argmax of the row `vocab` describes into `nextId` (8 bytes: an int64 token id). */
  encode(encoder: GPUCommandEncoder, logits: GPUBuffer, vocab: GPUBuffer, nextId: GPUBuffer): void {
    const bindGroup = this.device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: logits } },
        { binding: 1, resource: { buffer: nextId, size: 8 } },
        { binding: 2, resource: { buffer: vocab } },
      ],
    });
    const pass = encoder.beginComputePass({ label: 'argmax' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(1);
    pass.end();
  }
}
