/**
 * Where onnxruntime ran a variant's nodes, as onnxruntime itself reported it while creating the session: per
 * execution provider, its node count and op types. Recorded with the variant's load; older files lack it.
 */
import { z } from 'zod';

export interface OpCount {
  readonly opType: string;
  readonly count: number;
}

export interface ProviderNodes {
  /** onnxruntime's name: `WebGpuExecutionProvider`, `CPUExecutionProvider`. */
  readonly provider: string;
  readonly nodes: number;
  /** Op types with counts, most first; empty when onnxruntime did not list them (all nodes on one provider). */
  readonly ops: readonly OpCount[];
}

export interface NodePlacement {
  readonly providers: readonly ProviderNodes[];
  /** Op types the WebGPU provider has no kernel for, as onnxruntime said while partitioning (node counts). */
  readonly noWebGpuKernel: readonly OpCount[];
}

/** What a variant's load says about placement: measured, or why not. */
export type PlacementReport =
  | ({ readonly kind: 'measured' } & NodePlacement)
  | { readonly kind: 'not measured'; readonly reason: string };

const opName = z.string().min(1).max(200);
const opCountSchema = z.object({ opType: opName, count: z.number().int().min(1) });

export const placementReportSchema: z.ZodType<PlacementReport> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('measured'),
    providers: z
      .array(
        z.object({
          provider: opName,
          nodes: z.number().int().nonnegative(),
          ops: z.array(opCountSchema).max(2000),
        }),
      )
      .max(16),
    noWebGpuKernel: z.array(opCountSchema).max(2000),
  }),
  z.object({ kind: z.literal('not measured'), reason: z.string().max(2000) }),
]);
