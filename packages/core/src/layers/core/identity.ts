import type * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { registerKerasClass } from '../../saving/registry.js';

/** Returns its input unchanged (same tensor, same mask); a placeholder in architectures. */
export class Identity extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'Identity';

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return inputs;
  }
}

registerKerasClass('keras.layers', Identity);
