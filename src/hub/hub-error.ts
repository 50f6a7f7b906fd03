/**
 * Everything that can go wrong between the user's input and a loaded session, as one error type whose message
 * says what happened and what to do. The UI shows `message` as is.
 */
export type HubErrorKind =
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'unreachable'
  | 'server'
  | 'rate-limited'
  | 'truncated'
  | 'integrity'
  | 'stalled'
  | 'invalid-response'
  | 'no-onnx'
  | 'unsupported-model'
  | 'missing-file'
  | 'invalid-model'
  | 'unsupported-operator'
  | 'too-large';

export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly kind: HubErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The message for an HTTP error status while fetching `what` (e.g. `model "org/name"`). */
export function httpStatusError(status: number, what: string, hubUrl: string): HubError {
  if (status === 404) {
    return new HubError(
      'not-found',
      `${what} was not found on ${hubUrl} (404). Check the spelling and revision.`,
    );
  }
  if (status === 401) {
    return new HubError(
      'unauthorized',
      `${hubUrl} refused ${what} without credentials (401): the repository is gated or private, or does not ` +
        `exist. If it exists, accept its terms on the hub and paste an access token with read access.`,
    );
  }
  if (status === 403) {
    return new HubError(
      'forbidden',
      `${hubUrl} refused ${what} with this token (403): accept the model's terms on its hub page, or use a ` +
        `token with read access to it.`,
    );
  }
  if (status === 429) {
    return new HubError(
      'rate-limited',
      `${hubUrl} is rate-limiting requests (429); wait a minute and retry.`,
    );
  }
  if (status >= 500) {
    return new HubError('server', `${hubUrl} failed to serve ${what} (HTTP ${status}); try again later.`);
  }
  return new HubError('invalid-response', `${hubUrl} answered HTTP ${status} for ${what}.`);
}

export function unreachableError(hubUrl: string, cause: unknown): HubError {
  const detail = cause instanceof Error && cause.message !== '' ? ` (${cause.message})` : '';
  return new HubError(
    'unreachable',
    `Could not reach ${hubUrl}${detail}. Check the connection and the hub URL setting; a mirror must allow ` +
      `cross-origin requests from this page.`,
    { cause },
  );
}
