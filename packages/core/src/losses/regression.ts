import * as tf from '@tensorflow/tfjs-core';
import { lossArgs, opt } from './config.js';
import { asFloat, EPSILON, type LossArgs, type LossConfig, LossFunctionWrapper } from './loss.js';

/** `mean((yTrue - yPred)^2, -1)` */
export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.squaredDifference(asFloat(yTrue), yPred), -1));
}

/** `mean(|yTrue - yPred|, -1)` */
export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(asFloat(yTrue), yPred)), -1));
}

/** `100 * mean(|yTrue - yPred| / max(|yTrue|, eps), -1)` */
export function meanAbsolutePercentageError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const t = asFloat(yTrue);
    const diff = tf.abs(tf.div(tf.sub(t, yPred), tf.maximum(tf.abs(t), EPSILON)));
    return tf.mul(tf.mean(diff, -1), 100);
  });
}

/** `mean((log(max(yPred, eps) + 1) - log(max(yTrue, eps) + 1))^2, -1)` */
export function meanSquaredLogarithmicError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const first = tf.log1p(tf.maximum(yPred, EPSILON));
    const second = tf.log1p(tf.maximum(asFloat(yTrue), EPSILON));
    return tf.mean(tf.squaredDifference(first, second), -1);
  });
}

/** Huber: quadratic for `|error| <= delta`, linear beyond; mean over the last axis. */
export function huber(yTrue: tf.Tensor, yPred: tf.Tensor, delta = 1.0): tf.Tensor {
  return tf.tidy(() => {
    const error = tf.sub(yPred, asFloat(yTrue));
    const absError = tf.abs(error);
    const quadratic = tf.mul(tf.square(error), 0.5);
    const linear = tf.sub(tf.mul(absError, delta), 0.5 * delta * delta);
    return tf.mean(tf.where(tf.lessEqual(absError, delta), quadratic, linear), -1);
  });
}

/** `mean(log(cosh(yPred - yTrue)), -1)`, computed stably as `x + softplus(-2x) - log 2`. */
export function logCosh(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const x = tf.sub(yPred, asFloat(yTrue));
    return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.LN2), -1);
  });
}

/**
 * `-sum(l2normalize(yTrue) * l2normalize(yPred), axis)`: -1 for aligned vectors. Norms are
 * floored at Keras's epsilon (1e-7), so a zero vector gives 0.
 */
export function cosineSimilarity(yTrue: tf.Tensor, yPred: tf.Tensor, axis = -1): tf.Tensor {
  return tf.tidy(() => {
    // Keras's normalize: x * min(rsqrt(sum(x^2)), 1 / eps), i.e. the norm floored at eps = 1e-7
    // (the squared norm at 1e-14; a 1e-12 floor rescaled vectors of norm below 1e-6). Flooring
    // before rsqrt keeps the gradient of a zero vector finite.
    const normalize = (x: tf.Tensor) =>
      tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), axis, true), EPSILON * EPSILON)));
    return tf.neg(tf.sum(tf.mul(normalize(asFloat(yTrue)), normalize(yPred)), axis));
  });
}

/** Mean squared error (Keras `MeanSquaredError`). */
export class MeanSquaredError extends LossFunctionWrapper {
  static override readonly className: string = 'MeanSquaredError';
  constructor(args: LossArgs = {}) {
    super(meanSquaredError, args, 'mean_squared_error');
  }
  static fromConfig(config: LossConfig): MeanSquaredError {
    return new MeanSquaredError(lossArgs(config));
  }
}

/** Mean absolute error (Keras `MeanAbsoluteError`). */
export class MeanAbsoluteError extends LossFunctionWrapper {
  static override readonly className: string = 'MeanAbsoluteError';
  constructor(args: LossArgs = {}) {
    super(meanAbsoluteError, args, 'mean_absolute_error');
  }
  static fromConfig(config: LossConfig): MeanAbsoluteError {
    return new MeanAbsoluteError(lossArgs(config));
  }
}

/** Mean absolute percentage error (Keras `MeanAbsolutePercentageError`). */
export class MeanAbsolutePercentageError extends LossFunctionWrapper {
  static override readonly className: string = 'MeanAbsolutePercentageError';
  constructor(args: LossArgs = {}) {
    super(meanAbsolutePercentageError, args, 'mean_absolute_percentage_error');
  }
  static fromConfig(config: LossConfig): MeanAbsolutePercentageError {
    return new MeanAbsolutePercentageError(lossArgs(config));
  }
}

/** Mean squared logarithmic error (Keras `MeanSquaredLogarithmicError`). */
export class MeanSquaredLogarithmicError extends LossFunctionWrapper {
  static override readonly className: string = 'MeanSquaredLogarithmicError';
  constructor(args: LossArgs = {}) {
    super(meanSquaredLogarithmicError, args, 'mean_squared_logarithmic_error');
  }
  static fromConfig(config: LossConfig): MeanSquaredLogarithmicError {
    return new MeanSquaredLogarithmicError(lossArgs(config));
  }
}

export interface HuberArgs extends LossArgs {
  /** Where the loss turns from quadratic to linear. @default 1.0 */
  delta?: number;
}

/** Huber loss (Keras `Huber`). */
export class Huber extends LossFunctionWrapper {
  static override readonly className: string = 'Huber';
  readonly delta: number;
  constructor({ delta = 1.0, ...args }: HuberArgs = {}) {
    super((t, p) => huber(t, p, delta), args, 'huber_loss');
    this.delta = delta;
  }
  override getConfig(): LossConfig {
    return { ...super.getConfig(), delta: this.delta };
  }
  static fromConfig(config: LossConfig): Huber {
    return new Huber({ ...lossArgs(config), delta: opt(config, 'delta') });
  }
}

/** Log-cosh loss (Keras `LogCosh`). */
export class LogCosh extends LossFunctionWrapper {
  static override readonly className: string = 'LogCosh';
  constructor(args: LossArgs = {}) {
    super(logCosh, args, 'log_cosh');
  }
  static fromConfig(config: LossConfig): LogCosh {
    return new LogCosh(lossArgs(config));
  }
}

export interface CosineSimilarityArgs extends LossArgs {
  /** The axis along which the similarity is computed. @default -1 */
  axis?: number;
}

/** Negative cosine similarity (Keras `CosineSimilarity`). */
export class CosineSimilarity extends LossFunctionWrapper {
  static override readonly className: string = 'CosineSimilarity';
  readonly axis: number;
  constructor({ axis = -1, ...args }: CosineSimilarityArgs = {}) {
    super((t, p) => cosineSimilarity(t, p, axis), args, 'cosine_similarity');
    this.axis = axis;
  }
  override getConfig(): LossConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
  static fromConfig(config: LossConfig): CosineSimilarity {
    return new CosineSimilarity({ ...lossArgs(config), axis: opt(config, 'axis') });
  }
}
