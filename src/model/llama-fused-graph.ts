/**
 * The fused form of the Llama decoder: the same weights as the plain form (llama-graph.ts), written with
 * onnxruntime's contrib ops the way WebGPU exports are.
 *
 * What onnxruntime-genai's model builder writes for a Llama decoder with `-e webgpu`
 * (microsoft/onnxruntime-genai src/python/py/models/builders/base.py, read at a0c04eb):
 * - Inputs `input_ids` int64 [batch, seq], `attention_mask` int64 [batch, total_seq], `past_key_values.{i}.key|value`
 *   [batch, kv_heads, past_seq, head_dim]; outputs `logits` [batch, seq, vocab] then `present.{i}.key|value`
 *   [batch, kv_heads, total_seq, head_dim], in the activation type. No `position_ids`: with rotary inside
 *   GroupQueryAttention the builder deletes that input (`make_attention_init`, `use_rope_in_attn`). (Its main branch
 *   since #2084, unreleased, makes the last KV dim symbolic, `kv_cache_dim`, for quantized caches.)
 * - Attention mask → GQA inputs (`make_attention_mask_reformatting_for_gqa`): `seqlens_k` =
 *   Cast<int32>(ReduceSum(attention_mask, axes [1], keepdims 0) − 1) [batch]; `total_sequence_length` =
 *   Cast<int32>(Gather(Shape(attention_mask), 1)) scalar. (The graph-capture variant in builders/expansions/webgpu.py
 *   takes ReduceMax of the sums instead of Shape, so no op runs on the CPU.)
 * - `com.microsoft` GroupQueryAttention(q, k, v, past_key, past_value, seqlens_k, total_sequence_length, cos_cache,
 *   sin_cache) with num_heads, kv_num_heads, scale 1/√head_dim, local_window_size −1, softcap 0, do_rotary 1,
 *   rotary_interleaved 0 (`make_group_query_attention`). Q, K, V enter as [batch, seq, heads·head_dim] (no
 *   reshapes or transposes). Rotary is fused into GQA (`is_fused_rope_supported` is true except on DML); the
 *   separate `RotaryEmbedding` op only appears when it is not. `cos_cache`/`sin_cache` are initializers
 *   [max_position_embeddings, head_dim/2] in the activation type (`make_rotary_embedding_caches`), computed from
 *   inv_freq with Llama 3's low/high-frequency rescaling applied first (`make_inv_freq_rescaled_with_freq_factors`,
 *   the same formula as rope.ts), so the scaling is baked into the caches.
 * - Norms (`make_layernorm`, `make_layer`): layer 0's input norm is `SimplifiedLayerNormalization` (ai.onnx
 *   domain, epsilon, axis −1, stash_type 1); every later norm is `com.microsoft` SkipSimplifiedLayerNormalization
 *   (input, skip, gamma; epsilon) whose output 3 is input + skip, the residual stream the next norm continues from;
 *   the final norm is one more SkipSimplifiedLayerNormalization with output 0 only. No casts around them for fp16
 *   (`layernorm_attrs.cast.use_fp32` is false for Llama).
 * - Projections: packed QKV (one MatMul / MatMulNBits with N = q + 2·kv) for webgpu; the MLP is gate and up MatMuls,
 *   Sigmoid + Mul for SiLU and a Mul with up (`make_mlp_proj`, `make_activation_with_mul`), then down.
 * - Quantization: int4 is MatMulNBits from onnxruntime's MatMulNBitsQuantizer (`to_nbits`): bits 4, block_size 32,
 *   symmetric, accuracy_level 4 by default for cpu and webgpu (quant_config.py). int4 for webgpu has fp16
 *   activations (`set_io_dtype`; fp32 only with `use_webgpu_fp32`), so q4f16 is its default; onnx-community's q4/q4f16
 *   exports carry no accuracy_level (0). There is no int8 *activation* path: genai's int8 is 8-bit MatMulNBits.
 *
 * What onnxruntime 1.30 runs (microsoft/onnxruntime onnxruntime/contrib_ops/webgpu/, core/optimizer/; the
 * `ort-wasm-simd-threaded.asyncify.wasm` of onnxruntime-web 1.30 carries these kernels):
 * - WebGPU kernels for GroupQueryAttention (float, float16; `total_sequence_length` is a CPU input unless graph
 *   capture is on), SimplifiedLayerNormalization, SkipSimplifiedLayerNormalization, RotaryEmbedding, MatMulNBits
 *   (bert/group_query_attention.cc, webgpu_contrib_kernels.cc).
 * - GQA uses flash attention (no [heads, seq, total] score tensor) when `CanApplyFlashAttention` holds
 *   (bert/flash_attention.cc): batch 1, unpacked QKV (packed input is split first), head_size % 4 == 0, present
 *   K/V outputs given and non-empty, the device has `subgroups` (in the versions that check it); otherwise it falls
 *   back to the unfused attention kernels. Rotary then runs as one fused Q/K kernel before it.
 * - MatMulNBits with accuracy_level 4 takes the DP4A path (activations quantized to int8 per block) when the device
 *   has subgroups (not on Metal), for every M with fp32 activations and for prefill-sized M with fp16
 *   (quantization/matmul_nbits.cc `CanApplyDP4AMatrixMatMulNBits`; conditions in accuracy-level.ts). The builder
 *   writes accuracy_level only when asked (GraphBuildOptions.accuracyLevel, the same in both forms); by default
 *   it is 0, so the form is the only thing that differs from the plain graph.
 * - On WebGPU, onnxruntime's level-2 optimizer fuses a norm + gate/up MatMulNBits + Sigmoid/Mul/Mul into one
 *   `MatMulNBitsMlp`, and a norm + separate q/k/v MatMulNBits (4 bits, block 32) into `MatMulNBitsQkv`
 *   (core/optimizer/matmul_nbits_mlp_fusion.cc, matmul_nbits_qkv_fusion.cc). Both need the norm to be
 *   (Skip)SimplifiedLayerNormalization, which ORT does not fuse from elementwise ops on WebGPU (SimplifiedLayerNormFusion
 *   runs for CPU/CUDA/ROCm only, graph_transformer_utils.cc): only the fused form gets them.
 * - onnxruntime-web's wasm (CPU) build has CPU kernels for all of these (GroupQueryAttention float and float16
 *   with do_rotary, SimplifiedLayerNormalization, SkipSimplifiedLayerNormalization, MatMulNBits), so the fused graphs
 *   are checked against the reference in Node like the plain ones.
 *
 * q/k/v: three projections with the plain form's weight names and values unless the build asks for `packed`
 * (QkvProjection), which writes float and int8 weights side by side as one, as genai does; 4-bit ones stay three
 * either way (onnxruntime's WebGPU optimizer fuses them with their norm into MatMulNBitsQkv itself, which a packed
 * MatMulNBits would prevent). Differences from genai, on purpose: int8 keeps the dynamic-quantization
 * MatMulInteger path of onnx-community int8 exports; accuracy_level is 0 unless the build asks for 4. GroupQueryAttention takes positions from `seqlens_k`, so padding must be on the right (batch 1 here).
 */
