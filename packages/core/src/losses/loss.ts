import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';

/** How per-sample losses become the value `call` returns (Keras 3's reductions). */
export type Reduction =
  | 'sum_over_batch_size'
  | 'sum'
  | 'mean'
  | 'mean_with_sample_weight'
  | 'none'
  | null;
const REDUCTIONS: readonly (Reduction | undefined)[] = [
  'sum_over_batch_size',
  'sum',
  'mean',
  'mean_with_sample_weight',
  'none',
  null,
];

/** Arguments every loss class takes. */
export interface LossArgs {
  /** @default the Keras snake_case name ('mean_squared_error') */
  name?: string;
  /** @default 'sum_over_batch_size' */
  reduction?: Reduction;
}

/** The function form: per-sample losses (the last axis reduced) from targets and predictions. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The snake_case config a loss writes (Keras 3 keys). */
export type LossConfig = Record<string, unknown>;

/** Keras's squeeze_or_expand_to_same_rank: reconciles a trailing size-1 axis between two tensors. */
export function squeezeOrExpandToSameRank(
  x1: tf.Tensor,
  x2: tf.Tensor,
  expandRank1 = true,
): [tf.Tensor, tf.Tensor] {
  if (x1.rank === x2.rank + 1 && x1.shape[x1.rank - 1] === 1) {
    if (x2.rank === 1 && expandRank1) return [x1, tf.expandDims(x2, -1)];
    return [tf.squeeze(x1, [-1]), x2];
  }
  if (x2.rank === x1.rank + 1 && x2.shape[x2.rank - 1] === 1) {
    if (x1.rank === 1 && expandRank1) return [tf.expandDims(x1, -1), x2];
    return [x1, tf.squeeze(x2, [-1])];
  }
  return [x1, x2];
}

/** Broadcasts `weight` against `values` by appending trailing axes (sample weights of shape [batch]). */
function alignTrailing(weight: tf.Tensor, rank: number): tf.Tensor {
  let w = weight;
  while (w.rank < rank) w = tf.expandDims(w, -1);
  return w;
}

/**
 * Weights, masks and reduces per-sample values the way Keras 3's `reduce_weighted_values` does.
 * A mask (0/1, e.g. from a masked sequence) is folded into the sample weights and, for the mean
 * reductions, rescaled so the mean runs over the valid entries only.
 */
export function reduceWeightedValues(
  values: tf.Tensor,
  sampleWeight: tf.Tensor | null = null,
  mask: tf.Tensor | null = null,
  reduction: Reduction = 'sum_over_batch_size',
): tf.Tensor {
  return tf.tidy(() => {
    let weight: tf.Tensor | null = sampleWeight ? tf.cast(sampleWeight, 'float32') : null;
    if (mask) {
      let m: tf.Tensor = tf.cast(mask, 'float32');
      if (reduction === 'mean' || reduction === 'sum_over_batch_size') {
        m = tf.mul(m, tf.div(m.size, tf.add(tf.sum(m), 1e-7)));
      }
      if (weight) {
        const [mm, ww] = squeezeOrExpandToSameRank(m, weight);
        weight = tf.mul(ww, mm);
      } else {
        weight = m;
      }
    }
    let v = tf.cast(values, 'float32');
    if (weight) {
      const [vv, ww] = squeezeOrExpandToSameRank(v, weight);
      v = tf.mul(vv, ww.rank < vv.rank ? alignTrailing(ww, vv.rank) : ww);
    }
    if (reduction == null || reduction === 'none' || v.rank === 0 || v.size === 0) return v;
    const total = tf.sum(v);
    if (reduction === 'sum') return total;
    if (reduction === 'mean_with_sample_weight' && weight) {
      // divide_no_nan, written so the gradient never meets Equal (tf.divNoNan's zerosLike(a/b) does).
      const divisor = tf.sum(weight);
      const isZero = tf.equal(divisor, 0);
      return tf.where(
        isZero,
        tf.zerosLike(divisor),
        tf.div(total, tf.where(isZero, tf.onesLike(divisor), divisor)),
      );
    }
    return tf.div(total, v.size);
  });
}

/**
 * The base of every loss. `call(yTrue, yPred, sampleWeight?)` computes the per-sample losses
 * (`values`), weights and masks them, and applies the reduction. With `reduction: 'none'` the
 * per-sample tensor is returned (typed as the scalar the other reductions give).
 */
export abstract class Loss {
  static readonly className: string = 'Loss';
  readonly name: string;
  readonly reduction: Reduction;

  constructor({ name, reduction = 'sum_over_batch_size' }: LossArgs = {}, defaultName = 'loss') {
    if (!REDUCTIONS.includes(reduction)) {
      throw new ValueError(
        `${(this.constructor as typeof Loss).className}: reduction must be one of 'sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none', received '${String(reduction)}'.`,
      );
    }
    this.name = name ?? defaultName;
    this.reduction = reduction;
  }

  /** Per-sample losses, before weighting and reduction. */
  abstract values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

  /** The reduced, weighted loss. `mask` (0/1, shaped like the per-sample losses) excludes entries. */
  call(
    yTrue: tf.Tensor,
    yPred: tf.Tensor,
    sampleWeight?: tf.Tensor | null,
    mask?: tf.Tensor | null,
  ): tf.Scalar {
    return tf.tidy(() =>
      reduceWeightedValues(
        this.values(yTrue, yPred),
        sampleWeight ?? null,
        mask ?? null,
        this.reduction,
      ),
    ) as tf.Scalar;
  }

  getConfig(): LossConfig {
    return { name: this.name, reduction: this.reduction };
  }
}

/** A loss class around a per-sample function, like Keras's `LossFunctionWrapper`. */
export class LossFunctionWrapper extends Loss {
  static override readonly className: string = 'LossFunctionWrapper';
  readonly fn: LossFunction;

  constructor(
    fn: LossFunction,
    args: LossArgs = {},
    defaultName = fn.name ? snakeCase(fn.name) : 'loss',
  ) {
    super(args, defaultName);
    this.fn = fn;
  }

  values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
      return this.fn(t, p);
    });
  }
}

export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Keras's backend epsilon. */
export const EPSILON = 1e-7;

/** Float32 view of a target tensor. */
export function asFloat(t: tf.Tensor): tf.Tensor {
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}
