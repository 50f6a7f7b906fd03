/**
 * How every e2e test and the bench CLI start Chromium: Debian's build with WebGPU on. Without a real GPU,
 * Chromium falls back to SwiftShader's software WebGPU adapter, which is slow but real.
 */
import { existsSync } from 'node:fs';

export function chromiumExecutable(): string {
  const candidates = [
    process.env['CHROME_PATH'],
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  for (const candidate of candidates) {
    if (candidate !== undefined && candidate !== '' && existsSync(candidate)) return candidate;
  }
  throw new Error(
    "No Chromium found: install Debian's chromium (apt-get install chromium) or set CHROME_PATH.",
  );
}

export function chromiumArgs(options: { readonly realGpu: boolean }): string[] {
  const args = [
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    // measureUserAgentSpecificMemory() answers at once (after its own GC) instead of at the next GC, up to 20 s
    // later: the memory benchmark samples every 25 trials.
    '--enable-blink-features=ForceEagerMeasureMemory',
  ];
  if (!options.realGpu) args.push('--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan');
  return args;
}
