import type { Page } from '@playwright/test';
import type { TrialRecord, VariantLoadRecord } from '../src/results/trial';

/** The trials the page has recorded so far, as it publishes them for automation. */
export function recordedTrials(page: Page): Promise<TrialRecord[]> {
  return page.evaluate(() => [...(window.ttftBench?.trials ?? [])]);
}

export function recordedLoads(page: Page): Promise<VariantLoadRecord[]> {
  return page.evaluate(() => [...(window.ttftBench?.loads ?? [])]);
}
