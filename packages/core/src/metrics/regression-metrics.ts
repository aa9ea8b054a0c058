import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '../engine/layer-variable.js';
import { ValueError } from '../errors/errors.js';
import { type Config, registerKerasClass } from '../saving/registry.js';
import {
  asFloat,
  configToArgs,
  Metric,
  type MetricArgs,
  type MetricInput,
  squeezeOrExpandToSameRank,
} from './metric.js';
import { MeanMetricWrapper, registerMetricFunction } from './reduction-metrics.js';

/**
 * Mean over the last axis of `(yTrue - yPred)^2`. As Keras, `[b]` labels meet `[b, 1]`
 * predictions by squeezing or expanding the trailing 1 (not by broadcasting to `[b, b]`).
 */
export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return tf.mean(tf.squaredDifference(t, p), -1);
}

/** Mean over the last axis of `|yTrue - yPred|` (same rank handling as `meanSquaredError`). */
export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return tf.mean(tf.abs(tf.sub(t, p)), -1);
}

/** Weighted mean of the per-sample squared error. */
export class MeanSquaredError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanSquaredError';
  constructor(args: MetricArgs = {}) {
    super({ ...args, fn: meanSquaredError });
  }
}

/** Weighted mean of the per-sample absolute error. */
export class MeanAbsoluteError extends MeanMetricWrapper {
  static override readonly className: string = 'MeanAbsoluteError';
  constructor(args: MetricArgs = {}) {
    super({ ...args, fn: meanAbsoluteError });
  }
}

/** Square root of the weighted mean squared error over everything seen. */
export class RootMeanSquaredError extends MeanMetricWrapper {
  static override readonly className: string = 'RootMeanSquaredError';
  constructor(args: MetricArgs = {}) {
    // Elementwise squared errors, averaged per sample by the reduction (Keras squares first and
    // lets Mean average, so per-entry sample weights apply to single entries).
    super({
      ...args,
      fn: (yTrue, yPred) => {
        const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
        return tf.squaredDifference(p, t);
      },
    });
  }
  override result(): tf.Tensor {
    return tf.tidy(() => tf.sqrt(super.result()));
  }
}

export interface R2ScoreArgs extends MetricArgs {
  /**
   * How per-output scores combine: their mean, a mean weighted by each output's variance, or none
   * (a vector of per-output scores). Keras's names; 'variance_weighted' (Cornu's earlier spelling)
   * is read as 'variance_weighted_average'.
   * @default 'uniform_average'
   */
  classAggregation?: 'uniform_average' | 'variance_weighted_average' | 'variance_weighted' | null;
  /**
   * Number of regressors, for the adjusted R^2 (0 = plain R^2).
   * @default 0
   */
  numRegressors?: number;
}

/**
 * Coefficient of determination R^2 = 1 - SS_res / SS_tot, accumulated over batches (Keras
 * `R2Score`). Inputs are `[batch]` or `[batch, outputs]`.
 */
