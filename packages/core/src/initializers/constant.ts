import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../saving/registry.js';
import { Initializer } from './initializer.js';

/** Fills with zeros. */
export class Zeros extends Initializer {
  static override readonly className = 'Zeros';
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.zeros(shape, dtype);
  }
}

/** Fills with ones. */
export class Ones extends Initializer {
  static override readonly className = 'Ones';
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.ones(shape, dtype);
  }
}

export interface ConstantArgs {
  /** The fill value. @default 0 */
  value?: number;
}

/** Fills with one constant value. */
export class Constant extends Initializer {
  static override readonly className = 'Constant';
  readonly value: number;
  constructor({ value = 0 }: ConstantArgs = {}) {
    super();
    this.value = value;
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.fill(shape, this.value, dtype);
  }
  override getConfig(): Config {
    return { value: this.value };
  }
}
