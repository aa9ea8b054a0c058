import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/** Arguments of Permute. */
export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..n (the batch axis 0 stays first): `[2, 1]` swaps the two non-batch axes. */
  dims: number[];
}

/**
 * Permute: reorders the non-batch axes.
 *
 * @example
 * ```ts
 * const layer = new Permute({ dims: [2, 1] });
 * ```
 */
export class Permute extends Layer {
  static override readonly className: string = 'Permute';
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    const { dims, ...base } = args;
    super(base);
    const sorted = [...dims].sort((a, b) => a - b);
    if (!sorted.every((d, i) => d === i + 1)) {
      throw new ValueError(
        `${this.who}: argument dims must be a permutation of 1..${dims.length} (axis 0, the batch, is not permuted). Received: dims=[${dims}].`,
      );
    }
    this.dims = [...dims];
    this.inputSpec = new InputSpec({ ndim: dims.length + 1 });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.transpose(x, [0, ...this.dims]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0] ?? null, ...this.dims.map((d) => shape[d] ?? null)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), dims: this.dims };
  }
}
registerKerasClass('keras.layers', Permute);
