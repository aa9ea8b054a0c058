import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import type { LayerVariable } from '../engine/layer-variable.js';
import { registerKerasClass } from '../saving/registry.js';
import {
  asFloat,
  divideNoNan,
  Metric,
  type MetricArgs,
  type MetricInput,
  weightedSums,
} from './metric.js';

/** Weighted sum of the values seen (Keras `Sum`). `updateState(values, sampleWeight?)`. */
export class Sum extends Metric {
  static override readonly className: string = 'Sum';
  protected readonly total: LayerVariable;

  constructor(args: MetricArgs = {}) {
    super(args);
    this.total = this.addVariable('total');
  }

  override updateState(values: MetricInput, sampleWeight?: MetricInput): void {
    tf.tidy(() => {
      const [sum] = weightedSums(asFloat(values), sampleWeight, this.who);
      Metric.addTo(this.total, sum);
    });
  }

  override result(): tf.Tensor {
    return tf.clone(this.total.read());
  }
}

/** Weighted mean of the values seen (Keras `Mean`). `updateState(values, sampleWeight?)`. */
export class Mean extends Metric {
  static override readonly className: string = 'Mean';
  protected readonly total: LayerVariable;
  protected readonly count: LayerVariable;

  constructor(args: MetricArgs = {}) {
    super(args);
    this.total = this.addVariable('total');
    this.count = this.addVariable('count');
  }

  override updateState(values: MetricInput, sampleWeight?: MetricInput): void {
    tf.tidy(() => this.accumulate(asFloat(values), sampleWeight));
  }

  /** Adds per-sample `values` with weights; call inside a tidy. */
  protected accumulate(values: tf.Tensor, sampleWeight?: MetricInput): void {
    const [sum, count] = weightedSums(values, sampleWeight, this.who);
    Metric.addTo(this.total, sum);
    Metric.addTo(this.count, count);
  }

  override result(): tf.Tensor {
    return tf.tidy(() => divideNoNan(this.total.read(), this.count.read()));
  }
}

/** A per-sample metric function: returns one value per sample (shape `[batch]` or `[batch, ...]`). */
export type MetricFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export interface MeanMetricWrapperArgs extends MetricArgs {
  /** The per-sample function whose weighted mean the metric reports. */
  fn: MetricFunction;
}

/**
 * Weighted mean of a per-sample function `fn(yTrue, yPred)` (Keras `MeanMetricWrapper`): the base of
 * the accuracy and regression metrics, and how a plain function becomes a metric.
 *
 * @example
 * const m = new metrics.MeanMetricWrapper({ fn: (t, p) => tf.abs(tf.sub(t, p)), name: 'l1' });
 */
export class MeanMetricWrapper extends Mean {
  static override readonly className: string = 'MeanMetricWrapper';
  readonly fn: MetricFunction;

  constructor({ fn, ...args }: MeanMetricWrapperArgs) {
    super(args);
    this.fn = fn;
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput): void {
    if (yPred === undefined)
      throw new ValueError(
        `${this.who}: updateState needs yTrue and yPred. Received: yPred=undefined.`,
      );
    tf.tidy(() => this.accumulate(this.fn(asFloat(yTrue), asFloat(yPred)), sampleWeight));
  }
}

registerKerasClass('keras.metrics', Sum);
registerKerasClass('keras.metrics', Mean);
