import type * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../saving/registry.js';

/** Base of weight/activity regularizers: `call(x)` returns the scalar penalty added to `layer.losses`. */
export abstract class Regularizer {
  static readonly className: string = 'Regularizer';
  abstract call(x: tf.Tensor): tf.Scalar;
  getConfig(): Config {
    return {};
  }
  static fromConfig<T extends Regularizer>(
    this: new (
      args: Record<string, unknown>,
    ) => T,
    config: Config,
  ): T {
    return new this({ ...config });
  }
}
