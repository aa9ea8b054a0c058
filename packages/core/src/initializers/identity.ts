import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import type { Config } from '../saving/registry.js';
import { Initializer } from './initializer.js';

export interface IdentityArgs {
  /** Multiplier of the identity matrix. @default 1 */
  gain?: number;
}

/** `gain * I` for 2D shapes (rectangular: ones on the main diagonal). */
export class Identity extends Initializer {
  static override readonly className = 'Identity';
  readonly gain: number;
  constructor({ gain = 1 }: IdentityArgs = {}) {
    super();
    this.gain = gain;
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    if (shape.length !== 2) {
      throw new ValueError(
        `Identity: the shape must have rank 2. Received: shape=${JSON.stringify(shape)}.`,
      );
    }
    return tf.tidy(() =>
      tf.cast(tf.mul(tf.eye(shape[0] as number, shape[1] as number), this.gain), dtype),
    );
  }
  override getConfig(): Config {
    return { gain: this.gain };
  }
}
