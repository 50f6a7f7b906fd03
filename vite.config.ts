import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `base: './'` makes the build runnable from any sub-folder of a static host.
export default defineConfig({
  base: './',
  plugins: [react()],
  resolve: {
    // One onnxruntime-web in the bundle: @xenova/transformers imports the default (JSEP) build for its
    // tensors; point it at the WebGPU build the engine uses.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/webgpu' }],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
