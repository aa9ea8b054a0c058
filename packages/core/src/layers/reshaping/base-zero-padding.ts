import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import type { Config } from '../../saving/registry.js';
import { type DataFormat, normalizeDataFormat } from '../convolution/conv-utils.js';
import { normalizePairs, type PairsArg, pairsConfig } from './spatial-pairs.js';

/** Arguments of ZeroPadding1D/2D/3D. */
export interface BaseZeroPaddingArgs extends LayerArgs {
  /** Zeros added at the start and end of each spatial axis (see normalizePairs). @default 1 */
  padding?: PairsArg;
  /** @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** Adds zeros at both ends of each spatial axis. */
export abstract class BaseZeroPadding extends Layer {
  readonly rank: number;
  readonly padding: [number, number][];
  readonly dataFormat: DataFormat;

  constructor(rank: number, args: BaseZeroPaddingArgs) {
    const { padding = 1, dataFormat = 'channels_last', ...base } = args;
    super(base);
    this.rank = rank;
    this.padding = normalizePairs(padding, rank, 'padding', this.who);
    this.dataFormat = normalizeDataFormat(dataFormat, this.who);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  private pairOf(axis: number): [number, number] | undefined {
    const i = axis - (this.dataFormat === 'channels_last' ? 1 : 2);
    return i >= 0 && i < this.rank ? this.padding[i] : undefined;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.pad(
      x,
      x.shape.map((_, axis) => this.pairOf(axis) ?? [0, 0]),
    );
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (inputShape as Shape).map((d, axis) => {
      const pair = this.pairOf(axis);
      return pair && d !== null ? d + pair[0] + pair[1] : d;
    });
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      padding: pairsConfig(this.padding),
      data_format: this.dataFormat,
    };
  }
}
