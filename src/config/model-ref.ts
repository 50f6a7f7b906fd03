import { PRESET_IDS, type PresetId } from '../model/config';

/** The public Hugging Face Hub; mirrors serve the same URL layout and can be set instead. */
export const DEFAULT_HUB_URL = 'https://huggingface.co';

/**
 * Which model a sweep measures. `builtin`: a preset this app builds with seeded weights. `hub`: a repository
 * in the Hugging Face layout (`revision` is what the user asked for; the commit it resolved to is recorded with
 * every trial). `local`: a folder the user picked; its files never leave the browser.
 */
export type ModelRef =
  | { readonly kind: 'builtin'; readonly preset: PresetId }
  | { readonly kind: 'hub'; readonly id: string; readonly revision: string; readonly hubUrl: string }
  | { readonly kind: 'local'; readonly folderName: string };

export type ModelSourceKind = ModelRef['kind'];

/** How results name the model: the preset id, the repository id, or the folder name. */
export function modelLabel(model: ModelRef): string {
  switch (model.kind) {
    case 'builtin':
      return model.preset;
    case 'hub':
      return model.id;
    case 'local':
      return model.folderName;
  }
}

/** A one-line description for people: where the model comes from, and at which revision. */
export function describeModel(model: ModelRef): string {
  switch (model.kind) {
    case 'builtin':
      return `built-in ${model.preset}`;
    case 'hub':
      return `${model.id}@${model.revision}${model.hubUrl === DEFAULT_HUB_URL ? '' : ` from ${model.hubUrl}`}`;
    case 'local':
      return `local folder ${model.folderName}`;
  }
}

export function isPresetId(text: string): text is PresetId {
  return (PRESET_IDS as readonly string[]).includes(text);
}

// The hub's own rules: names of letters, digits, '-', '_', '.', not starting or ending with '-' or '.', no '--'
// or '..', at most 96 characters; an optional namespace before one '/'.
const REPO_NAME_PART = '[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?';
const REPO_ID = new RegExp(`^(?:${REPO_NAME_PART}/)?${REPO_NAME_PART}$`);

/** Why `text` is not a Hugging Face repository id, or undefined when it is one. */
export function repoIdProblem(text: string): string | undefined {
  if (text.length === 0) return 'type a model id such as onnx-community/Llama-3.2-1B-Instruct-ONNX';
  if (!REPO_ID.test(text) || text.includes('--') || text.includes('..')) {
    return `"${text}" is not a Hugging Face model id (organization/name: letters, digits, "-", "_", ".")`;
  }
  return undefined;
}

/** Branch, tag or commit: no '..', no leading '/', no control characters or spaces. */
export function revisionProblem(text: string): string | undefined {
  if (!/^[A-Za-z0-9._][A-Za-z0-9._/-]{0,199}$/.test(text) || text.includes('..') || text.endsWith('/')) {
    return `"${text}" is not a revision (a branch, tag or commit such as main)`;
  }
  return undefined;
}

/** An http(s) base URL without credentials, query or fragment, normalized without a trailing slash. */
export function normalizeHubUrl(
  text: string,
): { readonly ok: true; readonly url: string } | { readonly ok: false; readonly message: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, message: `"${text}" is not a URL; the hub is for example ${DEFAULT_HUB_URL}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `the hub URL must start with https:// (or http:// for a local mirror)` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'put the access token in the token field, not in the hub URL' };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, message: 'the hub URL takes no query or fragment' };
  }
  return { ok: true, url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}
