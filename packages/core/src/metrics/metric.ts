import * as tf from '@tensorflow/tfjs-core';
import { LayerVariable } from '../engine/layer-variable.js';
import { ValueError } from '../errors/errors.js';
import { squeezeOrExpandToSameRank } from '../losses/loss.js';
import type { Config } from '../saving/registry.js';

/** What metrics accept as `yTrue`, `yPred` and `sampleWeight`: a tensor or nested numbers. */
export type MetricInput = tf.Tensor | tf.TensorLike;

/** Arguments every metric shares. */
export interface MetricArgs {
  /** @default the Keras snake_case name of the metric ('auc', 'binary_accuracy', ...) */
  name?: string;
  /** @default 'float32' */
  dtype?: 'float32';
}

/** snake_case of a Keras class name: 'SparseCategoricalAccuracy' -> 'sparse_categorical_accuracy'. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Converts a metric input to a float32 tensor (inside a tidy: the caller's scope owns it). */
export function asFloat(x: MetricInput): tf.Tensor {
  const t = x instanceof tf.Tensor ? x : tf.tensor(x as tf.TensorLike);
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}

/**
 * A stateful metric (Keras `keras.metrics.Metric`): `updateState` accumulates a batch,
 * `result()` returns the value so far as a new scalar tensor (the caller disposes it),
 * `resetState()` starts over. The state lives in non-trainable `LayerVariable`s, so it survives
 * `tf.tidy` and is listed by `variables`.
 */
export abstract class Metric {
  static readonly className: string = 'Metric';
  readonly name: string;
  /** 'float32', or 'int32' for the IoU metrics (Keras's default there: weights are truncated). */
  readonly dtype: 'float32' | 'int32';
  readonly #variables: { variable: LayerVariable; initial: number }[] = [];

  constructor({ name, dtype = 'float32' }: { name?: string; dtype?: 'float32' | 'int32' } = {}) {
    this.name = name ?? snakeCase((this.constructor as typeof Metric).className);
    this.dtype = dtype;
  }

  /** Accumulates one batch. */
  abstract updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput): void;

  /** The metric value so far, as a new scalar (or per-class vector for some settings). */
  abstract result(): tf.Tensor;

  /** The state variables, in creation order. */
  get variables(): LayerVariable[] {
    return this.#variables.map((v) => v.variable);
  }

  /** Sets every state variable back to its initial value. */
  resetState(): void {
    for (const { variable, initial } of this.#variables) {
      tf.tidy(() => variable.assign(tf.fill(variable.shape, initial, variable.dtype)));
    }
  }

  /** Creates a non-trainable state variable filled with `initial`. */
  protected addVariable(
    name: string,
    shape: number[] = [],
    initial = 0,
    dtype: 'float32' | 'int32' = 'float32',
  ): LayerVariable {
    const variable = new LayerVariable({
      initialValue: tf.fill(shape, initial, dtype),
      name,
      path: `${this.name}/${name}`,
      trainable: false,
    });
    this.#variables.push({ variable, initial });
    return variable;
  }

  /** Adds `delta` (same shape) to `variable`; call inside a tidy. */
  protected static addTo(variable: LayerVariable, delta: tf.Tensor): void {
    variable.assign(tf.add(variable.read(), delta));
  }

  /** Keras snake_case config. */
  getConfig(): Config {
    return { name: this.name, dtype: this.dtype };
  }

  /**
   * Rebuilds a metric from its Keras config: snake_case keys are camelCased, `null` values dropped.
   */
  static fromConfig(config: Config): Metric {
    const cls = this as unknown as new (args: Record<string, unknown>) => Metric;
    return new cls(configToArgs(config));
  }

  /** Frees the state variables. */
  dispose(): void {
    for (const { variable } of this.#variables) variable.dispose();
    this.#variables.length = 0;
  }

  /** `Precision 'precision'` for error messages. */
  protected get who(): string {
    return `${(this.constructor as typeof Metric).className} '${this.name}'`;
  }
}

// One shape reconciliation for losses and metrics (Keras uses the same helper for both).
export { squeezeOrExpandToSameRank };

const trailingAxes = (from: number, rank: number) =>
  Array.from({ length: Math.max(rank - from, 0) }, (_, i) => from + i);

/**
 * Per-sample values and weights, as Keras `reduce_to_samplewise_values` plus `Mean`'s count:
 * `values` and `sampleWeight` are brought to the same rank (squeeze or expand a trailing 1), axes
 * of `values` beyond the weight's rank are reduced with `reduce` ('mean' for Mean, 'sum' for Sum),
 * the weight is broadcast and multiplied in, and both are then reduced to one value per sample.
 * So a `[2, 5]` batch counts as 2 samples, not 10, whatever its inner size (which matters when
 * batches of different inner sizes are accumulated). Returns `[weightedSum, count]` as scalars:
 * the count is the sum of the per-sample weights, or the number of samples without weights.
 */
export function weightedSums(
  values: tf.Tensor,
  sampleWeight: MetricInput | undefined,
  who: string,
  reduce: 'mean' | 'sum' = 'mean',
): [tf.Scalar, tf.Scalar] {
  const reduceFn = (x: tf.Tensor, axes: number[]) =>
    axes.length === 0 ? x : reduce === 'mean' ? tf.mean(x, axes) : tf.sum(x, axes);
  let v = values;
  let w: tf.Tensor | undefined;
  if (sampleWeight !== undefined) {
    [v, w] = squeezeOrExpandToSameRank(v, asFloat(sampleWeight));
    const weightRank = w.rank;
    if (v.rank > weightRank) v = reduceFn(v, trailingAxes(weightRank, v.rank));
    try {
      w = tf.broadcastTo(w, v.shape);
    } catch (cause) {
      throw new ValueError(
        `${who}: sampleWeight of shape [${w.shape}] does not broadcast to the per-sample values of shape [${v.shape}].`,
        { cause },
      );
    }
    v = tf.mul(v, w);
    if (weightRank > 1) w = reduceFn(w, trailingAxes(1, weightRank));
  }
  if (v.rank > 1) v = reduceFn(v, trailingAxes(1, v.rank));
  const count: tf.Scalar = w ? tf.sum(w) : tf.scalar(v.rank >= 1 ? v.shape[0]! : 1);
  return [tf.sum(v), count];
}

/** Divides, giving 0 where the denominator is 0 (Keras `divide_no_nan`). */
export function divideNoNan(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.where(
    tf.equal(b, 0),
    tf.zerosLike(a),
    tf.div(a, tf.where(tf.equal(b, 0), tf.onesLike(b), b)),
  );
}

/** Keras config -> constructor arguments: camelCase keys, no nulls. */
export function configToArgs(config: Config): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null) continue;
    args[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return args;
}
