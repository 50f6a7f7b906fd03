import { expect, type Page } from '@playwright/test';

/** Records every Content-Security-Policy violation the page reports, from its first script on. */
export async function watchCspViolations(
  page: Page,
  { expectEngineWorker = true }: { expectEngineWorker?: boolean } = {},
): Promise<() => Promise<void>> {
  await page.addInitScript(() => {
    const violations: string[] = [];
    Object.assign(window, { cspViolations: violations });
    document.addEventListener('securitypolicyviolation', (event) => {
      violations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  const engineWorkerPolicies: (string | undefined)[] = [];
  page.on('response', (response) => {
    if (/engine\.worker-[^/]*\.js$/.test(new URL(response.url()).pathname))
      engineWorkerPolicies.push(response.headers()['content-security-policy']);
  });
  return async () => {
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    // Workers take their policy from response headers, not the page's meta tag: the engine worker's script
    // must arrive under the same policy.
    if (expectEngineWorker)
      expect(engineWorkerPolicies, 'the engine worker script was loaded').not.toEqual([]);
    // The header adds what a meta tag cannot carry: no site may frame the page.
    for (const workerPolicy of engineWorkerPolicies)
      expect(workerPolicy).toBe(`${policy}; frame-ancestors 'none'`);
    const violations = await page.evaluate(
      () => (window as unknown as { cspViolations: string[] }).cspViolations,
    );
    expect(violations).toEqual([]);
  };
}
