/**
 * How the benchmark CLIs and the e2e suite start Chromium (pure: the callers launch it). Without `--gpu`,
 * WebGPU is forced onto SwiftShader, a CPU implementation, so CI machines measure the same thing every time.
 * With `--gpu` the flag sets below are tried in order and the first whose adapter is hardware is used:
 * headless Linux with an NVIDIA GPU reaches it only through ANGLE on Vulkan without a surface, and silently
 * ends on SwiftShader with the platform's defaults.
 */

/** Every launch: WebGPU on, nothing in the background that could disturb a measurement. */
export const BASE_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // measureUserAgentSpecificMemory() answers at once (after its own GC) instead of at the next GC, up to 20 s
  // later: the memory benchmark samples every 25 trials.
  '--enable-blink-features=ForceEagerMeasureMemory',
];

export interface ChromiumFlagSet {
  readonly name: string;
  readonly args: readonly string[];
}

/** The software adapter, on purpose (CI, tests, and any run without --gpu). */
export const SOFTWARE_FLAG_SET: ChromiumFlagSet = {
  name: 'swiftshader',
  args: ['--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'],
};

/** Tried in order with --gpu. */
export const GPU_FLAG_SETS: readonly ChromiumFlagSet[] = [
  {
    // Headless Linux with an NVIDIA GPU (proven on an H200, Chromium 156): without --use-angle=vulkan the
    // GPU process stays on SwiftShader, and without --disable-vulkan-surface Vulkan fails to start (the
    // NVIDIA driver has no VK_EXT_headless_surface) and falls back to SwiftShader.
    name: 'angle-vulkan',
    args: [
      '--use-angle=vulkan',
      '--enable-features=Vulkan',
      '--disable-vulkan-surface',
      '--ignore-gpu-blocklist',
      '--disable-gpu-sandbox',
    ],
  },
  // Whatever the platform picks (Windows, macOS, a Linux desktop with a display).
  { name: 'platform-default', args: [] },
];

export interface ChromiumLaunch {
  readonly flagSet: string;
  /** The whole command line after the executable. */
  readonly args: readonly string[];
  /** What this launch adds to the base flags, for messages. */
  readonly addedArgs: readonly string[];
}

export interface ChromiumLaunchOptions {
  /** Reach a hardware GPU (try GPU_FLAG_SETS) instead of forcing the software adapter. */
  readonly gpu: boolean;
  /** More flags for setups the sets do not cover (`--chrome-arg`), added last so they win. */
  readonly extraArgs?: readonly string[];
}

const FEATURE_SWITCHES = ['--enable-features=', '--disable-features='] as const;

/**
 * One `--enable-features` and one `--disable-features`, holding every feature the arguments name: Chromium
 * reads only the last of a repeated switch, so `--chrome-arg=--enable-features=X` would otherwise drop Vulkan.
 */
export function mergeFeatureSwitches(args: readonly string[]): string[] {
  const features = new Map<string, string[]>();
  const merged: string[] = [];
  for (const arg of args) {
    const prefix = FEATURE_SWITCHES.find((candidate) => arg.startsWith(candidate));
    if (prefix === undefined) {
      merged.push(arg);
      continue;
    }
    let list = features.get(prefix);
    if (list === undefined) {
      list = [];
      features.set(prefix, list);
      merged.push(prefix);
    }
    for (const feature of arg.slice(prefix.length).split(',')) {
      if (feature !== '' && !list.includes(feature)) list.push(feature);
    }
  }
  return merged.map((arg) => {
    const list = features.get(arg);
    return list === undefined ? arg : `${arg}${list.join(',')}`;
  });
}

/** The launches to try, in order: one without --gpu, one per GPU flag set with it. */
export function chromiumLaunches(options: ChromiumLaunchOptions): ChromiumLaunch[] {
  const extra = options.extraArgs ?? [];
  const sets = options.gpu ? GPU_FLAG_SETS : [SOFTWARE_FLAG_SET];
  return sets.map((set) => {
    const addedArgs = mergeFeatureSwitches([...set.args, ...extra]);
    return {
      flagSet: set.name,
      args: mergeFeatureSwitches([...BASE_CHROMIUM_ARGS, ...set.args, ...extra]),
      addedArgs,
    };
  });
}

/** The software adapter's command line (the e2e suite's). */
export function softwareChromiumArgs(): readonly string[] {
  return chromiumLaunches({ gpu: false })[0]!.args;
}

/** The first Chromium found: CHROME_PATH, then Debian's and Google's usual paths. */
export function chromiumExecutable(
  env: Readonly<Record<string, string | undefined>>,
  exists: (path: string) => boolean,
): string {
  const candidates = [
    env['CHROME_PATH'],
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  for (const candidate of candidates) {
    if (candidate !== undefined && candidate !== '' && exists(candidate)) return candidate;
  }
  throw new Error(
    "No Chromium found: install Debian's chromium (apt-get install chromium) or set CHROME_PATH.",
  );
}

/** One launch tried with --gpu and what its page got. */
export interface GpuAttempt {
  readonly launch: ChromiumLaunch;
  /** The adapter's label, or why there was none. */
  readonly adapter: string;
  readonly softwareReason: string;
}

/** Why --gpu gives up: each flag set tried, the adapter it gave, and what to do next. */
export function gpuNotReachedMessage(attempts: readonly GpuAttempt[]): string {
  const lines = attempts.map(
    ({ launch, adapter, softwareReason }) =>
      `  ${launch.flagSet}: ${adapter}: ${softwareReason}\n    flags: ${launch.addedArgs.length === 0 ? '(none beyond the base flags)' : launch.addedArgs.join(' ')}`,
  );
  return [
    `--gpu: no flag set reached a hardware GPU; every one ended on a software adapter (tried ${attempts.length}):`,
    ...lines,
    'Numbers from it would measure a CPU, not a GPU. Check chrome://gpu in this Chromium, add flags for your',
    'setup with --chrome-arg, or leave out --gpu to measure the software adapter on purpose.',
  ].join('\n');
}