export class R2Score extends Metric {
  static override readonly className: string = 'R2Score';
  readonly classAggregation: 'uniform_average' | 'variance_weighted_average' | null;
  readonly numRegressors: number;
  #state?: {
    sum: LayerVariable;
    squaredSum: LayerVariable;
    totalMse: LayerVariable;
    count: LayerVariable;
    numSamples: LayerVariable;
  };

  constructor({
    classAggregation = 'uniform_average',
    numRegressors = 0,
    ...args
  }: R2ScoreArgs = {}) {
    super({ name: 'r2_score', ...args });
    if (
      ![null, 'uniform_average', 'variance_weighted_average', 'variance_weighted'].includes(
        classAggregation,
      )
    ) {
      throw new ValueError(
        `R2Score: classAggregation must be 'uniform_average', 'variance_weighted_average' or null. Received: ${String(classAggregation)}.`,
      );
    }
    if (!(Number.isInteger(numRegressors) && numRegressors >= 0)) {
      throw new ValueError(
        `R2Score: numRegressors must be a non-negative integer. Received: ${numRegressors}.`,
      );
    }
    this.classAggregation =
      classAggregation === 'variance_weighted' ? 'variance_weighted_average' : classAggregation;
    this.numRegressors = numRegressors;
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput): void {
    if (yPred === undefined)
      throw new ValueError(`${this.who}: updateState needs yTrue and yPred.`);
    tf.tidy(() => {
      let t = asFloat(yTrue);
      let p = asFloat(yPred);
      if (t.rank === 1) t = tf.expandDims(t, 1);
      if (p.rank === 1) p = tf.expandDims(p, 1);
      if (!tf.util.arraysEqual(t.shape, p.shape)) {
        throw new ValueError(
          `${this.who}: yTrue and yPred must have the same shape. Received [${t.shape}] and [${p.shape}].`,
        );
      }
      const outputs = t.shape[1]!;
      if (!this.#state) {
        this.#state = {
          sum: this.addVariable('sum', [outputs]),
          squaredSum: this.addVariable('squared_sum', [outputs]),
          totalMse: this.addVariable('residual', [outputs]),
          count: this.addVariable('count', [outputs]),
          numSamples: this.addVariable('num_samples'),
        };
      }
      let w = sampleWeight === undefined ? tf.onesLike(t) : asFloat(sampleWeight);
      if (w.rank === 1) w = tf.expandDims(w, 1);
      w = tf.broadcastTo(w, t.shape);
      const weightedTrue = tf.mul(t, w);
      const s = this.#state;
      Metric.addTo(s.sum, tf.sum(weightedTrue, 0));
      Metric.addTo(s.squaredSum, tf.sum(tf.mul(t, weightedTrue), 0));
      Metric.addTo(s.totalMse, tf.sum(tf.mul(tf.squaredDifference(t, p), w), 0));
      Metric.addTo(s.count, tf.sum(w, 0));
      // Keras counts every entry of yTrue here (rows x outputs), not rows: its adjusted R^2 uses it.
      Metric.addTo(s.numSamples, tf.scalar(t.size));
    });
  }

  override result(): tf.Tensor {
    const s = this.#state;
    if (!s) return tf.scalar(0);
    return tf.tidy(() => {
      const mean = tf.div(s.sum.read(), s.count.read());
      const total = tf.sub(s.squaredSum.read(), tf.mul(s.sum.read(), mean));
      let raw = tf.sub(1, tf.div(s.totalMse.read(), total));
      raw = tf.where(tf.isInf(raw), tf.zerosLike(raw), raw);
      let r2: tf.Tensor =
        this.classAggregation === 'uniform_average'
          ? tf.mean(raw)
          : this.classAggregation === 'variance_weighted_average'
            ? tf.div(tf.sum(tf.mul(raw, total)), tf.sum(total))
            : raw;
      if (this.numRegressors > 0) {
        const n = s.numSamples.read().dataSync()[0]!;
        const k = this.numRegressors;
        if (k >= n - 1) {
          console.warn(
            `${this.who}: ${k > n - 1 ? 'more regressors than samples' : 'numRegressors = samples - 1 divides by zero'}; returning the plain R^2.`,
          );
        } else {
          r2 = tf.sub(1, tf.div(tf.mul(tf.sub(1, r2), n - 1), n - k - 1));
        }
      }
      return r2;
    });
  }

  /** As Keras: `class_aggregation: null` means no aggregation (not the default). */
  static override fromConfig(config: Config): Metric {
    const args = configToArgs(config) as R2ScoreArgs;
    if (config.class_aggregation === null) args.classAggregation = null;
    return new R2Score(args);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      class_aggregation: this.classAggregation,
      num_regressors: this.numRegressors,
    };
  }
}

for (const cls of [MeanSquaredError, MeanAbsoluteError, RootMeanSquaredError, R2Score]) {
  registerKerasClass('keras.metrics', cls);
}

registerMetricFunction('mean_squared_error', meanSquaredError);
registerMetricFunction('mean_absolute_error', meanAbsoluteError);
