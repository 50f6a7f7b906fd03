import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SWIFTSHADER_ADAPTER as SWIFTSHADER } from '../bench/adapter-fixture';
import type { AdapterSummary } from '../engine/gpu-device';
import { AdapterPanel } from './AdapterPanel';

const render = (adapter: AdapterSummary) =>
  renderToStaticMarkup(createElement(AdapterPanel, { gpu: { kind: 'ready', adapter } }));

describe('the adapter panel', () => {
  it('warns that a software adapter gives numbers from a CPU, and says why', () => {
    const markup = render(SWIFTSHADER);
    expect(markup).toContain('data-testid="software-adapter"');
    expect(markup).toContain('Numbers from a CPU, not a GPU:');
    expect(markup).toContain('the adapter is SwiftShader, Chromium&#x27;s CPU implementation of Vulkan');
  });

  it("names a hardware GPU by WebGL's renderer and shows no warning", () => {
    const markup = render({
      ...SWIFTSHADER,
      vendor: 'nvidia',
      architecture: '',
      isFallbackAdapter: false,
      subgroupMinSize: 32,
      subgroupMaxSize: 32,
      webglRenderer: 'ANGLE (NVIDIA, NVIDIA H200, Vulkan)',
    });
    expect(markup).not.toContain('software-adapter');
    expect(markup).toContain('nvidia (WebGL: ANGLE (NVIDIA, NVIDIA H200, Vulkan))');
    expect(markup).toContain('fallback adapter: no · subgroup size: 32');
    expect(markup).toContain('cross-origin isolated: yes');
  });
});
