import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import type { Config } from '../../saving/registry.js';
import { type DataFormat, normalizeDataFormat } from '../convolution/conv-utils.js';
import { normalizePairs, type PairsArg, pairsConfig } from './spatial-pairs.js';
import { formatShape } from '../../engine/naming.js';

/** Arguments of Cropping1D/2D/3D. */
export interface BaseCroppingArgs extends LayerArgs {
  /** Units removed from the start and end of each spatial axis (see normalizePairs). */
  cropping?: PairsArg;
  /** @default 'channels_last' (Cropping1D is always channels_last) */
  dataFormat?: DataFormat;
}

/** Removes `cropping` units from both ends of each spatial axis. */
export abstract class BaseCropping extends Layer {
  readonly rank: number;
  readonly cropping: [number, number][];
  readonly dataFormat: DataFormat;

  constructor(rank: number, defaultCropping: PairsArg, args: BaseCroppingArgs) {
    const { cropping = defaultCropping, dataFormat = 'channels_last', ...base } = args;
    super(base);
    this.rank = rank;
    this.cropping = normalizePairs(cropping, rank, 'cropping', this.who);
    this.dataFormat = normalizeDataFormat(dataFormat, this.who);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  private get firstSpatial(): number {
    return this.dataFormat === 'channels_last' ? 1 : 2;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const out = this.computeOutputShape(x.shape) as number[];
    const begin = x.shape.map((_, axis) => {
      const i = axis - this.firstSpatial;
      return i >= 0 && i < this.rank ? (this.cropping[i] as [number, number])[0] : 0;
    });
    return tf.slice(x, begin, out);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return shape.map((d, axis) => {
      const i = axis - this.firstSpatial;
      if (i < 0 || i >= this.rank || d === null) return d;
      const [before, after] = this.cropping[i] as [number, number];
      if (d - before - after <= 0) {
        throw new ValueError(
          `${this.who}: cropping [${before}, ${after}] leaves nothing of axis ${axis} (size ${d}) of input shape ${formatShape(shape)}.`,
        );
      }
      return d - before - after;
    });
  }

  override getConfig(): Config {
    const config: Config = { ...super.getConfig(), cropping: pairsConfig(this.cropping) };
    if (this.rank > 1) config.data_format = this.dataFormat;
    return config;
  }
}
