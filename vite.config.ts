import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { antiFramingHeaders, buildContentSecurityPolicy, DEFAULT_HUB_SOURCES } from './src/security/csp.ts';

const versionOf = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
const appVersion = versionOf('package.json');
const ortWebVersion = versionOf('node_modules/onnxruntime-web/package.json');

/** Hub origins the built page may download from; mirrors are added with TTFT_BENCH_HUB_SOURCES="https://a https://b". */
const hubSources = [
  ...DEFAULT_HUB_SOURCES,
  ...(process.env['TTFT_BENCH_HUB_SOURCES'] ?? '').split(/[\s,]+/).filter((source) => source !== ''),
];

/** The Content-Security-Policy goes into the built page only: the dev server needs inline scripts for reload. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'ttft-bench-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: buildContentSecurityPolicy(hubSources) },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * Cross-origin isolation, where the server can send headers: it makes performance.now() finer (5 µs instead
 * of 100 µs) and performance.measureUserAgentSpecificMemory() available. Hub requests are CORS requests, so
 * require-corp does not block them.
 */
const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// `base: './'` makes the build runnable from any sub-folder of a static host.
export default defineConfig({
  base: './',
  define: { __APP_VERSION__: JSON.stringify(appVersion), __ORT_WEB_VERSION__: JSON.stringify(ortWebVersion) },
  plugins: [react(), contentSecurityPolicy()],
  resolve: {
    // One onnxruntime-web in the bundle: @xenova/transformers imports the default (JSEP) build for its
    // tensors; point it at the WebGPU build the engine uses.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/webgpu' }],
  },
  worker: { format: 'es' },
  // No other site may frame the page (frame-ancestors and X-Frame-Options only work as headers). The dev server
  // sends only those two of the policy's directives' effect: its page needs inline scripts for reloads.
  server: {
    headers: {
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "frame-ancestors 'none'",
      ...CROSS_ORIGIN_ISOLATION,
    },
  },
  // A meta tag cannot reach workers (their policy comes from their own response headers), so the preview
  // server, which the e2e suite drives, sends the policy as a header too: the engine worker runs under it, and
  // the header adds frame-ancestors 'none', which a meta tag cannot carry.
  preview: {
    headers: { ...antiFramingHeaders(hubSources), ...CROSS_ORIGIN_ISOLATION },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // race.html is the page `npm run bench:race` drives; transformers.js is bundled into it only.
    rolldownOptions: { input: { main: 'index.html', race: 'race.html' } },
  },
  // onnx-proto is only imported by the worker; pre-bundle it so the dev server does not reload mid-run.
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['onnx-proto'] },
});
