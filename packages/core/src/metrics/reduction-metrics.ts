import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import type { LayerVariable } from '../engine/layer-variable.js';
import { type Config, type ConfigValue, registerKerasClass } from '../saving/registry.js';
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
      const [sum] = weightedSums(asFloat(values), sampleWeight, this.who, 'sum');
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

/** A named metric function with Keras keyword arguments (`threshold`, `k`, ...). */
type NamedMetricFunction = (
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  kwargs: Record<string, ConfigValue>,
) => tf.Tensor;

const METRIC_FUNCTIONS = new Map<string, NamedMetricFunction>();

/**
 * Registers a metric function under its Keras name ('binary_accuracy'), so MeanMetricWrapper
 * configs that name it as `fn` can be rebuilt and written back.
 */
export function registerMetricFunction(name: string, fn: NamedMetricFunction): void {
  METRIC_FUNCTIONS.set(name, fn);
}

export interface MeanMetricWrapperArgs extends MetricArgs {
  /**
   * The per-sample function whose weighted mean the metric reports, or the Keras name of a
   * built-in one ('binary_accuracy', 'mean_absolute_error', ...; then the wrapper's config names
   * it, as Keras writes `fn`).
   */
  fn: MetricFunction | string;
  /** Keyword arguments for a named `fn` (`{ threshold: 0.7 }` for 'binary_accuracy'). */
  fnKwargs?: Record<string, ConfigValue>;
}

/**
 * Weighted mean of a per-sample function `fn(yTrue, yPred)` (Keras `MeanMetricWrapper`): the base of
 * the accuracy and regression metrics, and how a plain function becomes a metric.
 *
 * A wrapper built from a function name writes Keras's config (`fn` as a function reference plus
 * the keyword arguments); one built from a JavaScript function cannot be written with its `fn`.
 *
 * @example
 * const m = new metrics.MeanMetricWrapper({ fn: (t, p) => tf.abs(tf.sub(t, p)), name: 'l1' });
 * const b = new metrics.MeanMetricWrapper({ fn: 'binary_accuracy', fnKwargs: { threshold: 0.7 } });
 */
export class MeanMetricWrapper extends Mean {
  static override readonly className: string = 'MeanMetricWrapper';
  readonly fn: MetricFunction;
  readonly #fnName: string | undefined;
  readonly #fnKwargs: Record<string, ConfigValue>;

  constructor({ fn, fnKwargs = {}, ...args }: MeanMetricWrapperArgs) {
    super(args);
    if (typeof fn === 'string') {
      const named = METRIC_FUNCTIONS.get(fn);
      if (!named) {
        throw new ValueError(
          `${this.who}: unknown metric function fn='${fn}'. Expected one of ${[...METRIC_FUNCTIONS.keys()].join(', ')}, or a function.`,
        );
      }
      this.fn = (t, p) => named(t, p, fnKwargs);
      this.#fnName = fn;
    } else {
      this.fn = fn;
    }
    this.#fnKwargs = fnKwargs;
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput): void {
    if (yPred === undefined)
      throw new ValueError(
        `${this.who}: updateState needs yTrue and yPred. Received: yPred=undefined.`,
      );
    tf.tidy(() => this.accumulate(this.fn(asFloat(yTrue), asFloat(yPred)), sampleWeight));
  }

  override getConfig(): Config {
    // Subclasses (Accuracy, MeanSquaredError, ...) write only their own arguments, as in Keras.
    if (this.constructor !== MeanMetricWrapper || this.#fnName === undefined)
      return super.getConfig();
    return {
      ...super.getConfig(),
      fn: {
        module: 'builtins',
        class_name: 'function',
        config: this.#fnName,
        registered_name: 'function',
      },
      ...this.#fnKwargs,
    };
  }

  /** Rebuilds a wrapper whose config names a registered function (Keras's `fn` dict). */
  static override fromConfig(config: Config): Metric {
    if (this !== MeanMetricWrapper) return super.fromConfig(config);
    const { name, dtype, fn, ...kwargs } = config;
    const fnName =
      typeof fn === 'string'
        ? fn
        : fn && typeof fn === 'object' && !Array.isArray(fn) && typeof fn.config === 'string'
          ? fn.config
          : undefined;
    if (fnName === undefined) {
      throw new ValueError(
        `MeanMetricWrapper.fromConfig: expected 'fn' to name a metric function. Received: fn=${JSON.stringify(fn)}.`,
      );
    }
    return new MeanMetricWrapper({
      fn: fnName,
      fnKwargs: kwargs,
      ...(typeof name === 'string' ? { name } : {}),
      ...(dtype === 'float32' ? { dtype } : {}),
    });
  }
}

registerKerasClass('keras.metrics', Sum);
registerKerasClass('keras.metrics', Mean);
registerKerasClass('keras.metrics', MeanMetricWrapper);
