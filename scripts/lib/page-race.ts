/** Drives the race page: opens race.html, streams its progress lines, returns its response. */
import type { Page } from 'playwright-core';
import type { RaceResponse } from '../../src/race/main';

export async function runPageRace(
  page: Page,
  baseUrl: string,
  config: unknown,
  onProgress: (line: string) => void = () => undefined,
): Promise<RaceResponse> {
  await page.exposeFunction('ttftRaceProgress', onProgress);
  await page.goto(new URL('race.html', baseUrl).href);
  await page.waitForFunction(() => window.ttftRace !== undefined);
  return page.evaluate(async (input) => {
    const race = window.ttftRace;
    if (race === undefined) throw new Error('the race page did not start');
    return race.run(input);
  }, config);
}
