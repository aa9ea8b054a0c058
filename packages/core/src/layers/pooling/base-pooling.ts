import type * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import type { Config } from '../../saving/registry.js';
import {
  convOutputLength,
  type DataFormat,
  normalizeDataFormat,
  normalizePadding,
  normalizeTuple,
  toChannelsFirst,
  toChannelsLast,
} from '../convolution/conv-utils.js';
import { type PoolMode, pool } from './pooling-utils.js';

/** Arguments shared by the max and average pooling layers. */
export interface BasePoolingArgs extends LayerArgs {
  /** Window size: one integer for every spatial axis, or one per axis. @default 2 */
  poolSize?: number | number[];
  /** Step of the window; null means poolSize. @default null */
  strides?: number | number[] | null;
  /** `'valid'` or `'same'` (TensorFlow's placement; averages count real elements only). @default 'valid' */
  padding?: 'valid' | 'same';
  /** @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** Max or average pooling over 1, 2 or 3 spatial axes (MaxPooling1D ... AveragePooling3D). */
export abstract class BasePooling extends Layer {
  static override readonly builtAtConstruction = true;
  readonly rank: number;
  readonly mode: PoolMode;
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;

  constructor(rank: number, mode: PoolMode, args: BasePoolingArgs) {
    const {
      poolSize = 2,
      strides = null,
      padding = 'valid',
      dataFormat = 'channels_last',
      ...base
    } = args;
    super(base);
    this.rank = rank;
    this.mode = mode;
    this.poolSize = normalizeTuple(poolSize, rank, 'poolSize', this.who);
    this.strides = normalizeTuple(strides ?? poolSize, rank, 'strides', this.who);
    this.padding = normalizePadding(padding, this.who, false) as 'valid' | 'same';
    this.dataFormat = normalizeDataFormat(dataFormat, this.who);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (this.dataFormat === 'channels_last')
      return pool(x, this.mode, this.poolSize, this.strides, this.padding);
    const y = pool(toChannelsLast(x), this.mode, this.poolSize, this.strides, this.padding);
    const out = toChannelsFirst(y);
    y.dispose();
    return out;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    const spatial = this.poolSize.map((k, i) =>
      convOutputLength(shape[first + i] ?? null, k, this.padding, this.strides[i] as number),
    );
    return this.dataFormat === 'channels_last'
      ? [shape[0] ?? null, ...spatial, shape[this.rank + 1] ?? null]
      : [shape[0] ?? null, shape[1] ?? null, ...spatial];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      pool_size: this.poolSize,
      padding: this.padding,
      strides: this.strides,
      data_format: this.dataFormat,
    };
  }
}
