import { describe, expect, it } from 'vitest';
import {
  antiFramingHeaders,
  buildContentSecurityPolicy,
  DEFAULT_HUB_SOURCES,
  directiveSources,
  hubBlockedByPolicy,
  sourcesAllow,
} from './csp';

const policy = buildContentSecurityPolicy(DEFAULT_HUB_SOURCES);
const page = 'https://example.github.io';

describe('content security policy', () => {
  it('allows scripts only from the page, plus wasm compilation, and no plugins', () => {
    expect(directiveSources(policy, 'script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directiveSources(policy, 'object-src')).toEqual(["'none'"]);
    expect(policy).not.toContain("'unsafe-eval'");
    // A directive the policy leaves out falls back to default-src.
    expect(directiveSources(policy, 'manifest-src')).toEqual(["'self'"]);
  });

  it('lets the page reach itself, the hub and its CDNs, and loopback mirrors, nothing else', () => {
    const sources = directiveSources(policy, 'connect-src')!;
    for (const url of [
      `${page}/assets/ort.wasm`,
      'https://huggingface.co/api/models/org/name',
      'https://cdn-lfs.huggingface.co/repos/x',
      'https://cas-bridge.xethub.hf.co/xet-bridge-us/abc',
      'http://127.0.0.1:41234/api/models/org/name',
      'http://localhost:8080/x',
    ]) {
      expect(sourcesAllow(sources, url, page), url).toBe(true);
    }
    for (const url of [
      'https://evil.example/steal',
      'http://huggingface.co/api',
      'https://huggingface.co.evil.example/x',
      'https://hf.co.evil/x',
      'not a url',
    ]) {
      expect(sourcesAllow(sources, url, page), url).toBe(false);
    }
  });

  it('forbids framing where it can: in the header form only, with X-Frame-Options for older browsers', () => {
    // Browsers ignore frame-ancestors in a <meta> policy (and warn), so the meta form leaves it out.
    expect(policy).not.toContain('frame-ancestors');
    const headers = antiFramingHeaders(DEFAULT_HUB_SOURCES);
    expect(headers['X-Frame-Options']).toBe('DENY');
    const headerPolicy = headers['Content-Security-Policy']!;
    expect(directiveSources(headerPolicy, 'frame-ancestors')).toEqual(["'none'"]);
    // Everything else is the same policy the page carries.
    expect(headerPolicy).toBe(`${policy}; frame-ancestors 'none'`);
  });

  it('explains a hub the policy forbids, and says nothing without a policy', () => {
    expect(hubBlockedByPolicy(policy, 'https://huggingface.co', page)).toBeUndefined();
    expect(hubBlockedByPolicy(undefined, 'https://mirror.example', page)).toBeUndefined();
    expect(hubBlockedByPolicy(policy, 'https://mirror.example/hf', page)).toMatch(
      /may only download from .*huggingface\.co.*TTFT_BENCH_HUB_SOURCES="https:\/\/mirror\.example"/,
    );
  });
});
