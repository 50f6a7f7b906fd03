/**
 * The browser's own memory measurement, `performance.measureUserAgentSpecificMemory()` (Chromium, in
 * cross-origin-isolated pages): its result read at the boundary and split into what the page's JS, the
 * engine worker's JS and everything else (DOM, shared, unattributed) hold.
 */
import { z } from 'zod';

const attributionSchema = z.object({ url: z.string().optional(), scope: z.string().optional() });
const memoryResultSchema = z.object({
  bytes: z.number().nonnegative(),
  breakdown: z.array(
    z.object({
      bytes: z.number().nonnegative(),
      attribution: z.array(attributionSchema),
      types: z.array(z.string()),
    }),
  ),
});

export interface UserAgentMemory {
  readonly totalBytes: number;
  /** JavaScript attributed to the page's window. */
  readonly pageBytes: number;
  /** JavaScript attributed to the engine worker (onnxruntime, the tokenizer, the sweep runner). */
  readonly engineWorkerBytes: number;
  /** DOM, shared and unattributed memory, and other workers. */
  readonly otherBytes: number;
}

/** `engineWorkerUrlPart`: a piece of the engine worker script's URL (its name survives hashing). */
export function readUserAgentMemory(
  result: unknown,
  engineWorkerUrlPart = 'engine.worker',
): UserAgentMemory | { readonly error: string } {
  const parsed = memoryResultSchema.safeParse(result);
  if (!parsed.success) return { error: `not a memory measurement: ${parsed.error.issues[0]?.message}` };
  let pageBytes = 0;
  let engineWorkerBytes = 0;
  for (const entry of parsed.data.breakdown) {
    const [only, ...more] = entry.attribution;
    if (only === undefined || more.length > 0) continue;
    if (only.scope === 'Window') pageBytes += entry.bytes;
    else if (only.scope === 'DedicatedWorkerGlobalScope' && only.url?.includes(engineWorkerUrlPart))
      engineWorkerBytes += entry.bytes;
  }
  const totalBytes = parsed.data.bytes;
  return { totalBytes, pageBytes, engineWorkerBytes, otherBytes: totalBytes - pageBytes - engineWorkerBytes };
}
