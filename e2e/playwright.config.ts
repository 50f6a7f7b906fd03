import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { chromiumExecutable, softwareChromiumArgs } from '../src/bench/chromium-flags';

// E2E_PORT lets two checkouts on one machine run their suites side by side.
const PORT = Number(process.env['E2E_PORT'] ?? 4179);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // SwiftShader runs WebGPU on the CPU: give sweeps time, and never run two at once on 2 cores.
  timeout: 10 * 60_000,
  expect: { timeout: 60_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  outputDir: '../test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: chromiumExecutable(process.env, existsSync),
      args: [...softwareChromiumArgs()],
    },
    acceptDownloads: true,
    trace: 'off',
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}/`,
    cwd: '..',
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
