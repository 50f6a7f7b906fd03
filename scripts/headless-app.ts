/**
 * The built app served on 127.0.0.1 and a headless Chromium to drive it: what every benchmark script needs.
 * With `--gpu` it tries Chromium's flag sets in order and keeps the first whose page gets a hardware adapter;
 * when none does it stops, naming each set and the adapter it gave, instead of measuring a CPU silently.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { adapterIdentityDetails, softwareAdapterReason } from '../src/bench/adapter-identity';
import {
  chromiumExecutable,
  chromiumLaunches,
  gpuNotReachedMessage,
  type ChromiumLaunch,
  type GpuAttempt,
} from '../src/bench/chromium-flags';
import { errorMessage } from '../src/error-message';
import type { AdapterCheck } from '../src/ui/automation';

export interface HeadlessAppOptions {
  /** Reach a hardware GPU, or fail; without it WebGPU is forced onto SwiftShader (CI). */
  readonly gpu: boolean;
  /** More Chromium flags (`--chrome-arg`, repeatable), added to every flag set. */
  readonly chromeArgs?: readonly string[];
}

/** The options every benchmark script takes for this, for node:util's parseArgs. */
export const CHROMIUM_CLI_OPTIONS = {
  gpu: { type: 'boolean' as const, default: false },
  'chrome-arg': { type: 'string' as const, multiple: true as const, default: [] as string[] },
};
export const CHROMIUM_CLI_USAGE = '[--gpu] [--chrome-arg FLAG]...';

export interface HeadlessApp {
  readonly baseUrl: string;
  readonly browser: Browser;
  /** The flag set this browser was started with. */
  readonly launch: ChromiumLaunch;
  /** The adapter the app's page got in this browser. */
  readonly adapter: AdapterCheck;
  close(): Promise<void>;
}

export class GpuNotReachedError extends Error {
  override readonly name = 'GpuNotReachedError';
}

/** A fresh Chromium start can lose WebGPU to a transient GPU-process failure: start it once more then. */
const STARTS_PER_FLAG_SET = 2;

/** Opens the app and reads the adapter its engine got (the page retries requestAdapter itself). */
async function readPageAdapter(browser: Browser, baseUrl: string): Promise<AdapterCheck> {
  const page = await browser.newPage();
  try {
    await page.goto(baseUrl);
    const handle = await page.waitForFunction(() => window.ttftBenchAdapter, undefined, {
      timeout: 90_000,
    });
    const check = await handle.jsonValue();
    if (check === undefined) throw new Error('the page published no adapter');
    return check;
  } catch (error) {
    return { kind: 'unavailable', reason: `the page did not report an adapter: ${errorMessage(error)}` };
  } finally {
    await page.close();
  }
}

async function launchAndCheck(
  launch: ChromiumLaunch,
  baseUrl: string,
): Promise<{ browser: Browser; adapter: AdapterCheck }> {
  for (let start = 1; ; start++) {
    const browser = await chromium.launch({
      executablePath: chromiumExecutable(process.env, existsSync),
      args: [...launch.args],
    });
    const adapter = await readPageAdapter(browser, baseUrl);
    if (adapter.kind === 'ready' || start === STARTS_PER_FLAG_SET) return { browser, adapter };
    await browser.close();
  }
}

/** A built app (`root`'s dist, by default this checkout's) served on 127.0.0.1 at a free port. */
export async function startPreview(
  root?: string,
): Promise<{ readonly baseUrl: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({
    ...(root === undefined ? {} : { root }),
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'warn',
  });
  const baseUrl = server.resolvedUrls?.local[0];
  if (baseUrl === undefined) throw new Error('the preview server did not report its URL');
  return {
    baseUrl,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

export async function startHeadlessApp(options: HeadlessAppOptions): Promise<HeadlessApp> {
  const server = await startPreview();
  const { baseUrl } = server;
  const attempts: GpuAttempt[] = [];
  try {
    for (const launch of chromiumLaunches({ gpu: options.gpu, extraArgs: options.chromeArgs })) {
      const { browser, adapter } = await launchAndCheck(launch, baseUrl);
      const softwareReason =
        adapter.kind === 'ready' ? adapter.softwareReason : softwareAdapterReason(undefined);
      if (!options.gpu || softwareReason === undefined) {
        return {
          baseUrl,
          browser,
          launch,
          adapter,
          async close() {
            await browser.close();
            await server.close();
          },
        };
      }
      await browser.close();
      attempts.push({
        launch,
        adapter: adapter.kind === 'ready' ? adapter.label : `no adapter (${adapter.reason.split('. ')[0]})`,
        softwareReason,
      });
    }
  } catch (error) {
    await server.close();
    throw error;
  }
  await server.close();
  throw new GpuNotReachedError(gpuNotReachedMessage(attempts));
}

/**
 * startHeadlessApp for a CLI, from its CHROMIUM_CLI_OPTIONS values: prints the header lines every benchmark
 * prints; a GPU that was not reached ends the process with the reason (exit 1).
 */
export async function startHeadlessAppOrExit(
  tool: string,
  cli: { readonly gpu: boolean; readonly 'chrome-arg': readonly string[] },
): Promise<HeadlessApp> {
  let app: HeadlessApp;
  try {
    app = await startHeadlessApp({ gpu: cli.gpu, chromeArgs: cli['chrome-arg'] });
  } catch (error) {
    console.error(`${tool}: ${errorMessage(error)}`);
    process.exit(1);
  }
  for (const line of headlessAdapterLines(app)) console.log(line);
  return app;
}

/** The header lines every benchmark prints: flags, adapter, its identity, and a warning on software. */
function headlessAdapterLines(app: HeadlessApp): string[] {
  const flags = app.launch.addedArgs.length === 0 ? '' : ` (${app.launch.addedArgs.join(' ')})`;
  const lines = [`chromium flag set: ${app.launch.flagSet}${flags}`];
  const { adapter } = app;
  if (adapter.kind === 'unavailable') return [...lines, `adapter: none (${adapter.reason})`];
  lines.push(`adapter: ${adapter.label}`, `  ${adapterIdentityDetails(adapter.adapter).join(' · ')}`);
  if (adapter.softwareReason !== undefined) {
    lines.push(`  numbers from a CPU, not a GPU: ${adapter.softwareReason} (--gpu reaches a GPU or fails)`);
  }
  return lines;
}
