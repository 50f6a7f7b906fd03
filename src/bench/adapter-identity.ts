/**
 * Which GPU a number was measured on, and whether it was a GPU at all. Pure: captured in the browser
 * (src/engine/gpu-device.ts), shown by the adapter panel, printed by the CLI and checked by headless drivers;
 * the one rule for "is this adapter a CPU" (the form's defaults, the gate, the headline and the CLI use it).
 */
import type { RunEnvironment } from '../results/trial';

/** What the browser tells about the WebGPU adapter a run measures on. */
export interface AdapterIdentity {
  /** GPUAdapterInfo's fields; each is '' where the browser withholds it. */
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** GPUAdapterInfo.isFallbackAdapter (a software or otherwise slow adapter); undefined where not exposed. */
  readonly isFallbackAdapter: boolean | undefined;
  /** GPUAdapterInfo's subgroup sizes, where the browser exposes them. */
  readonly subgroupMinSize: number | undefined;
  readonly subgroupMaxSize: number | undefined;
  /**
   * WebGL's unmasked renderer (WEBGL_debug_renderer_info), e.g. `ANGLE (NVIDIA, NVIDIA H200 …, Vulkan)`:
   * the GPU's name where WebGPU withholds its description. It describes WebGL's path, which can differ
   * from WebGPU's, so it names the machine but never decides whether the adapter is software.
   */
  readonly webglRenderer: string | undefined;
  /** Whether the measuring context was cross-origin isolated (finer timers, memory measurement). */
  readonly crossOriginIsolated: boolean;
}

/** Only the identity's fields, from a record that holds more (an adapter summary with its limits). */
export function adapterIdentityOf(record: AdapterIdentity): AdapterIdentity {
  return {
    vendor: record.vendor,
    architecture: record.architecture,
    device: record.device,
    description: record.description,
    isFallbackAdapter: record.isFallbackAdapter,
    subgroupMinSize: record.subgroupMinSize,
    subgroupMaxSize: record.subgroupMaxSize,
    webglRenderer: record.webglRenderer,
    crossOriginIsolated: record.crossOriginIsolated,
  };
}

/** One line naming the adapter: `nvidia / hopper / NVIDIA H200`, WebGL's renderer where WebGPU gives no name. */
export function adapterIdentityLabel(identity: AdapterIdentity): string {
  const parts = [identity.vendor, identity.architecture, identity.device, identity.description].filter(
    (part) => part !== '',
  );
  const webgpu = parts.length > 0 ? parts.join(' / ') : 'unknown adapter';
  return labelShowsWebglRenderer(identity) ? `${webgpu} (WebGL: ${identity.webglRenderer})` : webgpu;
}

function labelShowsWebglRenderer(identity: AdapterIdentity): boolean {
  return identity.description === '' && identity.webglRenderer !== undefined;
}

/** A label's WebGPU names alone: without the WebGL renderer it may end with (which never decides software). */
function labelWebgpuNames(label: string): string {
  return label.replace(/ \(WebGL: .*\)$/, '');
}

/** CPU implementations of graphics APIs, as adapters name them: they run shaders on the CPU. */
const SOFTWARE_RENDERERS: readonly { readonly pattern: RegExp; readonly name: string }[] = [
  { pattern: /swiftshader/i, name: "SwiftShader, Chromium's CPU implementation of Vulkan" },
  { pattern: /llvmpipe/i, name: "llvmpipe, Mesa's CPU renderer" },
  { pattern: /lavapipe/i, name: "lavapipe, Mesa's CPU implementation of Vulkan" },
  { pattern: /microsoft basic render|\bwarp\b/i, name: "WARP, Windows' CPU implementation of Direct3D" },
];

/** What the software rule reads: the adapter's WebGPU names and its fallback flag. */
export type AdapterNames = Pick<
  AdapterIdentity,
  'vendor' | 'architecture' | 'device' | 'description' | 'isFallbackAdapter'
>;

