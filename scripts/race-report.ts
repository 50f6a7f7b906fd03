/** The race's printed report (bench:race and the GPU kit's summary print the same). */
import type { RaceEnvironment } from '../src/race/main';
import type { RaceCell, RaceRatio } from '../src/race/race-summary';

const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(1));
const ratio = (value: RaceRatio | undefined) =>
  value === undefined ? '—' : `${value.ofMedians.toFixed(3)} (${value.pairedMedian.toFixed(3)})`;

/** The race's table: median TTFT per contender and the engine's ratios, per quantization and length. */
export function raceTableLines(cells: readonly RaceCell[]): string[] {
  const lines: string[] = [];
  lines.push(
    '| quant | test   | engine (ms) | floor (ms) | transformers.js (ms) | engine / floor | engine / transformers.js | engine before run (ms) | same first token |',
  );
  lines.push(
    '| ----- | ------ | ----------: | ---------: | -------------------: | -------------: | -----------------------: | ---------------------: | ---------------- |',
  );
  for (const cell of cells) {
    const median = (name: string) => cell.contenders.find((c) => c.contender === name)?.ttft.median;
    lines.push(
      `| ${cell.quantization.padEnd(5)} | pp${String(cell.promptTokens).padEnd(4)} | ${ms(median('engine')).padStart(11)} | ${ms(median('floor')).padStart(10)} | ${ms(median('transformers.js')).padStart(20)} | ${ratio(cell.engineOverFloor).padStart(14)} | ${ratio(cell.engineOverTransformersJs).padStart(24)} | ${ms(cell.engineBeforeRunMs).padStart(22)} | ${cell.sameFirstToken ? 'yes' : 'NO'} |`,
    );
  }
  lines.push('\nratios: of the medians (median of same-round ratios); below 1 the engine is faster');
  lines.push(
    "engine before run: the engine's tokenizing and input building, timed inside its trials (median)",
  );
  return lines;
}

/** The targets for the engine's ratios, met or missed, per cell where they apply. */
export function raceTargetLines(cells: readonly RaceCell[]): string[] {
  const lines: string[] = [];
  for (const cell of cells) {
    const floor = cell.engineOverFloor?.ofMedians;
    if (floor !== undefined && cell.promptTokens >= 256) {
      lines.push(
        `target engine/floor ≤ 1.02 at ${cell.quantization} pp${cell.promptTokens}: ${floor.toFixed(3)} ${floor <= 1.02 ? 'met' : 'MISSED'}`,
      );
    }
    const theirs = cell.engineOverTransformersJs?.ofMedians;
    if (theirs !== undefined && cell.promptTokens >= 512) {
      lines.push(
        `target engine/transformers.js ≤ 0.8 at ${cell.quantization} pp${cell.promptTokens}: ${theirs.toFixed(3)} ${theirs <= 0.8 ? 'met' : 'MISSED'}`,
      );
    }
  }
  return lines;
}

/** Which engine and which floor ran: the versions the race page reports. */
export function raceEnginesLine(environment: RaceEnvironment): string {
  return `engine and floor: onnxruntime-web ${environment.engineOnnxruntimeWeb}; transformers.js ${environment.transformersJs} on onnxruntime-web ${environment.transformersJsOnnxruntimeWeb}`;
}