import type { LlamaConfig } from './config';
import type { ActivationType } from './quantization';
import { float32ToFloat16Bits } from './float16';
import { float, int, type GraphBuilder } from './onnx-writer';
import { ropeInverseFrequencies } from './rope';
import { rotaryCacheShape } from './size';
import { CONTRIB_DOMAIN } from './onnx-domains';
import type { QkvProjection } from './graph-form';
import { EMBEDDING, FINAL_NORM, layerWeightNames } from './weights';
import {
  kvCache,
  lastPosition,
  logitsOutput,
  swiGluMlp,
  tokenInputs,
  type DecoderWeights,
} from './llama-graph-parts';

export interface FusedDecoderOptions {
  readonly graph: GraphBuilder;
  readonly weights: DecoderWeights;
  readonly config: LlamaConfig;
  readonly activation: ActivationType;
  /** Logits [batch, 1, vocab]: the LM head runs on the last position only. */
  readonly lastPositionLogits: boolean;
  readonly kvCache: KvCacheLayout;
  /** `packed`: one projection for q, k and v where the storage format allows (see QkvProjection). */
  readonly qkv: QkvProjection;
}

/**
 * `growing`: past [batch, kv_heads, past, head_dim] in, present [.., past + new, ..] out, a new buffer each run
 * (Hugging Face's layout). `static`: past and present are one buffer of fixed capacity that the caller binds to
 * both (GroupQueryAttention detects the shared buffer and writes the new tokens in place), and attention_mask
 * is [batch, capacity] with ones for the tokens held. Every op then runs on the GPU (the mask lengths come from
 * ReduceSum/ReduceMax, not Shape) and every shape is fixed per prompt length, which graph capture requires
 * (onnxruntime-genai's graph-capture mask subgraph, builders/expansions/webgpu.py).
 */