/**
 * Why this adapter's numbers would come from a CPU rather than a GPU, or undefined when it is a hardware
 * adapter. `undefined` identity means the page got no adapter at all.
 */
export function softwareAdapterReason(identity: AdapterNames | undefined): string | undefined {
  if (identity === undefined) return 'the page got no WebGPU adapter';
  const webgpuNames = [identity.vendor, identity.architecture, identity.device, identity.description].join(
    ' ',
  );
  const software = SOFTWARE_RENDERERS.find(({ pattern }) => pattern.test(webgpuNames));
  if (software !== undefined) return `the adapter is ${software.name}`;
  if (identity.isFallbackAdapter === true) return 'the browser marks the adapter as a fallback adapter';
  return undefined;
}

/** Whether the page has an adapter and it is a software one (no adapter yet: false, nothing to judge). */
export function isSoftwareAdapter(identity: AdapterNames | undefined): boolean {
  return identity !== undefined && softwareAdapterReason(identity) !== undefined;
}

/** What a trial record keeps of its adapter: its label always, the identity's names since format version 3. */
export type RecordedAdapter = Pick<
  RunEnvironment,
  | 'adapter'
  | 'adapterVendor'
  | 'adapterArchitecture'
  | 'adapterDevice'
  | 'adapterDescription'
  | 'adapterIsFallback'
>;

/**
 * The same rule for the adapter a trial ran on, from the trial's own identity fields. A record from before
 * them (no names, no fallback flag) is judged by its label, which joins the same names.
 */
export function recordedSoftwareAdapterReason(trial: RecordedAdapter): string | undefined {
  const names = {
    vendor: trial.adapterVendor,
    architecture: trial.adapterArchitecture,
    device: trial.adapterDevice,
    description: trial.adapterDescription,
    isFallbackAdapter: trial.adapterIsFallback,
  };
  const older =
    names.vendor === '' &&
    names.architecture === '' &&
    names.device === '' &&
    names.description === '' &&
    names.isFallbackAdapter === undefined;
  return softwareAdapterReason(older ? { ...names, description: labelWebgpuNames(trial.adapter) } : names);
}

/** An adapter as a headless driver sees it: named, and judged software or hardware by the rule above. */
export type AdapterCheck<Adapter extends AdapterIdentity = AdapterIdentity> =
  CheckedAdapter<Adapter> | { readonly kind: 'unavailable'; readonly reason: string };

export interface CheckedAdapter<Adapter extends AdapterIdentity = AdapterIdentity> {
  readonly kind: 'ready';
  readonly adapter: Adapter;
  readonly label: string;
  /** Why its numbers would come from a CPU; undefined for a hardware adapter. */
  readonly softwareReason: string | undefined;
}

export function checkAdapter<Adapter extends AdapterIdentity>(adapter: Adapter): CheckedAdapter<Adapter> {
  return {
    kind: 'ready',
    adapter,
    label: adapterIdentityLabel(adapter),
    softwareReason: softwareAdapterReason(adapter),
  };
}

/** The identity's details beyond its label, for the CLI's header and the adapter panel. */
export function adapterIdentityDetails(identity: AdapterIdentity): string[] {
  const subgroups =
    identity.subgroupMinSize === undefined || identity.subgroupMaxSize === undefined
      ? undefined
      : identity.subgroupMinSize === identity.subgroupMaxSize
        ? `${identity.subgroupMinSize}`
        : `${identity.subgroupMinSize}–${identity.subgroupMaxSize}`;
  return [
    `fallback adapter: ${identity.isFallbackAdapter === undefined ? 'not exposed' : identity.isFallbackAdapter ? 'yes' : 'no'}`,
    ...(subgroups === undefined ? [] : [`subgroup size: ${subgroups}`]),
    ...(labelShowsWebglRenderer(identity)
      ? []
      : [`WebGL renderer: ${identity.webglRenderer ?? 'not exposed'}`]),
    `cross-origin isolated: ${identity.crossOriginIsolated ? 'yes' : 'no'}`,
  ];
}
