/**
 * The hub access token in local storage, only when the user asks for it. Everything read back is validated:
 * storage is shared with whatever else ran on this origin.
 */
const KEY = 'ttft-bench:hub-token';
/** Hugging Face tokens are printable ASCII without spaces; anything else in the slot is not ours. */
const TOKEN_PATTERN = /^[\x21-\x7e]{1,512}$/;

type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function isPlausibleToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** The remembered token, or undefined when none is stored, it is malformed, or storage is unavailable. */
export function readSavedToken(storage: TokenStorage | undefined): string | undefined {
  try {
    const saved = storage?.getItem(KEY) ?? null;
    return saved !== null && isPlausibleToken(saved) ? saved : undefined;
  } catch {
    return undefined;
  }
}

/** Stores the token (or forgets it when empty); false when storage refused (private mode, quota, policy). */
export function saveToken(storage: TokenStorage | undefined, token: string): boolean {
  try {
    if (storage === undefined) return false;
    if (token === '') storage.removeItem(KEY);
    else if (isPlausibleToken(token)) storage.setItem(KEY, token);
    else return false;
    return true;
  } catch {
    return false;
  }
}

export function forgetToken(storage: TokenStorage | undefined): void {
  try {
    storage?.removeItem(KEY);
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
