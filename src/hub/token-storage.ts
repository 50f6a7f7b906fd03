/**
 * Hub access tokens, each kept for the hub origin it was entered for and sent only there: a link that names
 * another hub never receives a token meant for Hugging Face. They live in memory, and in local storage only
 * when the user asks; everything read back is validated, as storage is shared with whatever else ran on this
 * origin.
 */
import { DEFAULT_HUB_URL } from '../config/model-ref';

const KEY = 'ttft-bench:hub-tokens';
/** Before tokens were kept per hub, one token was stored here; it was entered for the default hub. */
const LEGACY_KEY = 'ttft-bench:hub-token';
/** Hugging Face tokens are printable ASCII without spaces; anything else in the slot is not ours. */
const TOKEN_PATTERN = /^[\x21-\x7e]{1,512}$/;
/** No one uses this many hubs; a larger stored map is not ours. */
const MAX_HUBS = 32;

type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Tokens by hub origin (`https://huggingface.co`). */
export type HubTokens = ReadonlyMap<string, string>;

export const NO_TOKENS: HubTokens = new Map();

export function isPlausibleToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** The origin a token for this hub URL is kept under; undefined for what is not an http(s) URL. */
export function hubOriginOf(hubUrl: string): string | undefined {
  try {
    const url = new URL(hubUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The token entered for this hub's origin, if any: the only token a request to it may carry. */
export function tokenForHub(tokens: HubTokens, hubUrl: string): string | undefined {
  const origin = hubOriginOf(hubUrl);
  return origin === undefined ? undefined : tokens.get(origin);
}

/** The tokens with this hub's token set (or removed, for ''); unchanged for a URL without an origin. */
export function withHubToken(tokens: HubTokens, hubUrl: string, token: string): HubTokens {
  const origin = hubOriginOf(hubUrl);
  if (origin === undefined) return tokens;
  const next = new Map(tokens);
  if (token === '') next.delete(origin);
  else next.set(origin, token);
  return next;
}

/**
 * What to tell the user when a link names a hub that no token is for while tokens exist for others: the
 * token stays with its hub. Undefined when there is nothing to say.
 */
export function tokenElsewhereNote(tokens: HubTokens, hubUrl: string): string | undefined {
  const origin = hubOriginOf(hubUrl);
  if (origin === undefined || tokens.has(origin) || tokens.size === 0) return undefined;
  const others = [...tokens.keys()].join(', ');
  return (
    `This link names the hub ${origin}, which is not the one your access token is for (${others}); ` +
    `the token is not sent to ${origin}.`
  );
}

function parseStored(text: string): HubTokens | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length > MAX_HUBS) return undefined;
  const tokens = new Map<string, string>();
  for (const [origin, token] of entries) {
    // Only origins exactly as hubOriginOf writes them, and only tokens that look like tokens.
    if (hubOriginOf(origin) !== origin || typeof token !== 'string' || !isPlausibleToken(token)) continue;
    tokens.set(origin, token);
  }
  return tokens;
}

/** The remembered tokens (none when nothing valid is stored or storage is unavailable). */
export function readSavedTokens(storage: TokenStorage | undefined): HubTokens {
  try {
    const saved = storage?.getItem(KEY) ?? null;
    const tokens = saved === null ? new Map<string, string>() : new Map(parseStored(saved));
    const legacy = storage?.getItem(LEGACY_KEY) ?? null;
    const defaultOrigin = hubOriginOf(DEFAULT_HUB_URL)!;
    if (legacy !== null && isPlausibleToken(legacy) && !tokens.has(defaultOrigin)) {
      tokens.set(defaultOrigin, legacy);
    }
    return tokens;
  } catch {
    return NO_TOKENS;
  }
}

/** Stores the tokens (or forgets them when none); false when storage refused (private mode, quota, policy). */
export function saveTokens(storage: TokenStorage | undefined, tokens: HubTokens): boolean {
  try {
    if (storage === undefined) return false;
    storage.removeItem(LEGACY_KEY);
    const valid = [...tokens].filter(
      ([origin, token]) => hubOriginOf(origin) === origin && isPlausibleToken(token),
    );
    if (valid.length === 0) storage.removeItem(KEY);
    else storage.setItem(KEY, JSON.stringify(Object.fromEntries(valid)));
    return valid.length === tokens.size;
  } catch {
    return false;
  }
}

export function forgetTokens(storage: TokenStorage | undefined): void {
  try {
    storage?.removeItem(KEY);
    storage?.removeItem(LEGACY_KEY);
  } catch {
    // Nothing stored that we could reach: nothing to forget.
  }
}

/** The page's local storage, or undefined where reaching it throws (storage disabled by policy). */
export function pageLocalStorage(): TokenStorage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
