import * as tf from '@tensorflow/tfjs-core';
import { lossArgs, opt } from './config.js';
import { asFloat, EPSILON, type LossArgs, type LossConfig, LossFunctionWrapper } from './loss.js';

/** `1 - 2 * sum(yTrue * yPred) / (sum(yTrue) + sum(yPred) + eps)` over `axis` (all axes when null). */
export function dice(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  axis: number | number[] | null = null,
): tf.Tensor {
  return tf.tidy(() => {
    const t = asFloat(yTrue);
    const ax = axis ?? undefined;
    const intersection = tf.sum(tf.mul(t, yPred), ax);
    const denom = tf.add(tf.add(tf.sum(t, ax), tf.sum(yPred, ax)), EPSILON);
    return tf.sub(1, tf.div(tf.mul(intersection, 2), denom));
  });
}

/**
 * `1 - TP / (TP + alpha * FP + beta * FN + eps)` over `axis` (all axes when null), with
 * `FP = sum((1 - yTrue) * yPred)` and `FN = sum(yTrue * (1 - yPred))` as Keras documents it.
 * Keras 3.15.1's code multiplies alpha into FN and beta into FP (fixed upstream after 3.15.1,
 * keras-team/keras#23333): to reproduce a Keras 3.15.1 value, swap alpha and beta.
 */
export function tversky(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  alpha = 0.5,
  beta = 0.5,
  axis: number | number[] | null = null,
): tf.Tensor {
  return tf.tidy(() => {
    const t = asFloat(yTrue);
    const ax = axis ?? undefined;
    const tp = tf.sum(tf.mul(t, yPred), ax);
    const fn = tf.sum(tf.mul(t, tf.sub(1, yPred)), ax);
    const fp = tf.sum(tf.mul(tf.sub(1, t), yPred), ax);
    return tf.sub(
      1,
      tf.div(tp, tf.add(tf.add(tf.add(tp, tf.mul(fp, alpha)), tf.mul(fn, beta)), EPSILON)),
    );
  });
}

export interface DiceArgs extends LossArgs {
  /** Axes summed over; null sums everything into one value. @default null */
  axis?: number | number[] | null;
}

/** Dice loss for segmentation (Keras `Dice`). */
export class Dice extends LossFunctionWrapper {
  static override readonly className: string = 'Dice';
  readonly axis: number | number[] | null;
  constructor({ axis = null, ...args }: DiceArgs = {}) {
    super((t, p) => dice(t, p, axis), args, 'dice');
    this.axis = axis;
  }
  override getConfig(): LossConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
  static fromConfig(config: LossConfig): Dice {
    return new Dice({ ...lossArgs(config), axis: opt(config, 'axis') });
  }
}

export interface TverskyArgs extends LossArgs {
  /** Weight of false positives. @default 0.5 */
  alpha?: number;
  /** Weight of false negatives. @default 0.5 */
  beta?: number;
  /** Axes summed over; null sums everything into one value. @default null */
  axis?: number | number[] | null;
}

/** Tversky loss, Dice with weighted false positives and negatives (Keras `Tversky`). */
export class Tversky extends LossFunctionWrapper {
  static override readonly className: string = 'Tversky';
  readonly alpha: number;
  readonly beta: number;
  readonly axis: number | number[] | null;
  constructor({ alpha = 0.5, beta = 0.5, axis = null, ...args }: TverskyArgs = {}) {
    super((t, p) => tversky(t, p, alpha, beta, axis), args, 'tversky');
    this.alpha = alpha;
    this.beta = beta;
    this.axis = axis;
  }
  override getConfig(): LossConfig {
    return { ...super.getConfig(), alpha: this.alpha, beta: this.beta, axis: this.axis };
  }
  static fromConfig(config: LossConfig): Tversky {
    return new Tversky({
      ...lossArgs(config),
      alpha: opt(config, 'alpha'),
      beta: opt(config, 'beta'),
      axis: opt(config, 'axis'),
    });
  }
}
