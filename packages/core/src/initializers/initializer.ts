import type * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../saving/registry.js';

/**
 * Base of every weight initializer: `init.call(shape, dtype)` returns a new tensor.
 * Seeded initializers return the same values on every call (Keras 3 semantics); unseeded ones
 * draw new values each time.
 */
export abstract class Initializer {
  static readonly className: string = 'Initializer';
  abstract call(shape: number[], dtype?: tf.DataType): tf.Tensor;
  /** Keras config (snake_case keys). */
  getConfig(): Config {
    return {};
  }
  static fromConfig<T extends Initializer>(
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

/** `[fanIn, fanOut]` of a kernel shape, as Keras's `compute_fans` (receptive field for conv kernels). */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0] as number, shape[0] as number];
  if (shape.length === 2) return [shape[0] as number, shape[1] as number];
  let receptive = 1;
  for (const d of shape.slice(0, -2)) receptive *= d;
  return [(shape.at(-2) as number) * receptive, (shape.at(-1) as number) * receptive];
}
