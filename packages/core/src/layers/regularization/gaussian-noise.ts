import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { tfjsSeed } from '../../utils/random.js';
import { SeedStream } from './seeded.js';

/** Arguments of {@link GaussianNoise}. */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the added noise. */
  stddev: number;
  /** @default null */
  seed?: number | null;
}

/**
 * Adds zero-centered Gaussian noise with standard deviation `stddev` while training.
 *
 * @example
 * ```ts
 * const y = new GaussianNoise({ stddev: 0.1 }).apply(x, { training: true });
 * ```
 */
export class GaussianNoise extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'GaussianNoise';
  readonly stddev: number;
  readonly seed: number | null;
  readonly #seeds: SeedStream;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    const { stddev, seed = null } = args;
    if (!(stddev >= 0))
      throw new ValueError(
        `${this.who}: stddev must be a number >= 0. Received: stddev=${stddev}.`,
      );
    this.stddev = stddev;
    this.seed = seed;
    this.#seeds = new SeedStream(seed);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor, { training = false }: CallArgs): tf.Tensor {
    if (!training || this.stddev === 0) return tf.clone(inputs);
    return tf.add(
      inputs,
      tf.randomNormal(inputs.shape, 0, this.stddev, 'float32', tfjsSeed(this.#seeds.next())),
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}

registerKerasClass('keras.layers', GaussianNoise);