export type KvCacheLayout = 'growing' | 'static';

const INT32 = 6;

/**
 * cos/sin of position × frequency for every position up to max_position_embeddings, [positions, head_dim / 2],
 * float32 math as Hugging Face computes them (angles rounded to float32 first), stored in the activation type.
 */
export function rotaryCaches(config: LlamaConfig): { cos: Float32Array; sin: Float32Array } {
  const inverse = ropeInverseFrequencies(config);
  const half = inverse.length;
  const positions = config.maxPositionEmbeddings;
  const cos = new Float32Array(positions * half);
  const sin = new Float32Array(positions * half);
  for (let position = 0; position < positions; position++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(position * inverse[i]!);
      cos[position * half + i] = Math.cos(angle);
      sin[position * half + i] = Math.sin(angle);
    }
  }
  return { cos, sin };
}

class FusedDecoder {
  private readonly g: GraphBuilder;

  constructor(private readonly options: FusedDecoderOptions) {
    this.g = options.graph;
  }

  private i64(values: readonly number[]): string {
    return this.g.constant('int64', [values.length], values);
  }

  private table(name: string, dims: readonly number[], values: Float32Array): string {
    if (this.options.activation === 'float') return this.g.initializer(name, 'float', dims, values);
    return this.g.initializer(name, 'float16', dims, Uint16Array.from(values, float32ToFloat16Bits));
  }

  /** RMSNorm of the first layer's input: nothing to add to the residual yet. */
  private norm(x: string, weight: string): string {
    return this.g.op('SimplifiedLayerNormalization', [x, this.options.weights.floatWeight(weight)], {
      epsilon: float(this.options.config.rmsNormEps),
      axis: int(-1),
      stash_type: int(1),
    });
  }

  /** RMSNorm(residual + update); also returns residual + update, the stream the next norm continues from. */
  private skipNorm(residual: string, update: string, weight: string): { normed: string; sum: string } {
    const g = this.g;
    const normed = g.tensorName('skip_norm');
    const sum = g.tensorName('residual');
    g.node('SkipSimplifiedLayerNormalization', [residual, update, this.options.weights.floatWeight(weight)], {
      outputs: [normed, '', '', sum],
      attributes: { epsilon: float(this.options.config.rmsNormEps) },
      domain: CONTRIB_DOMAIN,
    });
    return { normed, sum };
  }

  /** seqlens_k (int32 [batch], valid tokens − 1) and total_sequence_length (int32 scalar) from attention_mask. */
  private maskLengths(attentionMask: string): { seqlensK: string; totalLength: string } {
    const g = this.g;
    if (this.options.kvCache === 'static') {
      // The mask is as long as the buffer: the total is the count of ones, computed on the GPU.
      const valid = g.op('ReduceSum', [g.op('Cast', [attentionMask], { to: int(INT32) }), this.i64([1])], {
        keepdims: int(0),
      });
      const one = g.constant('int32', [1], [1]);
      return {
        seqlensK: g.op('Sub', [valid, one]),
        totalLength: g.op('ReduceMax', [valid], { keepdims: int(0) }),
      };
    }
    const valid = g.op('ReduceSum', [attentionMask, this.i64([1])], { keepdims: int(0) });
    const seqlensK = g.op('Cast', [g.op('Sub', [valid, this.i64([1])])], { to: int(INT32) });
    const total = g.op('Gather', [g.op('Shape', [attentionMask]), g.constant('int64', [], [1])], {
      axis: int(0),
    });
    return { seqlensK, totalLength: g.op('Cast', [total], { to: int(INT32) }) };
  }

