import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/** Arguments of RepeatVector. */
export interface RepeatVectorArgs extends LayerArgs {
  /** Number of repetitions. */
  n: number;
}

/**
 * RepeatVector: [batch, features] -> [batch, n, features].
 *
 * @example
 * ```ts
 * const layer = new RepeatVector({ n: 3 });
 * ```
 */
export class RepeatVector extends Layer {
  static override readonly className: string = 'RepeatVector';
  readonly n: number;

  constructor(args: RepeatVectorArgs) {
    const { n, ...base } = args;
    super(base);
    if (!Number.isInteger(n) || n <= 0) {
      throw new ValueError(`${this.who}: argument n must be a positive integer. Received: n=${n}.`);
    }
    this.n = n;
    this.inputSpec = new InputSpec({ ndim: 2 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.tidy(() => tf.tile(tf.expandDims(x, 1), [1, this.n, 1]));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0] ?? null, this.n, shape[1] ?? null];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), n: this.n };
  }
}
registerKerasClass('keras.layers', RepeatVector);
