import { expect, test } from '@playwright/test';
import { argmaxFloat16, argmaxFloat32 } from '../src/bench/argmax';
import { argmaxShader } from '../src/engine/gpu-argmax';
import { float32ToFloat16Bits } from '../src/model/float16';
import { seededUniform } from '../src/model/random';

/** Rows the pipelined decode's argmax must pick exactly as the CPU's does, including where values tie. */
function rows(): { name: string; values: number[] }[] {
  const spread = [...seededUniform(7, 'argmax rows', 128_256, 10)];
  const tiedLate = spread.map((value) => Math.min(value, 5));
  tiedLate[90_001] = 11;
  tiedLate[127_999] = 11; // the same maximum later: the first one wins
  const allEqual = new Array<number>(1000).fill(-3.5);
  const negative = Array.from({ length: 333 }, (_, i) => -1000 - i); // shorter than a workgroup, odd length
  const lastWins = Array.from({ length: 5001 }, (_, i) => i / 5001);
  // WGSL may assume no infinities, so the largest value is finite (and within float16's range).
  const largeAtEnd = spread.slice(0, 4097).map((value, i) => (i === 4096 ? 60_000 : value));
  return [
    { name: 'random, a 128k vocabulary', values: spread },
    { name: 'two equal maxima, far apart', values: tiedLate },
    { name: 'every value equal', values: allEqual },
    { name: 'all negative, shorter than a workgroup', values: negative },
    { name: 'the last index', values: lastWins },
    { name: 'a large value at the end', values: largeAtEnd },
  ];
}

/**
 * Rows of a [rows, vocab] tensor before the one picked (the first token's argmax reads the prompt's last row):
 * larger than any logit, and an odd count, so a float16 row starts in the middle of a 32-bit word.
 */
const ROWS_BEFORE = [65_000, 65_000, 65_000];

test('the GPU argmax (pipelined decode, first token) picks what the CPU argmax picks, for float32 and float16 logits, at any row', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toContainText('GPU:');
  const cases = rows().map(({ name, values }) => {
    const f16 = Uint16Array.from(values, float32ToFloat16Bits);
    return {
      name,
      float32: values,
      float16: [...f16],
      expected32: argmaxFloat32(Float32Array.from(values)),
      expected16: argmaxFloat16(f16),
    };
  });
  const picked = await page.evaluate(
    async ({ cases, shader32, shader16, rowsBefore, rowsBefore16 }) => {
      const before16 = (before: number[]) => (before.length === 0 ? [] : rowsBefore16);
      const adapter = await navigator.gpu.requestAdapter();
      if (adapter === null) throw new Error('no adapter');
      const device = await adapter.requestDevice();
      const run = async (
        code: string,
        bytes: ArrayBuffer,
        count: number,
        rowStart: number,
      ): Promise<number> => {
        const pipeline = device.createComputePipeline({
          layout: 'auto',
          compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
        });
        // Padded to 16 bytes, as onnxruntime's buffers are.
        const logits = device.createBuffer({
          size: Math.ceil(bytes.byteLength / 16) * 16,
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
        });
        // The padding holds a value larger than any logit: the kernel must stop at the row's end.
        const padded = new Uint8Array(logits.size).fill(0x7b);
        padded.set(new Uint8Array(bytes));
        device.queue.writeBuffer(logits, 0, padded);
        const vocab = device.createBuffer({
          size: 16,
          usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
        });
        device.queue.writeBuffer(vocab, 0, Uint32Array.of(count, rowStart, 0, 0));
        const nextId = device.createBuffer({
          size: 16,
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
        });
        // A stale high word must be overwritten: the id is an int64.
        device.queue.writeBuffer(nextId, 0, Uint32Array.of(0xdead, 0xbeef));
        const staging = device.createBuffer({
          size: 8,
          usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
        });
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(
          0,
          device.createBindGroup({
            layout: pipeline.getBindGroupLayout(0),
            entries: [
              { binding: 0, resource: { buffer: logits } },
              { binding: 1, resource: { buffer: nextId, size: 8 } },
              { binding: 2, resource: { buffer: vocab } },
            ],
          }),
        );
        pass.dispatchWorkgroups(1);
        pass.end();
        encoder.copyBufferToBuffer(nextId, 0, staging, 0, 8);
        device.queue.submit([encoder.finish()]);
        await staging.mapAsync(GPUMapMode.READ);
        const [low, high] = new Uint32Array(staging.getMappedRange().slice(0));
        return high === 0 ? low! : -1;
      };
      const results: { name: string; picked32: number; picked16: number }[] = [];
      for (const c of cases) {
        for (const before of [[], rowsBefore]) {
          const values32 = Float32Array.from([...before, ...c.float32]);
          const values16 = Uint16Array.from([...before16(before), ...c.float16]);
          const picked32 = await run(shader32, values32.buffer, c.float32.length, before.length);
          const picked16 = await run(shader16, values16.buffer, c.float16.length, before.length);
          results.push({ name: `${c.name}, after ${before.length} values`, picked32, picked16 });
        }
      }
      device.destroy();
      return results;
    },
    {
      cases,
      shader32: argmaxShader('float32'),
      shader16: argmaxShader('float16'),
      rowsBefore: ROWS_BEFORE,
      rowsBefore16: ROWS_BEFORE.map(float32ToFloat16Bits),
    },
  );
  expect(picked).toEqual(
    cases.flatMap((c) =>
      [0, ROWS_BEFORE.length].map((before) => ({
        name: `${c.name}, after ${before} values`,
        picked32: c.expected32,
        picked16: c.expected16,
      })),
    ),
  );
  // The cases do test ties: the first of two equal maxima, not the second.
  expect(cases[1]!.expected32).toBe(90_001);
  expect(cases[2]!.expected32).toBe(0);
});
