import * as tf from '@tensorflow/tfjs-core';
import { lossArgs } from './config.js';
import { asFloat, type LossArgs, type LossConfig, LossFunctionWrapper } from './loss.js';

/** Keras's convert_binary_labels_to_hinge: 0/1 labels become -1/1; other labels are kept. */
function toHingeLabels(yTrue: tf.Tensor): tf.Tensor {
  const t = asFloat(yTrue);
  const isBinary = tf.all(tf.logicalOr(tf.equal(t, 0), tf.equal(t, 1)));
  return tf.where(isBinary, tf.sub(tf.mul(t, 2), 1), t);
}

/** `mean(max(1 - yTrue * yPred, 0), -1)`, labels -1/1 (0/1 converted). */
export function hinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.relu(tf.sub(1, tf.mul(toHingeLabels(yTrue), yPred))), -1));
}

/** `mean(max(1 - yTrue * yPred, 0)^2, -1)`, labels -1/1 (0/1 converted). */
export function squaredHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(toHingeLabels(yTrue), yPred)))), -1),
  );
}

/** `max(max((1 - yTrue) * yPred) - sum(yTrue * yPred) + 1, 0)` over one-hot targets. */
export function categoricalHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const t = asFloat(yTrue);
    const pos = tf.sum(tf.mul(t, yPred), -1);
    const neg = tf.max(tf.mul(tf.sub(1, t), yPred), -1);
    return tf.relu(tf.add(tf.sub(neg, pos), 1));
  });
}

/** Hinge loss (Keras `Hinge`). */
export class Hinge extends LossFunctionWrapper {
  static override readonly className: string = 'Hinge';
  constructor(args: LossArgs = {}) {
    super(hinge, args, 'hinge');
  }
  static fromConfig(config: LossConfig): Hinge {
    return new Hinge(lossArgs(config));
  }
}

/** Squared hinge loss (Keras `SquaredHinge`). */
export class SquaredHinge extends LossFunctionWrapper {
  static override readonly className: string = 'SquaredHinge';
  constructor(args: LossArgs = {}) {
    super(squaredHinge, args, 'squared_hinge');
  }
  static fromConfig(config: LossConfig): SquaredHinge {
    return new SquaredHinge(lossArgs(config));
  }
}

/** Categorical hinge loss (Keras `CategoricalHinge`). */
export class CategoricalHinge extends LossFunctionWrapper {
  static override readonly className: string = 'CategoricalHinge';
  constructor(args: LossArgs = {}) {
    super(categoricalHinge, args, 'categorical_hinge');
  }
  static fromConfig(config: LossConfig): CategoricalHinge {
    return new CategoricalHinge(lossArgs(config));
  }
}
