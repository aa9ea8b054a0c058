/**
 * Keras 3 activation functions, element-wise on tfjs tensors. Each is `(x) => y` and differentiable.
 */
import * as tf from '@tensorflow/tfjs-core';

/** `max(x, 0)`. */
export const relu = (x: tf.Tensor): tf.Tensor => tf.relu(x);
/** `min(max(x, 0), 6)`. */
export const relu6 = (x: tf.Tensor): tf.Tensor => tf.relu6(x);
/** `1 / (1 + exp(-x))`. */
export const sigmoid = (x: tf.Tensor): tf.Tensor => tf.sigmoid(x);
/** Hyperbolic tangent. */
export const tanh = (x: tf.Tensor): tf.Tensor => tf.tanh(x);
/** `exp(x) / sum(exp(x))` along `axis` (default the last). */
export const softmax = (x: tf.Tensor, axis = -1): tf.Tensor =>
  axis === -1 || axis === x.rank - 1
    ? tf.softmax(x)
    : tf.tidy(() => tf.exp(tf.sub(x, tf.logSumExp(x, axis, true))));
/** `x - log(sum(exp(x)))` along `axis` (default the last). */
export const logSoftmax = (x: tf.Tensor, axis = -1): tf.Tensor =>
  tf.tidy(() => tf.sub(x, tf.logSumExp(x, axis, true)));
/** `log(1 + exp(x))`. */
export const softplus = (x: tf.Tensor): tf.Tensor => tf.softplus(x);
/** `x / (1 + |x|)`. */
export const softsign = (x: tf.Tensor): tf.Tensor => tf.tidy(() => tf.div(x, tf.add(1, tf.abs(x))));
/** `x` if `x > 0`, else `alpha * (exp(x) - 1)`; alpha 1 by default. */
export const elu = (x: tf.Tensor, alpha = 1): tf.Tensor =>
  alpha === 1
    ? tf.elu(x)
    : tf.tidy(() => tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.expm1(x))));
/** `scale * elu(x, alpha)`, alpha = 1.67326324, scale = 1.05070098 (self-normalising). */
export const selu = (x: tf.Tensor): tf.Tensor => tf.selu(x);
/** `x * sigmoid(x)` (also called swish). */
export const silu = (x: tf.Tensor): tf.Tensor => tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
/**
 * Gaussian error linear unit. Exact (Keras 3's default): `0.5 x (1 + erf(x / sqrt 2))`;
 * `approximate: true`: `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`.
 */
export const gelu = (x: tf.Tensor, approximate = false): tf.Tensor =>
  tf.tidy(() => {
    if (approximate) {
      const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
    }
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  });
/** Keras 3's hard sigmoid: `relu6(x + 3) / 6`. */
export const hardSigmoid = (x: tf.Tensor): tf.Tensor =>
  tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
/** `x * relu6(x + 3) / 6` (hard silu / hard swish). */
export const hardSilu = (x: tf.Tensor): tf.Tensor =>
  tf.tidy(() => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)));
/** `x * tanh(softplus(x))`. */
export const mish = (x: tf.Tensor): tf.Tensor => tf.tidy(() => tf.mul(x, tf.tanh(tf.softplus(x))));
/** `x` for `x >= 0`, `negativeSlope * x` otherwise; Keras 3's default slope is 0.2. */
export const leakyRelu = (x: tf.Tensor, negativeSlope = 0.2): tf.Tensor =>
  tf.leakyRelu(x, negativeSlope);
/** `exp(x)`. */
export const exponential = (x: tf.Tensor): tf.Tensor => tf.exp(x);
/** The identity (returns the same tensor). */
export const linear = (x: tf.Tensor): tf.Tensor => x;
