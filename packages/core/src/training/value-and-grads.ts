import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { toVariable, type VariableLike } from '../optimizers/variable-like.js';

/** What `valueAndGrads` returns: the loss and one gradient per variable, in the given order. */
export interface ValueAndGrads {
  value: tf.Scalar;
  grads: tf.Tensor[];
}

/**
 * Runs `fn` and returns its scalar value with the gradients of that value with respect to
 * `variables` (layer weights or `tf.Variable`s), in the same order. A variable the value does not
 * depend on gets a zero gradient. Intermediate tensors are disposed; the caller owns `value` and
 * `grads` (wrap the step in `tf.tidy`).
 *
 * @example
 * ```ts
 * const { value, grads } = valueAndGrads(() => loss.call(y, model.apply(x, { training: true })), model.trainableWeights);
 * optimizer.applyGradients(grads, model.trainableWeights);
 * ```
 */
export function valueAndGrads(fn: () => tf.Scalar, variables: VariableLike[]): ValueAndGrads {
  if (typeof fn !== 'function') {
    throw new ValueError(
      `valueAndGrads: fn must be a function returning a scalar tensor, received ${typeof fn}.`,
    );
  }
  if (variables.length === 0) {
    throw new ValueError(
      'valueAndGrads: variables is empty; expected the weights to differentiate with respect to (e.g. model.trainableWeights).',
    );
  }
  const vars = variables.map((v) => toVariable(v, 'valueAndGrads: variables'));
  const checked = () => {
    const value = fn();
    if (!(value instanceof tf.Tensor) || value.rank !== 0) {
      throw new ValueError(
        `valueAndGrads: fn must return a scalar tensor, received ${value instanceof tf.Tensor ? `a tensor of shape [${value.shape}]` : typeof value}. Fix: reduce the loss (e.g. tf.mean).`,
      );
    }
    return value as tf.Scalar;
  };
  const { value, grads } = tf.variableGrads(checked, vars);
  return { value, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
}
