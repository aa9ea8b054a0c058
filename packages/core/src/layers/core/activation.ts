import type * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import type { Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/** Arguments of `new Activation(...)`. */
export interface ActivationArgs extends LayerArgs {
  /** The activation, by Keras name (`'relu'`) or function. */
  activation: activations.ActivationIdentifier;
}

/** Applies an activation function element-wise; masks pass through. */
export class Activation extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'Activation';
  readonly activation: activations.ActivationFn;

  constructor(args: ActivationArgs) {
    const { activation, ...base } = args;
    super(base);
    this.activation = activations.get(activation);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return this.activation(inputs as tf.Tensor);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
}

registerKerasClass('keras.layers', Activation);
