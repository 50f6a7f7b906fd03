import { describe, expect, it } from 'vitest';
import { trial } from './trial-fixture';
import { neutralizeFormula, parseTrialsCsv, trialsToCsv, TRIAL_CSV_COLUMNS } from './csv';

/** The CSV of these trials as a version without `column` wrote it (the fixture's cells hold no commas). */
function csvWithout(column: string, trials: Parameters<typeof trialsToCsv>[0]): string {
  const [header, ...rows] = trialsToCsv(trials).split('\r\n');
  const index = header!.split(',').indexOf(column);
  expect(index).toBeGreaterThanOrEqual(0);
  const drop = (line: string) =>
    line
      .split(',')
      .filter((_, i) => i !== index)
      .join(',');
  return [drop(header!), ...rows.filter((row) => row !== '').map(drop)].join('\r\n');
}

describe('trials CSV', () => {
  it('has one header with units and one row per trial', () => {
    const csv = trialsToCsv([trial({}), trial({ quantization: 'q4', phase: 'cold' })]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'run_id,trial_index,model,model_source,model_revision,quantization,prompt_tokens,depth_tokens,prompt_source,phase,repetition,sync_mode,ttft_ms,tokenize_ms,upload_ms,prefill_ms,gpu_wait_ms,gpu_span_ms,readback_ms,sampling_ms,first_token_argmax,token_readback,dispatches,submits,gpu_buffers_created,first_token_id,decode_tokens,decode_loop,decode_ms_per_token_median,decode_ms_per_token_p90,decode_tokens_per_s,decoded_token_ids,weight_seed,lm_head,graph,qkv,accuracy_level,graph_capture,ort_build,ort_validation_mode,ort_buffer_cache,model_sha256,cpu_match,cpu_match_first_token,cpu_match_continuation_pct,cpu_match_top5_overlap_pct,cpu_match_max_abs_logit_delta,adapter,adapter_features,adapter_vendor,adapter_architecture,adapter_device,adapter_description,adapter_is_fallback,subgroup_min_size,subgroup_max_size,webgl_renderer,cross_origin_isolated,max_buffer_size_bytes,max_storage_buffer_binding_size_bytes,browser,os,onnxruntime_web_version,app_version,started_at,overlapped',
    );
    expect(lines).toHaveLength(3);
    expect(TRIAL_CSV_COLUMNS).toHaveLength(66);
  });

  it('round-trips commas, quotes and newlines in text cells', () => {
    const original = [
      trial({ adapter: 'Acme, Inc. "Turbo"\nGPU', browser: 'Chrome; "quoted", yes', ttftMs: 12.346 }),
      trial({ promptSource: 'custom', phase: 'warmup', repetition: 2, gpuSpanMs: undefined }),
      trial({
        decodeTokens: 3,
        decodeMsPerTokenMedian: 4.5,
        decodeMsPerTokenP90: 6,
        decodeTokensPerSecond: 222.2,
        decodedTokenIds: '5 6 7',
      }),
    ];
    expect(parseTrialsCsv(trialsToCsv(original))).toEqual(original);
  });

  it('writes durations to the microsecond and rates to hundredths, not float noise', () => {
    const csv = trialsToCsv([
      trial({ ttftMs: 9802.01000000001, gpuSpanMs: 0.1234567, decodeTokensPerSecond: 57.77777 }),
    ]);
    const [header, row] = csv.split('\r\n');
    const cells = Object.fromEntries(header!.split(',').map((column, i) => [column, row!.split(',')[i]]));
    expect(cells['ttft_ms']).toBe('9802.01');
    expect(cells['gpu_span_ms']).toBe('0.123');
    expect(cells['decode_tokens_per_s']).toBe('57.78');
    const [parsed] = parseTrialsCsv(csv);
    expect(parsed!.ttftMs).toBe(9802.01);
  });

  it('neutralizes cells a spreadsheet would run as formulas', () => {
    const csv = trialsToCsv([trial({ adapter: '=HYPERLINK("http://evil")', browser: '@SUM(A1)' })]);
    const [parsed] = parseTrialsCsv(csv);
    expect(parsed!.adapter).toBe(`'=HYPERLINK("http://evil")`);
    expect(parsed!.browser).toBe(`'@SUM(A1)`);
    for (const prefix of ['=', '+', '-', '@', '\t', '\r'])
      expect(neutralizeFormula(`${prefix}1`)).toBe(`'${prefix}1`);
    expect(neutralizeFormula('Chrome')).toBe('Chrome');
  });

  it('reads files written before the lm_head column, with its old meaning (every position)', () => {
    const old = csvWithout('lm_head', [trial({ lmHead: 'last' })]);
    expect(parseTrialsCsv(old)[0]!.lmHead).toBe('all');
    expect(parseTrialsCsv(trialsToCsv([trial({ lmHead: 'last' })]))[0]!.lmHead).toBe('last');
  });

  it('reads files written before the graph column as the plain graph, which was all the builder wrote', () => {
    const old = csvWithout('graph', [trial({ graph: 'fused' })]);
    expect(parseTrialsCsv(old)[0]!.graph).toBe('plain');
    expect(parseTrialsCsv(trialsToCsv([trial({ graph: 'fused' })]))[0]!.graph).toBe('fused');
  });

  it('writes the accuracy level read from the graph, an empty cell where it has no MatMulNBits', () => {
    const trials = [
      trial({ quantization: 'q4', accuracyLevel: 4 }),
      trial({ quantization: 'q4', accuracyLevel: 0 }),
      trial({ quantization: 'fp32', accuracyLevel: undefined }),
    ];
    const csv = trialsToCsv(trials);
    const [header, ...rows] = csv.split('\r\n');
    const index = header!.split(',').indexOf('accuracy_level');
    expect(rows.slice(0, 3).map((row) => row.split(',')[index])).toEqual(['4', '0', '']);
    expect(parseTrialsCsv(csv).map((read) => read.accuracyLevel)).toEqual([4, 0, undefined]);
    expect(() => parseTrialsCsv(csv.replace(',4,', ',5,'))).toThrow(/CSV row 1, column accuracy_level/);
  });

  it('reads files written before the accuracy_level column as level 0, which was all the builder wrote', () => {
    const old = csvWithout('accuracy_level', [trial({ quantization: 'q4', accuracyLevel: 4 })]);
    expect(parseTrialsCsv(old)[0]!.accuracyLevel).toBe(0);
  });

  it('names the row and column of bad input', () => {
    const csv = trialsToCsv([trial({}), trial({})]).replace(/,warm,/g, ',hot,');
    expect(() => parseTrialsCsv(csv)).toThrow(/CSV row 1, column phase/);
    expect(() => parseTrialsCsv('a,b\n1,2')).toThrow(/missing columns: run_id/);
  });
});
