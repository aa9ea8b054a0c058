import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../saving/registry.js';
import { Constraint } from './constraint.js';

/** Keras's backend epsilon, added to norms before dividing. */
const EPSILON = 1e-7;

function norms(w: tf.Tensor, axis: number | number[]): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(w), axis, true));
}

export interface MaxNormArgs {
  /** Largest allowed norm. @default 2 */
  maxValue?: number;
  /** Axis (or axes) along which norms are taken. @default 0 */
  axis?: number | number[];
}

/** Rescales weight vectors whose L2 norm along `axis` exceeds `maxValue`. */
export class MaxNorm extends Constraint {
  static override readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: number | number[];
  constructor({ maxValue = 2, axis = 0 }: MaxNormArgs = {}) {
    super();
    this.maxValue = maxValue;
    this.axis = axis;
  }
  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tf.clipByValue(n, 0, this.maxValue);
      return tf.mul(w, tf.div(desired, tf.add(n, EPSILON)));
    });
  }
  override getConfig(): Config {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

export interface MinMaxNormArgs {
  /** @default 0 */
  minValue?: number;
  /** @default 1 */
  maxValue?: number;
  /** Interpolation toward the clipped norm: 1 = hard projection. @default 1 */
  rate?: number;
  /** @default 0 */
  axis?: number | number[];
}

/** Keeps weight-vector norms along `axis` within `[minValue, maxValue]` (softly when `rate < 1`). */
export class MinMaxNorm extends Constraint {
  static override readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: number | number[];
  constructor({ minValue = 0, maxValue = 1, rate = 1, axis = 0 }: MinMaxNormArgs = {}) {
    super();
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.rate = rate;
    this.axis = axis;
  }
  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const n = norms(w, this.axis);
      const desired = tf.add(
        tf.mul(this.rate, tf.clipByValue(n, this.minValue, this.maxValue)),
        tf.mul(1 - this.rate, n),
      );
      return tf.mul(w, tf.div(desired, tf.add(n, EPSILON)));
    });
  }
  override getConfig(): Config {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** Zeroes negative weights. */
export class NonNeg extends Constraint {
  static override readonly className = 'NonNeg';
  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(w, tf.cast(tf.greaterEqual(w, 0), w.dtype)));
  }
}

export interface UnitNormArgs {
  /** @default 0 */
  axis?: number | number[];
}

/** Scales weight vectors along `axis` to unit L2 norm. */
export class UnitNorm extends Constraint {
  static override readonly className = 'UnitNorm';
  readonly axis: number | number[];
  constructor({ axis = 0 }: UnitNormArgs = {}) {
    super();
    this.axis = axis;
  }
  call(w: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.div(w, tf.add(norms(w, this.axis), EPSILON)));
  }
  override getConfig(): Config {
    return { axis: this.axis };
  }
}
