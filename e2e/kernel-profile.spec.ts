import { expect, test } from '@playwright/test';
import { recordedLoads, recordedTrials } from './page-state';

test("a kernel profile: onnxruntime's own GPU timestamps per dispatch, per prompt length, for a prefill and a decode step", async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.getByTestId('preset').selectOption('tiny');
  await page.locator('input[name="quantization"][value="fp32"]').setChecked(true);
  await page.locator('input[name="quantization"][value="q4"]').setChecked(false);
  await page.getByTestId('graph-form').selectOption('fused');
  await page.getByTestId('last-position-logits').setChecked(true);
  await page.getByTestId('lengths').fill('16');
  await page.getByTestId('warmups').fill('0');
  await page.getByTestId('reps').fill('1');
  await page.getByTestId('cpu-match').setChecked(false);

  // A captured replay has no kernels of its own to time: the profile is off while graph capture is on.
  const profile = page.getByTestId('kernel-profile');
  await page.getByTestId('graph-capture').setChecked(true);
  await expect(profile).toBeDisabled();
  await page.getByTestId('graph-capture').setChecked(false);
  await expect(profile).toBeEnabled();
  await profile.setChecked(true);

  await page.getByTestId('run').click();
  await expect(page.getByTestId('status-done')).toBeVisible({ timeout: 8 * 60_000 });

  const [load] = await recordedLoads(page);
  const report = load?.kernelProfile;
  if (report?.kind !== 'measured') throw new Error(`no kernel profile: ${JSON.stringify(report)}`);
  expect(report.profiles.map((p) => p.promptTokens)).toEqual([16]);
  const [{ prefill, decode }] = report.profiles as [(typeof report.profiles)[number]];
  for (const run of [prefill, decode]) {
    expect(run.runs).toBe(2);
    // Every warm run of a shape dispatches the same kernels.
    expect(Number.isInteger(run.kernels)).toBe(true);
    expect(run.kernels).toBeGreaterThan(10);
    expect(run.gpuBusyUs).toBeGreaterThan(0);
    expect(run.gpuSpanUs).toBeGreaterThanOrEqual(run.gpuBusyUs * 0.99);
    expect(run.ops.reduce((sum, op) => sum + op.kernels, 0)).toBeCloseTo(run.kernels, 6);
    expect(run.ops.reduce((sum, op) => sum + op.gpuUs, 0)).toBeCloseTo(run.gpuBusyUs, 3);
    // The fused graph's attention runs on the GPU, as GroupQueryAttention kernels.
    expect(run.ops.some((op) => op.op.startsWith('GroupQueryAttention'))).toBe(true);
  }
  // Chromium's SwiftShader keeps timestamps exact here (no 100 µs rounding), and the page warns of none.
  expect(report.profiles[0]!.timestampsRounded).toBe(false);
  await expect(page.getByTestId('kernel-profile-fp32-16-rounded')).toHaveCount(0);
  // Timed GPU work in one run cannot exceed that run's wall time.
  expect(prefill.gpuSpanUs).toBeLessThanOrEqual(prefill.wallUs);

  // The page shows the same numbers, and the trial itself ran on the measured session as usual.
  const row = page.getByTestId('kernel-profile-fp32-16-prefill');
  await expect(row.getByTestId('kernel-profile-fp32-16-prefill-kernels')).toHaveText(String(prefill.kernels));
  await expect(row.getByTestId('kernel-profile-fp32-16-prefill-gpu-busy')).toHaveText(
    (prefill.gpuBusyUs / 1000).toFixed(2),
  );
  await expect(page.getByTestId('kernel-profile-fp32-16-decode-kernels')).toHaveText(String(decode.kernels));
  const trials = await recordedTrials(page);
  expect(trials.length).toBeGreaterThan(0);
  expect(trials.every((trial) => trial.ttftMs > 0)).toBe(true);
});
