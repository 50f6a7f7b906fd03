import { describe, expect, it } from 'vitest';
import {
  BASE_CHROMIUM_ARGS,
  chromiumExecutable,
  chromiumLaunches,
  gpuNotReachedMessage,
  mergeFeatureSwitches,
  softwareChromiumArgs,
} from './chromium-flags';

describe('chromiumLaunches', () => {
  it('without --gpu forces SwiftShader, once, as CI has always run', () => {
    const launches = chromiumLaunches({ gpu: false });
    expect(launches.map((launch) => launch.flagSet)).toEqual(['swiftshader']);
    expect(launches[0]!.args).toEqual([
      ...BASE_CHROMIUM_ARGS,
      '--use-webgpu-adapter=swiftshader',
      '--enable-features=Vulkan',
    ]);
    expect(softwareChromiumArgs()).toEqual(launches[0]!.args);
  });

  it('with --gpu tries ANGLE on Vulkan without a surface first, then the platform default', () => {
    const launches = chromiumLaunches({ gpu: true });
    expect(launches.map((launch) => launch.flagSet)).toEqual(['angle-vulkan', 'platform-default']);
    const [angle, platform] = launches;
    for (const flag of ['--use-angle=vulkan', '--disable-vulkan-surface', '--ignore-gpu-blocklist'])
      expect(angle!.args).toContain(flag);
    expect(angle!.args).toContain('--enable-features=Vulkan');
    expect(platform!.args).toEqual(BASE_CHROMIUM_ARGS);
    for (const launch of launches) {
      expect(launch.args.some((arg) => arg.startsWith('--use-webgpu-adapter'))).toBe(false);
    }
  });

  it('adds --chrome-arg flags last to every set, so they win over the set', () => {
    const launches = chromiumLaunches({ gpu: true, extraArgs: ['--use-angle=gl', '--foo'] });
    for (const launch of launches) {
      expect(launch.args.slice(-2)).toEqual(['--use-angle=gl', '--foo']);
      expect(launch.addedArgs.slice(-2)).toEqual(['--use-angle=gl', '--foo']);
    }
    expect(chromiumLaunches({ gpu: false, extraArgs: ['--foo'] })[0]!.args.at(-1)).toBe('--foo');
  });

  it('keeps Vulkan on when --chrome-arg enables another feature', () => {
    const [angle] = chromiumLaunches({ gpu: true, extraArgs: ['--enable-features=WebGPUDeveloperFeatures'] });
    expect(angle!.args.filter((arg) => arg.startsWith('--enable-features='))).toEqual([
      '--enable-features=Vulkan,WebGPUDeveloperFeatures',
    ]);
  });
});

describe('mergeFeatureSwitches', () => {
  it('folds repeated feature switches into the first, without duplicates or empty names', () => {
    expect(
      mergeFeatureSwitches([
        '--a',
        '--enable-features=X,Y',
        '--disable-features=P',
        '--enable-features=Y,,Z',
        '--b',
        '--disable-features=Q',
      ]),
    ).toEqual(['--a', '--enable-features=X,Y,Z', '--disable-features=P,Q', '--b']);
  });

  it('leaves other switches, repeated or not, as they are', () => {
    expect(mergeFeatureSwitches(['--x=1', '--x=2', '--enable-blink-features=A'])).toEqual([
      '--x=1',
      '--x=2',
      '--enable-blink-features=A',
    ]);
  });
});

describe('chromiumExecutable', () => {
  it('prefers CHROME_PATH, then the first usual path that exists', () => {
    const exists = (path: string) => ['/opt/c/chrome', '/usr/bin/google-chrome'].includes(path);
    expect(chromiumExecutable({ CHROME_PATH: '/opt/c/chrome' }, exists)).toBe('/opt/c/chrome');
    expect(chromiumExecutable({ CHROME_PATH: '' }, exists)).toBe('/usr/bin/google-chrome');
    expect(chromiumExecutable({ CHROME_PATH: '/missing' }, exists)).toBe('/usr/bin/google-chrome');
  });

  it('says how to get one when none exists', () => {
    expect(() => chromiumExecutable({}, () => false)).toThrow(/apt-get install chromium.*CHROME_PATH/);
  });
});

describe('gpuNotReachedMessage', () => {
  it('names every flag set tried, its adapter and why it is not a GPU', () => {
    const [angle, platform] = chromiumLaunches({ gpu: true });
    const message = gpuNotReachedMessage([
      {
        launch: angle!,
        adapter: 'google / swiftshader',
        softwareReason: "the adapter is SwiftShader, Chromium's CPU implementation of Vulkan",
      },
      { launch: platform!, adapter: 'no adapter', softwareReason: 'the page got no WebGPU adapter' },
    ]);
    expect(message).toContain('--gpu: no flag set reached a hardware GPU');
    expect(message).toContain(
      "  angle-vulkan: google / swiftshader: the adapter is SwiftShader, Chromium's CPU implementation of Vulkan\n" +
        '    flags: --use-angle=vulkan --enable-features=Vulkan --disable-vulkan-surface --ignore-gpu-blocklist --disable-gpu-sandbox',
    );
    expect(message).toContain(
      '  platform-default: no adapter: the page got no WebGPU adapter\n    flags: (none beyond the base flags)',
    );
    expect(message).toContain('--chrome-arg');
  });
});
