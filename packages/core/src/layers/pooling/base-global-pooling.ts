import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import type { Config } from '../../saving/registry.js';
import { type DataFormat, normalizeDataFormat } from '../convolution/conv-utils.js';
import type { PoolMode } from './pooling-utils.js';

/** Arguments of the global pooling layers. */
export interface BaseGlobalPoolingArgs extends LayerArgs {
  /** @default 'channels_last' */
  dataFormat?: DataFormat;
  /** Keep the pooled spatial axes with size 1. @default false */
  keepdims?: boolean;
}

/**
 * Max or mean over every spatial axis (GlobalMaxPooling1D ... GlobalAveragePooling3D). The 1D
 * average honours a `[batch, steps]` mask (masked steps are left out of the mean), like Keras.
 */
export abstract class BaseGlobalPooling extends Layer {
  static override readonly builtAtConstruction = true;
  readonly rank: number;
  readonly mode: PoolMode;
  readonly dataFormat: DataFormat;
  readonly keepdims: boolean;

  constructor(rank: number, mode: PoolMode, args: BaseGlobalPoolingArgs) {
    const { dataFormat = 'channels_last', keepdims = false, ...base } = args;
    super(base);
    this.rank = rank;
    this.mode = mode;
    this.dataFormat = normalizeDataFormat(dataFormat, this.who);
    this.keepdims = keepdims;
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
    this.supportsMasking = mode === 'average' && rank === 1;
  }

  private get spatialAxes(): number[] {
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    return Array.from({ length: this.rank }, (_, i) => first + i);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const axes = this.spatialAxes;
      if (this.mode === 'max') return tf.max(x, axes, this.keepdims);
      const mask = Array.isArray(args.mask) ? (args.mask[0] ?? null) : (args.mask ?? null);
      if (mask === null || mask === undefined) return tf.mean(x, axes, this.keepdims);
      const weights = tf.expandDims(
        tf.cast(mask, x.dtype),
        this.dataFormat === 'channels_last' ? 2 : 1,
      );
      return tf.div(
        tf.sum(tf.mul(x, weights), axes, this.keepdims),
        tf.sum(weights, axes, this.keepdims),
      );
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const axes = this.spatialAxes;
    if (this.keepdims) return shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return shape.filter((_, i) => !axes.includes(i));
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], _mask?: Mask | Mask[]): Mask {
    return null;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat, keepdims: this.keepdims };
  }
}
