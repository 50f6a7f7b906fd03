import { describe, expect, it } from 'vitest';
import { featuresToRequest } from './device-features';

const ALL = new Set(['shader-f16', 'timestamp-query', 'subgroups', 'texture-compression-bc']);

describe('the features the app asks its GPUDevice for', () => {
  it("are the adapter's features onnxruntime uses, and nothing it lacks", () => {
    expect(featuresToRequest({ features: ALL, subgroupMinSize: 32 })).toEqual([
      'shader-f16',
      'timestamp-query',
      'subgroups',
    ]);
    expect(featuresToRequest({ features: new Set(['timestamp-query']), subgroupMinSize: 32 })).toEqual([
      'timestamp-query',
    ]);
  });

  it("leave out subgroups narrower than 8 lanes (SwiftShader's 4), where onnxruntime's flash attention is wrong", () => {
    expect(featuresToRequest({ features: ALL, subgroupMinSize: 4 })).toEqual([
      'shader-f16',
      'timestamp-query',
    ]);
    expect(featuresToRequest({ features: ALL, subgroupMinSize: 8 })).toContain('subgroups');
    // A browser that does not report the size keeps the feature, as before.
    expect(featuresToRequest({ features: ALL, subgroupMinSize: undefined })).toContain('subgroups');
  });
});
