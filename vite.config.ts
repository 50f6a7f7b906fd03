import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const appVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

// `base: './'` makes the build runnable from any sub-folder of a static host.
export default defineConfig({
  base: './',
  define: { __APP_VERSION__: JSON.stringify(appVersion) },
  plugins: [react()],
  resolve: {
    // One onnxruntime-web in the bundle: @xenova/transformers imports the default (JSEP) build for its
    // tensors; point it at the WebGPU build the engine uses.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/webgpu' }],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  // onnx-proto is only imported by the worker; pre-bundle it so the dev server does not reload mid-run.
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['onnx-proto'] },
});
