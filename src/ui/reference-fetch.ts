import { errorMessage } from '../error-message';
import type { ImportResult } from '../report/compared-run';
import { REFERENCE_GPU, referenceRunFromJson, type ReferenceChoice } from '../report/reference-run';

/** The shipped files are 60–250 KB; anything far larger is not one of them. */
const MAX_REFERENCE_BYTES = 8 << 20;

/**
 * Fetches a shipped reference run from the page's own origin (never from anywhere else) and reads it through
 * the app's run schema. Never throws: a missing or damaged file is a message.
 */
export async function fetchReference(choice: ReferenceChoice): Promise<ImportResult> {
  const failed = (why: string): ImportResult => ({
    ok: false,
    message: `The ${REFERENCE_GPU} reference (${choice.path}) could not be loaded: ${why}`,
  });
  const url = new URL(`${import.meta.env.BASE_URL}${choice.path}`, document.baseURI);
  if (url.origin !== window.location.origin) return failed(`${url.origin} is not this page's origin.`);
  try {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) return failed(`the server answered ${response.status} ${response.statusText}.`);
    const text = await response.text();
    if (text.length > MAX_REFERENCE_BYTES) return failed('the file is far larger than a reference run.');
    return referenceRunFromJson(text, choice);
  } catch (error) {
    return failed(errorMessage(error));
  }
}
