import type * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../saving/registry.js';

/** Base of weight constraints: `call(w)` returns the projected weight, applied after each optimizer update. */
export abstract class Constraint {
  static readonly className: string = 'Constraint';
  abstract call(w: tf.Tensor): tf.Tensor;
  getConfig(): Config {
    return {};
  }
  static fromConfig<T extends Constraint>(
    this: new (
      args: Record<string, unknown>,
    ) => T,
    config: Config,
  ): T {
    const args: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config))
      args[key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = value;
    return new this(args);
  }
}
