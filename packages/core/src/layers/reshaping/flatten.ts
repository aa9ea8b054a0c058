import * as tf from '@tensorflow/tfjs-core';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import { registerKerasClass } from '../../saving/registry.js';
import type { Config } from '../../saving/registry.js';
import { type DataFormat, normalizeDataFormat, toChannelsLast } from '../convolution/conv-utils.js';

/** Arguments of Flatten. */
export interface FlattenArgs extends LayerArgs {
  /** With 'channels_first', channels are moved last before flattening (same order as channels_last). @default 'channels_last' */
  dataFormat?: DataFormat;
}

/**
 * Flatten: [batch, ...dims] -> [batch, product(dims)].
 *
 * @example
 * ```ts
 * const layer = new Flatten();
 * ```
 */
export class Flatten extends Layer {
  static override readonly className: string = 'Flatten';
  readonly dataFormat: DataFormat;

  constructor(args: FlattenArgs = {}) {
    const { dataFormat = 'channels_last', ...base } = args;
    super(base);
    this.dataFormat = normalizeDataFormat(dataFormat, this.who);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    return tf.tidy(() => {
      let x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      if (this.dataFormat === 'channels_first' && x.rank > 2) x = toChannelsLast(x);
      return tf.reshape(x, [x.shape[0] as number, -1]);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const rest = shape.slice(1);
    const size = rest.some((d) => d === null)
      ? null
      : (rest as number[]).reduce((a, b) => a * b, 1);
    return [shape[0] ?? null, size];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}
registerKerasClass('keras.layers', Flatten);
