import * as tf from '@tensorflow/tfjs-core';
import { assertInputCompatibility, InputSpec, type Shape } from '../../engine/input-spec.js';
import type { LayerArgs } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { formatShape } from '../../engine/naming.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { type HostArray, hostArrayToTensor, PreprocessingLayer } from './host-data.js';

/** Keras's backend epsilon: the smallest standard deviation divided by. */
const EPSILON = 1e-7;

/** Arguments of {@link Normalization}. */
export interface NormalizationArgs extends LayerArgs {
  /** Axis or axes that keep separate statistics (the feature axes); null for one scalar mean/variance. @default -1 */
  axis?: number | number[] | null;
  /** Fixed mean (a number or per-feature list); with `variance`, no `adapt` is needed. @default null */
  mean?: number | number[] | null;
  /** Fixed variance, given together with `mean`. @default null */
  variance?: number | number[] | null;
  /** Undo the normalization instead: `mean + x * sqrt(variance)`. @default false */
  invert?: boolean;
}

/**
 * Feature-wise standardization `(x - mean) / sqrt(variance)` (division by at least 1e-7), with the
 * statistics given up front or computed by `adapt(data)` (kept as non-trainable weights `mean`
 * and `variance`). With `invert: true` it maps normalized values back.
 *
 * @example
 * ```ts
 * const norm = new Normalization();
 * norm.adapt(tf.tensor2d([[1, 10], [3, 30]]));
 * norm.apply(tf.tensor2d([[2, 20]])); // [[0, 0]]
 * ```
 */
export class Normalization extends PreprocessingLayer {
  static override readonly className = 'Normalization';
  readonly axis: number[];
  readonly mean: number | number[] | null;
  readonly variance: number | number[] | null;
  readonly invert: boolean;
  adaptMean: LayerVariable | null = null;
  adaptVariance: LayerVariable | null = null;

  constructor(args: NormalizationArgs = {}) {
    super(args);
    const { axis = -1, mean = null, variance = null, invert = false } = args;
    this.axis = axis === null ? [] : Array.isArray(axis) ? [...axis] : [axis];
    if ((mean === null) !== (variance === null)) {
      throw new ValueError(
        `${this.who}: pass both mean and variance, or neither (then call adapt). Received: mean=${JSON.stringify(mean)}, variance=${JSON.stringify(variance)}.`,
      );
    }
    this.mean = mean;
    this.variance = variance;
    this.invert = invert;
  }

  protected outputDtype(): tf.DataType {
    return 'float32';
  }

  /** Non-negative kept axes for a rank-`rank` input. */
  private keptAxes(shape: Shape): number[] {
    return this.axis.map((a) => {
      if (a >= shape.length || a < -shape.length) {
        throw new ValueError(
          `${this.who}: axis ${a} is out of bounds for input of rank ${shape.length} (shape ${formatShape(shape)}). Received: axis=${JSON.stringify(this.axis)}.`,
        );
      }
      return a < 0 ? a + shape.length : a;
    });
  }

  private statsShape(shape: Shape): number[] {
    return this.keptAxes(shape).map((a) => {
      const d = shape[a];
      if (d == null) {
        throw new ValueError(
          `${this.who}: axis ${a} must have a known size, received shape ${formatShape(shape)}.`,
        );
      }
      return d;
    });
  }

  override build(inputShape: Shape): void {
    // Later inputs must have the kept axes' sizes (as given: -1 stays -1), which the statistics have.
    const kept = this.keptAxes(inputShape);
    const axes: Record<number, number> = {};
    this.axis.forEach((a, i) => {
      const size = inputShape[kept[i] as number];
      if (size != null) axes[a] = size;
    });
    this.inputSpec = new InputSpec({
      minNdim: Math.max(1, ...this.axis.map((a) => (a < 0 ? -a : a + 1))),
      axes,
    });
    if (this.mean !== null) return;
    const shape = this.statsShape(inputShape);
    this.adaptMean = this.addWeight({
      name: 'mean',
      shape,
      initializer: 'zeros',
      trainable: false,
    });
    this.adaptVariance = this.addWeight({
      name: 'variance',
      shape,
      initializer: 'ones',
      trainable: false,
    });
  }

  /**
   * Computes the mean and (biased) variance of `data` over every axis but `axis`, and stores them.
   * Builds the layer from the data's shape (batch axis free) when needed.
   */
  adapt(data: tf.Tensor | HostArray): void {
    if (this.mean !== null) {
      throw new ValueError(
        `${this.who}: cannot adapt a layer constructed with fixed mean and variance.`,
      );
    }
    const x = data instanceof tf.Tensor ? data : hostArrayToTensor(data);
    try {
      if (!this.built) {
        this.maybeBuild([null, ...x.shape.slice(1)]);
      }
      assertInputCompatibility(this.who, this.inputSpec, [x]);
      const kept = this.keptAxes(x.shape);
      const reduce = [...Array(x.rank).keys()].filter((a) => !kept.includes(a));
      tf.tidy(() => {
        const { mean, variance } = tf.moments(tf.cast(x, 'float32'), reduce, false);
        const shape = (this.adaptMean as LayerVariable).shape;
        (this.adaptMean as LayerVariable).assign(tf.reshape(mean, shape));
        (this.adaptVariance as LayerVariable).assign(tf.reshape(variance, shape));
      });
    } finally {
      if (x !== data) x.dispose();
    }
  }

  private broadcastStats(shape: number[]): [tf.Tensor, tf.Tensor] {
    const kept = this.keptAxes(shape);
    const target = shape.map((d, i) => (kept.includes(i) ? d : 1));
    if (this.mean !== null && this.variance !== null) {
      const asTensor = (v: number | number[]) =>
        typeof v === 'number' ? tf.fill(target, v) : tf.reshape(tf.tensor1d(v), target);
      return [asTensor(this.mean), asTensor(this.variance)];
    }
    if (!this.adaptMean || !this.adaptVariance) {
      throw new ValueError(
        `${this.who}: the layer has no statistics. Fix: call adapt(data) or pass mean and variance.`,
      );
    }
    return [
      tf.reshape(this.adaptMean.read(), target),
      tf.reshape(this.adaptVariance.read(), target),
    ];
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    const x = inputs.dtype === 'float32' ? inputs : tf.cast(inputs, 'float32');
    const [mean, variance] = this.broadcastStats(x.shape);
    const std = tf.maximum(tf.sqrt(variance), EPSILON);
    return this.invert ? tf.add(mean, tf.mul(x, std)) : tf.div(tf.sub(x, mean), std);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: this.axis,
      invert: this.invert,
      mean: this.mean,
      variance: this.variance,
    };
  }
}

registerKerasClass('keras.layers', Normalization);