  private attention(
    layer: number,
    x: string,
    lengths: { seqlensK: string; totalLength: string },
    caches: { cos: string; sin: string },
  ): string {
    const g = this.g;
    const { numAttentionHeads, numKeyValueHeads, headDim } = this.options.config;
    const names = layerWeightNames(layer);
    const { weights } = this.options;
    const packed =
      this.options.qkv === 'packed'
        ? weights.packedLinear(x, [names.q, names.k, names.v], names.qkv)
        : undefined;
    // Packed: GroupQueryAttention splits q, k and v itself (one kernel with rotary, and with the cache copy when
    // the cache is static), and the key and value inputs stay empty.
    const [q, k, v] =
      packed === undefined
        ? [weights.linear(x, names.q), weights.linear(x, names.k), weights.linear(x, names.v)]
        : [packed, '', ''];
    const { pastKey, pastValue, presentKey, presentValue } = kvCache(
      g,
      this.options.config,
      layer,
      this.options.activation,
      this.options.kvCache,
    );
    const output = g.tensorName('attention');
    g.node(
      'GroupQueryAttention',
      [q, k, v, pastKey, pastValue, lengths.seqlensK, lengths.totalLength, caches.cos, caches.sin],
      {
        outputs: [output, presentKey, presentValue],
        attributes: {
          num_heads: int(numAttentionHeads),
          kv_num_heads: int(numKeyValueHeads),
          scale: float(1 / Math.sqrt(headDim)),
          local_window_size: int(-1),
          softcap: float(0),
          do_rotary: int(1),
          rotary_interleaved: int(0),
        },
        domain: CONTRIB_DOMAIN,
      },
    );
    return weights.linear(output, names.o);
  }

  build(): void {
    const g = this.g;
    const { config, activation, lastPositionLogits } = this.options;
    const { inputIds, attentionMask } = tokenInputs(g);
    const embedded = g.op('Gather', [this.options.weights.floatWeight(EMBEDDING), inputIds], {
      axis: int(0),
    });
    const lengths = this.maskLengths(attentionMask);
    const { cos, sin } = rotaryCaches(config);
    // The shape the size estimate and the admission check count (size.ts).
    const cacheShape = rotaryCacheShape(config);
    const caches = {
      cos: this.table('cos_cache', cacheShape, cos),
      sin: this.table('sin_cache', cacheShape, sin),
    };

    // Each norm adds the previous sublayer's output to the residual stream before normalizing it.
    let residual = embedded;
    let update: string | undefined;
    for (let layer = 0; layer < config.numLayers; layer++) {
      const names = layerWeightNames(layer);
      update = g.scoped(`/model/layers.${layer}/`, () => {
        let normed: string;
        if (update === undefined) normed = this.norm(residual, names.inputNorm);
        else ({ normed, sum: residual } = this.skipNorm(residual, update, names.inputNorm));
        const post = this.skipNorm(
          residual,
          this.attention(layer, normed, lengths, caches),
          names.postAttentionNorm,
        );
        residual = post.sum;
        return swiGluMlp(g, this.options.weights, layer, post.normed);
      });
    }
    if (update === undefined) throw new Error('the fused form needs at least one layer');
    const finalNormed = g.tensorName('final_norm');
    g.node(
      'SkipSimplifiedLayerNormalization',
      [residual, update, this.options.weights.floatWeight(FINAL_NORM)],
      { outputs: [finalNormed], attributes: { epsilon: float(config.rmsNormEps) }, domain: CONTRIB_DOMAIN },
    );
    // The norm works position by position, so slicing after it equals slicing before (onnxruntime-genai's
    // prune_lm_head slices here too).
    logitsOutput({
      g,
      weights: this.options.weights,
      config,
      type: activation,
      hidden: lastPositionLogits ? lastPosition(g, finalNormed) : finalNormed,
      lastPositionOnly: lastPositionLogits,
    });
  }
}

/** Adds the fused decoder to `graph` (which must be empty): inputs, nodes and outputs. */
export function buildFusedDecoder(options: FusedDecoderOptions): void {
  new FusedDecoder(options).build();
}
