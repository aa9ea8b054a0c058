import * as tf from '@tensorflow/tfjs-core';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { formatShape } from '../../engine/naming.js';

/** Arguments of Reshape. */
export interface ReshapeArgs extends LayerArgs {
  /** Output shape without the batch axis; one entry may be -1 (inferred). */
  targetShape: number[];
}

/**
 * Reshape: [batch, ...] -> [batch, ...targetShape].
 *
 * @example
 * ```ts
 * const layer = new Reshape({ targetShape: [-1, 4] });
 * ```
 */
export class Reshape extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className: string = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    const { targetShape, ...base } = args;
    super(base);
    const unknown = targetShape.filter((d) => d === -1).length;
    if (unknown > 1 || targetShape.some((d) => !Number.isInteger(d) || (d <= 0 && d !== -1))) {
      throw new ValueError(
        `${this.who}: argument targetShape must hold positive integers and at most one -1. Received: targetShape=[${targetShape}].`,
      );
    }
    this.targetShape = [...targetShape];
  }

  /** The target shape with -1 resolved for `inputShape` (null when it cannot be known). */
  private resolve(inputShape: Shape): (number | null)[] {
    const rest = inputShape.slice(1);
    if (!this.targetShape.includes(-1)) return [...this.targetShape];
    if (rest.some((d) => d === null)) return this.targetShape.map((d) => (d === -1 ? null : d));
    const total = (rest as number[]).reduce((a, b) => a * b, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (total % known !== 0) {
      throw new ValueError(
        `${this.who}: cannot reshape input of shape ${formatShape(inputShape)} (${total} values per sample) to targetShape [${this.targetShape}].`,
      );
    }
    return this.targetShape.map((d) => (d === -1 ? total / known : d));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const target = this.resolve(x.shape) as number[];
    const size = target.reduce((a, b) => a * b, 1);
    if (size * (x.shape[0] as number) !== x.size) {
      throw new ValueError(
        `${this.who}: cannot reshape input of shape ${formatShape(x.shape)} to targetShape [${this.targetShape}] (${x.size / (x.shape[0] as number)} values per sample, expected ${size}).`,
      );
    }
    return tf.reshape(x, [x.shape[0] as number, ...target]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [shape[0] ?? null, ...this.resolve(shape)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), target_shape: this.targetShape };
  }
}
registerKerasClass('keras.layers', Reshape);
