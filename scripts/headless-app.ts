/** The built app served on 127.0.0.1 and a headless Chromium to drive it: what every benchmark script needs. */
import { chromium, type Browser } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { chromiumArgs, chromiumExecutable } from '../e2e/chromium';

export interface HeadlessApp {
  readonly baseUrl: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** `realGpu`: do not force the software adapter, so a machine with a GPU measures its GPU. */
export async function startHeadlessApp(realGpu: boolean): Promise<HeadlessApp> {
  const server: PreviewServer = await preview({
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'warn',
  });
  const baseUrl = server.resolvedUrls?.local[0];
  if (baseUrl === undefined) throw new Error('the preview server did not report its URL');
  const browser = await chromium.launch({
    executablePath: chromiumExecutable(),
    args: chromiumArgs({ realGpu }),
  });
  return {
    baseUrl,
    browser,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}
