import * as tf from '@tensorflow/tfjs-core';

/** The additive stand-in for "minus infinity" Keras uses for masked float32 scores. */
const LARGE_NEGATIVE = -1e9;

/** A `[1, tq, tv]` float 0/1 lower-triangular mask: query step `i` sees value steps `j <= i`. */
export function causalMask(tq: number, tv: number): tf.Tensor {
  return tf.tidy(() => tf.expandDims(tf.linalg.bandPart(tf.ones([tq, tv]), -1, 0), 0));
}

/** Multiplies the given 0/1 (or bool) masks together with broadcasting; null when none is given. */
export function combineMasks(...masks: (tf.Tensor | null | undefined)[]): tf.Tensor | null {
  let result: tf.Tensor | null = null;
  for (const mask of masks) {
    if (!mask) continue;
    const m = tf.cast(mask, 'float32');
    result = result ? tf.mul(result, m) : m;
  }
  return result;
}

/**
 * Keras's masked softmax (the Softmax layer with a mask): masked scores become -1e9 before the
 * softmax over `axis`, and masked probabilities are zeroed after it (a fully masked row gives 0).
 * `mask` is 0/1 or bool, broadcastable to `scores`.
 */
export function maskedSoftmax(scores: tf.Tensor, mask: tf.Tensor | null, axis = -1): tf.Tensor {
  if (!mask) return tf.softmax(scores, axis);
  const m = tf.cast(mask, scores.dtype);
  const filled = tf.add(tf.mul(scores, m), tf.mul(tf.sub(1, m), LARGE_NEGATIVE));
  return tf.mul(tf.softmax(filled, axis), m);
}

export interface HeadAttentionOptions {
  /** 0/1 mask broadcastable to `[batch, tq, tv]` (it is expanded over the heads axis). */
  mask?: tf.Tensor | null;
  /** Multiplies the query before the dot product (1/sqrt(key_dim) in MultiHeadAttention). */
  scale: number;
  /** Dropout rate on the attention probabilities (applied only when `training`). */
  dropout?: number;
  training?: boolean;
  seed?: number | null;
}

/**
 * Multi-head scaled dot-product attention on projected tensors: query `[batch, tq, heads, dim]`,
 * key `[batch, tv, heads, dim]`, value `[batch, tv, heads, valueDim]`. Returns the attended values
 * `[batch, tq, heads, valueDim]` and the attention probabilities `[batch, heads, tq, tv]` (before
 * dropout, as Keras returns them).
 */
export function headAttention(
  query: tf.Tensor,
  key: tf.Tensor,
  value: tf.Tensor,
  { mask = null, scale, dropout = 0, training = false, seed = null }: HeadAttentionOptions,
): { output: tf.Tensor; scores: tf.Tensor } {
  const q = tf.transpose(tf.mul(query, scale), [0, 2, 1, 3]);
  const k = tf.transpose(key, [0, 2, 1, 3]);
  const v = tf.transpose(value, [0, 2, 1, 3]);
  const logits = tf.matMul(q, k, false, true);
  const headMask = mask ? tf.expandDims(tf.cast(mask, 'float32'), mask.rank === 3 ? 1 : 0) : null;
  const scores = maskedSoftmax(logits, headMask);
  const dropped =
    training && dropout > 0 ? tf.dropout(scores, dropout, undefined, seed ?? undefined) : scores;
  const output = tf.transpose(tf.matMul(dropped, v), [0, 2, 1, 3]);
  return { output, scores };
}
