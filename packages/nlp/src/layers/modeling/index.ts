/** The modeling layers of @cornu/nlp (KerasHub's keras_hub.layers modeling blocks). */
export { AlibiBias, type AlibiBiasArgs } from './alibi-bias.js';
export {
  CachedMultiHeadAttention,
  type CachedMultiHeadAttentionCallArgs,
} from './cached-multi-head-attention.js';
export { FNetEncoder, type FNetEncoderArgs } from './f-net-encoder.js';
export {
  type PositionCallArgs,
  PositionEmbedding,
  type PositionEmbeddingArgs,
} from './position-embedding.js';
export {
  ReversibleEmbedding,
  type ReversibleEmbeddingArgs,
  type ReversibleEmbeddingCallArgs,
} from './reversible-embedding.js';
export {
  RotaryEmbedding,
  type RotaryEmbeddingArgs,
  type RotaryEmbeddingCallArgs,
} from './rotary-embedding.js';
export { SinePositionEncoding, type SinePositionEncodingArgs } from './sine-position-encoding.js';
export {
  TokenAndPositionEmbedding,
  type TokenAndPositionEmbeddingArgs,
} from './token-and-position-embedding.js';
export {
  TransformerDecoder,
  type TransformerDecoderArgs,
  type TransformerDecoderCallArgs,
} from './transformer-decoder.js';
export {
  TransformerEncoder,
  type TransformerEncoderArgs,
  type TransformerEncoderCallArgs,
} from './transformer-encoder.js';
export { computeCausalMask, mergePaddingAndAttentionMask } from './transformer-layer-utils.js';
