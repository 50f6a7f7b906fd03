/**
 * `npm run bench -- --gpu` never measures a CPU silently: when no flag set gives the page a hardware adapter
 * it exits non-zero before any sweep, naming the adapter and the flag sets it tried.
 */
import { spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';

interface CliRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

function runCli(args: readonly string[]): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/bench.ts', ...args], { cwd: process.cwd() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exitCode) =>
      resolve({ exitCode, stdout, stderr, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

test('bench --gpu on a software adapter exits non-zero, naming the adapter and every flag set tried', async () => {
  // --chrome-arg forces SwiftShader under every flag set, so this holds on a machine with a GPU too.
  const run = await runCli([
    '--gpu',
    '--no-build',
    '--chrome-arg=--use-webgpu-adapter=swiftshader',
    '--model',
    'tiny',
    '--quant',
    'q4',
    '--lengths',
    '16',
    '--reps',
    '1',
    '--warmup',
    '0',
    '--out',
    'test-results/bench-gpu.csv',
  ]);
  expect(run.exitCode, run.stderr).toBe(1);
  expect(run.stderr).toContain('bench: --gpu: no flag set reached a hardware GPU');
  expect(run.stderr).toMatch(
    /angle-vulkan: google \/ swiftshader.*: the adapter is SwiftShader, Chromium's CPU implementation of Vulkan/,
  );
  expect(run.stderr).toMatch(
    /flags: --use-angle=vulkan --enable-features=Vulkan --disable-vulkan-surface .*--use-webgpu-adapter=swiftshader/,
  );
  expect(run.stderr).toMatch(/platform-default: google \/ swiftshader/);
  // It stopped at the adapter check: no sweep started, no results written.
  expect(run.stdout).not.toContain('Loading tokenizer');
  expect(run.stdout).not.toContain('wrote');
  expect(run.seconds).toBeLessThan(90);
});
