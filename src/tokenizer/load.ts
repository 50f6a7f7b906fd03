/**
 * Real Llama tokenizers through `@xenova/transformers`' AutoTokenizer, from files this app serves (browser)
 * or a local folder (Node): `<source><id>/tokenizer.json`. Never from the network beyond `source`.
 */
import { AutoTokenizer, env } from '@xenova/transformers';
import type { TokenizerId } from '../model/config';
import type { TextTokenizer } from './tokenizer';

const cache = new Map<string, Promise<TextTokenizer>>();

export function loadTokenizer(id: TokenizerId, source: string): Promise<TextTokenizer> {
  const key = `${source}${id}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const loading = (async (): Promise<TextTokenizer> => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = source;
    // The files are already same-origin and small; Cache Storage would only hide stale copies after updates.
    env.useBrowserCache = false;
    const tokenizer = await AutoTokenizer.from_pretrained(id);
    return {
      id,
      encode: (text) => tokenizer.encode(text),
      decode: (ids) => tokenizer.decode([...ids]),
    };
  })();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  return loading;
}
