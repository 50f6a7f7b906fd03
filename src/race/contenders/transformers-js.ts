/**
 * transformers.js on WebGPU, used the way its documentation shows: `from_pretrained` from the hub (here the
 * same repository and commit the engine measures), the tokenizer called on the prompt text, `generate` with
 * `max_new_tokens: 1`, and the first token taken from its streamer. It runs on the onnxruntime-web build it
 * ships with (its own copy, its own GPUDevice); only the wasm file is served from this app, not a CDN.
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  Tensor,
  TextStreamer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import type { Contender } from '../contender';
import { transformersDtypeOfModelPath } from '../transformers-dtype';

/** Where copy-assets puts the wasm of the onnxruntime-web build transformers.js depends on. */
const TRANSFORMERS_ORT_WASM = 'race/transformers-ort/ort-wasm-simd-threaded.asyncify.wasm';

export interface TransformersJsSource {
  readonly hubUrl: string;
  readonly modelId: string;
  readonly commit: string;
  /** `onnx/model.onnx` → fp32, `onnx/model_q4.onnx` → q4: transformers.js names files by its dtype. */
  readonly modelPath: string;
  readonly externalDataFiles: number;
}

export function transformersJsVersions(): { transformersJs: string; onnxruntimeWeb: string } {
  return { transformersJs: env.version, onnxruntimeWeb: env.backends.onnx.versions?.web ?? 'unknown' };
}

function configureTransformersJs(hubUrl: string): void {
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.remoteHost = `${hubUrl}/`;
  env.remotePathTemplate = '{model}/resolve/{revision}/';
  // Every run starts from the hub's files, not from another run's cache; the wasm comes from this app.
  env.useBrowserCache = false;
  env.useWasmCache = false;
  const wasm = env.backends.onnx.wasm;
  if (wasm === undefined) throw new Error('transformers.js exposes no onnxruntime-web wasm settings');
  wasm.wasmPaths = { wasm: new URL(TRANSFORMERS_ORT_WASM, document.baseURI).href };
  // One thread, as the engine: threads need cross-origin isolation, which this page does not have.
  wasm.numThreads = 1;
}

export async function loadTransformersJsContender(source: TransformersJsSource): Promise<Contender> {
  configureTransformersJs(source.hubUrl);
  const dtype = transformersDtypeOfModelPath(source.modelPath);
  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(source.modelId, {
    revision: source.commit,
  });
  const model: PreTrainedModel = await AutoModelForCausalLM.from_pretrained(source.modelId, {
    revision: source.commit,
    device: 'webgpu',
    dtype,
    use_external_data_format: source.externalDataFiles === 0 ? false : source.externalDataFiles,
  });
  return {
    name: 'transformers.js',
    async firstToken(prompt) {
      let first: { at: number; tokenId: number } | undefined;
      // The documented way to see tokens as they come: its first token callback is the first token.
      const streamer = new TextStreamer(tokenizer, {
        skip_prompt: true,
        callback_function: () => undefined,
        token_callback_function: (tokens: bigint[]) => {
          const token = tokens[0];
          if (first === undefined && token !== undefined)
            first = { at: performance.now(), tokenId: Number(token) };
        },
      });
      const start = performance.now();
      const inputs: unknown = tokenizer(prompt.text);
      const inputIds = inputs !== null && typeof inputs === 'object' && 'input_ids' in inputs;
      if (!inputIds || !(inputs.input_ids instanceof Tensor)) {
        throw new Error('the transformers.js tokenizer returned no input_ids tensor');
      }
      const tokens = inputs.input_ids.dims.at(-1);
      if (tokens !== prompt.tokenIds.length) {
        throw new Error(
          `transformers.js tokenized the prompt to ${tokens} tokens, not ${prompt.tokenIds.length}`,
        );
      }
      await model.generate({ ...inputs, max_new_tokens: 1, do_sample: false, streamer });
      if (first === undefined) throw new Error('transformers.js generated no token');
      return { ttftMs: first.at - start, firstTokenId: first.tokenId };
    },
    async release() {
      await model.dispose();
    },
  };
}
