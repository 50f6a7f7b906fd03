/**
 * Real Llama tokenizers through `@xenova/transformers`' AutoTokenizer, from files this app serves (browser)
 * or a local folder (Node): `<source><id>/tokenizer.json`. Never from the network beyond `source`.
 */
import { AutoTokenizer, env, PreTrainedTokenizer } from '@xenova/transformers';
import type { TokenizerId } from '../model/config';
import type { TextTokenizer } from './tokenizer';
import { errorMessage } from '../error-message';

/**
 * A repository's own tokenizer from its tokenizer.json and tokenizer_config.json (already read and cached by
 * the hub code, which handles tokens, mirrors and local folders), built the way AutoTokenizer builds it.
 */
export function tokenizerFromFiles(
  id: string,
  tokenizerJson: unknown,
  tokenizerConfig: unknown,
): TextTokenizer {
  const config = (typeof tokenizerConfig === 'object' && tokenizerConfig !== null ? tokenizerConfig : {}) as {
    tokenizer_class?: unknown;
  };
  const className =
    typeof config.tokenizer_class === 'string'
      ? config.tokenizer_class.replace(/Fast$/, '')
      : 'PreTrainedTokenizer';
  const mapping = AutoTokenizer.TOKENIZER_CLASS_MAPPING as Record<
    string,
    typeof PreTrainedTokenizer | undefined
  >;
  const TokenizerClass = mapping[className] ?? PreTrainedTokenizer;
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = new TokenizerClass(tokenizerJson, config);
  } catch (error) {
    throw new Error(`tokenizer.json could not be loaded (${errorMessage(error)})`, { cause: error });
  }
  return {
    id,
    encode: (text) => tokenizer.encode(text),
    encodeContinuation: (text) => tokenizer.encode(text, null, { add_special_tokens: false }),
    decode: (ids) => tokenizer.decode([...ids]),
  };
}

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
      encodeContinuation: (text) => tokenizer.encode(text, null, { add_special_tokens: false }),
      decode: (ids) => tokenizer.decode([...ids]),
    };
  })();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  return loading;
}

/**
 * Where a tokenizer comes from, as plain data: the engine worker rebuilds the very tokenizer the page would
 * build (the files travel by structured clone; served ids by an absolute URL, since a worker resolves
 * relative URLs against its own script).
 */
export type TokenizerSource =
  | { readonly kind: 'served'; readonly id: TokenizerId; readonly baseUrl: string }
  | {
      readonly kind: 'files';
      readonly id: string;
      readonly tokenizerJson: unknown;
      readonly tokenizerConfig: unknown;
    };

export function tokenizerFromSource(source: TokenizerSource): Promise<TextTokenizer> {
  if (source.kind === 'served') return loadTokenizer(source.id, source.baseUrl);
  return Promise.resolve(tokenizerFromFiles(source.id, source.tokenizerJson, source.tokenizerConfig));
}
