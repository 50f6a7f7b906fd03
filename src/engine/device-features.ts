/**
 * Which adapter features the app's GPUDevice asks for: those onnxruntime's WebGPU EP uses when present, so its
 * behaviour is what it would be on its own device — except subgroups of fewer than 8 lanes. onnxruntime-web 1.30's
 * flash attention (GroupQueryAttention's prefill, bert/flash_attention.wgsl.template) handles subgroups of 8 or
 * more lanes and otherwise reads lanes that do not exist: on SwiftShader (4 lanes) the fused graph's first token
 * differs from the reference at most prompt lengths; without the feature onnxruntime takes a path that is right.
 */
export const WANTED_FEATURES: readonly GPUFeatureName[] = [
  'shader-f16',
  'timestamp-query',
  'subgroups' as GPUFeatureName,
  // Chromium's experimental matrix units (they need `subgroups`): the roofline's peak kernels use them, and
  // onnxruntime 1.30 does for f16 in the shapes Apple and Intel GPUs offer.
  'chromium-experimental-subgroup-matrix' as GPUFeatureName,
  'chromium-experimental-timestamp-query-inside-passes' as GPUFeatureName,
];

/** Features that are only valid with `subgroups`. */
const NEEDS_SUBGROUPS: ReadonlySet<string> = new Set(['subgroups', 'chromium-experimental-subgroup-matrix']);

/** The fewest subgroup lanes onnxruntime-web 1.30's flash attention computes correctly with. */
export const MIN_SUBGROUP_LANES = 8;

export interface AdapterFeatureFacts {
  readonly features: ReadonlySet<string>;
  /** `GPUAdapterInfo.subgroupMinSize`; undefined where the browser does not say. */
  readonly subgroupMinSize: number | undefined;
}

export function featuresToRequest({ features, subgroupMinSize }: AdapterFeatureFacts): GPUFeatureName[] {
  const narrowSubgroups = subgroupMinSize !== undefined && subgroupMinSize < MIN_SUBGROUP_LANES;
  return WANTED_FEATURES.filter(
    (feature) => features.has(feature) && !(NEEDS_SUBGROUPS.has(feature) && narrowSubgroups),
  );
}
