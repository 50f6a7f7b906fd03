import type { VariantLoadRecord } from '../results/trial';
import { formatBytes } from './SweepForm';

export function LoadTable({ loads }: { readonly loads: readonly VariantLoadRecord[] }) {
  return (
    <div className="table-scroll">
      <table data-testid="load-table">
        <thead>
          <tr>
            <th scope="col">quantization</th>
            <th scope="col">model size</th>
            <th scope="col">build (ms)</th>
            <th scope="col">session creation (ms)</th>
          </tr>
        </thead>
        <tbody>
          {loads.map((load) => (
            <tr key={load.quantization}>
              <td>{load.quantization}</td>
              <td>{formatBytes(load.modelBytes)}</td>
              <td>{load.buildMs.toFixed(0)}</td>
              <td>{load.sessionCreateMs.toFixed(0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
