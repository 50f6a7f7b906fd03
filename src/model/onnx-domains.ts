/** onnxruntime's contrib-op domain (MatMulNBits, GroupQueryAttention, SkipSimplifiedLayerNormalization, ...). */
export const CONTRIB_DOMAIN = 'com.microsoft';
