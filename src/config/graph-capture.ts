/**
 * When graph capture can be asked for: the static-KV graph it needs is one the built-in builder writes (fused
 * form), and a captured prefill starts from an empty cache (a context prefix would be another shape to capture).
 */
import type { SweepConfig } from './sweep-config';

export function graphCaptureProblem(
  config: Pick<SweepConfig, 'graphCapture' | 'model' | 'graph' | 'depths'>,
): string | undefined {
  if (!config.graphCapture) return undefined;
  if (config.model.kind !== 'builtin') {
    return 'Graph capture needs a built-in model: it runs the static-KV graph the app builds itself.';
  }
  if (config.graph !== 'fused') return 'Graph capture needs the fused graph form (GroupQueryAttention).';
  if (config.depths.some((depth) => depth > 0)) {
    return 'Graph capture measures fresh prompts only: set the context depth to 0.';
  }
  return undefined;
}
