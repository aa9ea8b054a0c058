import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import type { Config } from '../../saving/registry.js';
import {
  type DataFormat,
  normalizeDataFormat,
  normalizeTuple,
  toChannelsFirst,
  toChannelsLast,
} from '../convolution/conv-utils.js';

/** Interpolation of UpSampling2D. */
export type UpSamplingInterpolation = 'nearest' | 'bilinear';

/** Arguments of UpSampling1D/2D/3D. */
export interface BaseUpSamplingArgs extends LayerArgs {
  /** Repetition factor per spatial axis. @default 2 */
  size?: number | number[];
  /** @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** Repeats each element `size` times along each spatial axis (nearest), or resizes bilinearly (2D). */
export abstract class BaseUpSampling extends Layer {
  readonly rank: number;
  readonly size: number[];
  readonly dataFormat: DataFormat;
  protected readonly method: UpSamplingInterpolation;

  constructor(rank: number, args: BaseUpSamplingArgs, method: UpSamplingInterpolation = 'nearest') {
    const { size = 2, dataFormat = 'channels_last', ...base } = args;
    super(base);
    this.rank = rank;
    this.size = normalizeTuple(size, rank, 'size', this.who);
    this.dataFormat = normalizeDataFormat(dataFormat, this.who);
    if (method !== 'nearest' && !(method === 'bilinear' && rank === 2)) {
      throw new ValueError(
        `${this.who}: argument interpolation must be 'nearest' or 'bilinear'. Received: interpolation='${method}'.`,
      );
    }
    this.method = method;
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    return tf.tidy(() => {
      let x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      if (this.dataFormat === 'channels_first') x = toChannelsLast(x);
      let y: tf.Tensor;
      if (this.method === 'bilinear') {
        const [h, w] = x.shape.slice(1, 3) as [number, number];
        const size: [number, number] = [h * (this.size[0] as number), w * (this.size[1] as number)];
        y = tf.image.resizeBilinear(x as tf.Tensor4D, size, false, true);
      } else {
        y = x;
        this.size.forEach((factor, i) => {
          if (factor === 1) return;
          const axis = i + 1;
          const reps = new Array<number>(y.rank + 1).fill(1);
          reps[axis + 1] = factor;
          const merged = [...y.shape];
          merged[axis] = (merged[axis] as number) * factor;
          y = tf.reshape(tf.tile(tf.expandDims(y, axis + 1), reps), merged);
        });
      }
      return this.dataFormat === 'channels_first' ? toChannelsFirst(y) : y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    return (inputShape as Shape).map((d, axis) => {
      const i = axis - first;
      return i >= 0 && i < this.rank && d !== null ? d * (this.size[i] as number) : d;
    });
  }

  override getConfig(): Config {
    const config: Config = {
      ...super.getConfig(),
      size: this.rank === 1 ? (this.size[0] as number) : this.size,
    };
    if (this.rank > 1) config.data_format = this.dataFormat;
    return config;
  }
}
