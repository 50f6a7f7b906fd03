import { useCallback, useEffect, useState } from 'react';
import type { HubAccess } from '../hub/hub-repository';
import {
  forgetTokens,
  pageLocalStorage,
  readSavedTokens,
  saveTokens,
  tokenForHub,
  withHubToken,
  type HubTokens,
} from '../hub/token-storage';

/**
 * Hub access tokens, each for the hub origin it was entered for (src/hub/token-storage.ts). They live in this
 * hook's memory (and in local storage only while the user asks to remember them): never in the draft, config,
 * CSV, JSON or links. `driverToken` is a headless driver's (set by its init script, never by the URL), for the
 * hub its own configuration names.
 */
export function useHubTokens(driverToken: { readonly token: string; readonly hubUrl: string } | undefined) {
  const [remember, setRemember] = useState(() => readSavedTokens(pageLocalStorage()).size > 0);
  const [tokens, setTokens] = useState<HubTokens>(() => {
    const saved = readSavedTokens(pageLocalStorage());
    return driverToken === undefined ? saved : withHubToken(saved, driverToken.hubUrl, driverToken.token);
  });
  useEffect(() => {
    if (remember) saveTokens(pageLocalStorage(), tokens);
    else forgetTokens(pageLocalStorage());
  }, [remember, tokens]);

  /** The token entered for this hub ('' for none): what the token field shows while the form names it. */
  const tokenFor = useCallback((hubUrl: string) => tokenForHub(tokens, hubUrl) ?? '', [tokens]);
  const setTokenFor = useCallback((hubUrl: string, token: string) => {
    setTokens((current) => withHubToken(current, hubUrl, token));
  }, []);
  /** How requests to this hub are made: with its own token only. */
  const accessFor = useCallback(
    (hubUrl: string): HubAccess => {
      const token = tokenForHub(tokens, hubUrl);
      return {
        ...(token === undefined ? {} : { token }),
        ...(window.ttftBenchStallTimeoutMs === undefined
          ? {}
          : { stallTimeoutMs: window.ttftBenchStallTimeoutMs }),
      };
    },
    [tokens],
  );
  return { tokens, tokenFor, setTokenFor, accessFor, remember, setRemember };
}
