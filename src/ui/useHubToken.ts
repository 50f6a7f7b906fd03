import { useEffect, useMemo, useState } from 'react';
import type { HubAccess } from '../hub/hub-repository';
import { forgetToken, pageLocalStorage, readSavedToken, saveToken } from '../hub/token-storage';

/**
 * The hub access token and how downloads reach the hub. The token lives in this hook's memory (and in local
 * storage only while the user asks to remember it): never in the draft, config, CSV, JSON or links.
 */
export function useHubToken() {
  const [remember, setRemember] = useState(() => readSavedToken(pageLocalStorage()) !== undefined);
  const [token, setToken] = useState(
    () => window.ttftBenchHubToken ?? readSavedToken(pageLocalStorage()) ?? '',
  );
  useEffect(() => {
    if (remember) saveToken(pageLocalStorage(), token);
    else forgetToken(pageLocalStorage());
  }, [remember, token]);
  const access = useMemo(
    (): HubAccess => ({
      ...(token === '' ? {} : { token }),
      ...(window.ttftBenchStallTimeoutMs === undefined
        ? {}
        : { stallTimeoutMs: window.ttftBenchStallTimeoutMs }),
    }),
    [token],
  );
  return { token, setToken, remember, setRemember, access };
}
