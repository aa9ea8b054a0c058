import { nextSeed, tfjsSeed } from '../utils/random.js';
import * as tf from '@tensorflow/tfjs-core';
import type { Config } from '../saving/registry.js';
import { Initializer } from './initializer.js';

export interface RandomNormalArgs {
  /** @default 0 */
  mean?: number;
  /** @default 0.05 */
  stddev?: number;
  /** Seed: the same seed gives the same values on every call. @default null (new values each call) */
  seed?: number | null;
}

/** Draws from N(mean, stddev^2). */
export class RandomNormal extends Initializer {
  static override readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | null;
  constructor({ mean = 0, stddev = 0.05, seed = null }: RandomNormalArgs = {}) {
    super();
    this.mean = mean;
    this.stddev = stddev;
    this.seed = seed;
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.randomNormal(
      shape,
      this.mean,
      this.stddev,
      dtype as 'float32',
      tfjsSeed(this.seed ?? nextSeed()),
    );
  }
  override getConfig(): Config {
    return { seed: this.seed, mean: this.mean, stddev: this.stddev };
  }
}

/** Draws from a normal distribution truncated at two standard deviations. */
export class TruncatedNormal extends RandomNormal {
  static override readonly className = 'TruncatedNormal';
  override call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.truncatedNormal(
      shape,
      this.mean,
      this.stddev,
      dtype as 'float32',
      tfjsSeed(this.seed ?? nextSeed()),
    );
  }
}

export interface RandomUniformArgs {
  /** @default -0.05 */
  minval?: number;
  /** @default 0.05 */
  maxval?: number;
  /** @default null */
  seed?: number | null;
}

/** Draws from U(minval, maxval). */
export class RandomUniform extends Initializer {
  static override readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed: number | null;
  constructor({ minval = -0.05, maxval = 0.05, seed = null }: RandomUniformArgs = {}) {
    super();
    this.minval = minval;
    this.maxval = maxval;
    this.seed = seed;
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    return tf.randomUniform(shape, this.minval, this.maxval, dtype, this.seed ?? nextSeed());
  }
  override getConfig(): Config {
    return { seed: this.seed, minval: this.minval, maxval: this.maxval };
  }
}
