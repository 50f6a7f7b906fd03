import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `base: './'` makes the build runnable from any sub-folder of a static host.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
