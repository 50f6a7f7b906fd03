/**
 * The page's Content-Security-Policy: only this origin's scripts (plus WebAssembly compilation for
 * onnxruntime), workers from this origin, and network access to this origin and the model hubs. Built into
 * index.html at build time; the hub hosts are a build setting because hub mirrors exist.
 */

/** huggingface.co and the CDNs its `resolve` URLs redirect to; loopback for local mirrors and tests. */
export const DEFAULT_HUB_SOURCES: readonly string[] = [
  'https://huggingface.co',
  'https://*.huggingface.co',
  'https://*.hf.co',
  'http://127.0.0.1:*',
  'http://localhost:*',
];

/**
 * How the policy reaches the browser. A `<meta>` tag cannot carry `frame-ancestors` (browsers ignore it there,
 * with a console warning), so only the header form forbids framing; hosts that can send headers should.
 */
export type PolicyDelivery = 'meta' | 'header';

/** Headers a server sends with the page so no other site can frame it (clickjacking, unseen runs). */
export function antiFramingHeaders(hubSources: readonly string[]): Record<string, string> {
  return {
    'Content-Security-Policy': buildContentSecurityPolicy(hubSources, 'header'),
    // For browsers that predate frame-ancestors.
    'X-Frame-Options': 'DENY',
  };
}

export function buildContentSecurityPolicy(
  hubSources: readonly string[],
  delivery: PolicyDelivery = 'meta',
): string {
  const directives: Record<string, readonly string[]> = {
    'default-src': ["'self'"],
    // onnxruntime-web compiles its WebAssembly at run time; nothing else is evaluated.
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'worker-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", 'blob:', 'data:', ...hubSources],
    // Chart export draws the chart's SVG through a blob: image.
    'img-src': ["'self'", 'blob:', 'data:'],
    // recharts and the chart export set style attributes.
    'style-src': ["'self'", "'unsafe-inline'"],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'none'"],
    ...(delivery === 'header' ? { 'frame-ancestors': ["'none'"] } : {}),
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The sources of one directive of a policy (falling back to default-src, as browsers do). */
export function directiveSources(policy: string, directive: string): string[] | undefined {
  const parsed = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name !== undefined && name !== '' && !parsed.has(name.toLowerCase()))
      parsed.set(name.toLowerCase(), sources);
  }
  return parsed.get(directive) ?? parsed.get('default-src');
}

function hostMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return pattern === host;
}

/** Whether a URL may be fetched under these sources (CSP host-source matching, the subset this app uses). */
export function sourcesAllow(sources: readonly string[], url: string, pageOrigin: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  return sources.some((source) => {
    if (source === "'self'") return target.origin === pageOrigin;
    if (source === '*') return true;
    const match = /^(https?):\/\/([^/:]+)(?::(\d+|\*))?\/?$/.exec(source);
    if (match === null) return false;
    const [, scheme, host, port] = match;
    if (`${scheme}:` !== target.protocol || !hostMatches(host!, target.hostname)) return false;
    if (port === '*') return true;
    const defaultPort = target.protocol === 'https:' ? '443' : '80';
    return (port ?? defaultPort) === (target.port === '' ? defaultPort : target.port);
  });
}

/**
 * A message when the page's policy forbids fetching from this hub, instead of an opaque network error.
 * `policy` is undefined where the page has none (the dev server).
 */
export function hubBlockedByPolicy(
  policy: string | undefined,
  hubUrl: string,
  pageOrigin: string,
): string | undefined {
  if (policy === undefined) return undefined;
  const sources = directiveSources(policy, 'connect-src');
  if (sources === undefined || sourcesAllow(sources, hubUrl, pageOrigin)) return undefined;
  return (
    `This build of ttft-bench may only download from ${sources.filter((s) => s !== 'blob:' && s !== 'data:').join(', ')} ` +
    `(its Content-Security-Policy); ${hubUrl} is not one of them. Rebuild with TTFT_BENCH_HUB_SOURCES="${new URL(hubUrl).origin}" to allow it.`
  );
}
