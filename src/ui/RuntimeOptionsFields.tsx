import {
  BUFFER_CACHE_MODES,
  ORT_BUILDS,
  VALIDATION_MODES,
  type RuntimeOptions,
} from '../config/sweep-config';

const LABELS = {
  ortBuild: { asyncify: 'Asyncify (onnxruntime-web/webgpu)', jspi: 'JSPI (smaller wasm, no Asyncify)' },
  validationMode: { basic: "basic (onnxruntime's default)", wgpuOnly: 'WebGPU only' },
  bufferCache: { bucket: "bucket (onnxruntime's default)", simple: 'simple (keep every size)' },
} as const;

interface RuntimeOptionsFieldsProps {
  readonly runtime: RuntimeOptions;
  readonly disabled: boolean;
  readonly onChange: (runtime: RuntimeOptions) => void;
}

/** onnxruntime-web's settings for a run: folded away, since the defaults are what most people measure. */
export function RuntimeOptionsFields({ runtime, disabled, onChange }: RuntimeOptionsFieldsProps) {
  const select = <K extends keyof RuntimeOptions>(
    key: K,
    label: string,
    values: readonly RuntimeOptions[K][],
  ) => (
    <label>
      {label}{' '}
      <select
        value={runtime[key]}
        disabled={disabled}
        data-testid={`runtime-${key}`}
        onChange={(event) => {
          const value = values.find((candidate) => candidate === event.target.value);
          if (value !== undefined) onChange({ ...runtime, [key]: value });
        }}
      >
        {values.map((value) => (
          <option key={value} value={value}>
            {(LABELS[key] as Record<string, string>)[value] ?? value}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <details>
      <summary>onnxruntime-web options</summary>
      {select('ortBuild', 'Build', ORT_BUILDS)}
      {select('validationMode', 'Validation', VALIDATION_MODES)}
      {select('bufferCache', 'Storage-buffer cache', BUFFER_CACHE_MODES)}
    </details>
  );
}
