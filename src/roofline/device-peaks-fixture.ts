import type { DevicePeaks, MatmulPeak, SeriesPeak } from './device-peaks';

const agreed = (perSecond: number): SeriesPeak => ({
  perSecond,
  series: [perSecond * 0.99, perSecond],
  agreement: 'agreed',
});

const matmul = (flopsPerSecond: number): MatmulPeak => ({
  ...agreed(flopsPerSecond),
  kernel: 'vec4',
  detail: undefined,
  size: 512,
});

/** Measured peaks for tests: the f32 and f16 multiply FLOP/s and the copy's bytes/s; override the rest. */
export function devicePeaks(
  figures: { readonly f32: number; readonly f16?: number; readonly memory: number },
  overrides: Partial<DevicePeaks> = {},
): DevicePeaks {
  return {
    matmulF32: matmul(figures.f32),
    matmulF16: figures.f16 === undefined ? undefined : matmul(figures.f16),
    memory: agreed(figures.memory),
    kernels: [],
    warmup: { gpuMs: 1000, flopsPerSecond: [figures.f32], ended: 'plateau' },
    ...overrides,
  };
}
