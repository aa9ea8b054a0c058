import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { checkRate } from './dropout.js';
import { tfjsSeed } from '../../utils/random.js';
import { SeedStream } from './seeded.js';

/** Arguments of {@link GaussianDropout}. */
export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability, in [0, 1); the noise has standard deviation `sqrt(rate / (1 - rate))`. */
  rate: number;
  /** @default null */
  seed?: number | null;
}

/**
 * Multiplies inputs by 1-centered Gaussian noise with standard deviation `sqrt(rate / (1 - rate))`
 * while training.
 *
 * @example
 * ```ts
 * const y = new GaussianDropout({ rate: 0.2 }).apply(x, { training: true });
 * ```
 */
export class GaussianDropout extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'GaussianDropout';
  readonly rate: number;
  readonly seed: number | null;
  readonly #seeds: SeedStream;

  constructor(args: GaussianDropoutArgs) {
    super(args);
    const { rate, seed = null } = args;
    checkRate(rate, this.who);
    this.rate = rate;
    this.seed = seed;
    this.#seeds = new SeedStream(seed);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor, { training = false }: CallArgs): tf.Tensor {
    if (!training || this.rate === 0) return tf.clone(inputs);
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tf.mul(
      inputs,
      tf.randomNormal(inputs.shape, 1, stddev, 'float32', tfjsSeed(this.#seeds.next())),
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

registerKerasClass('keras.layers', GaussianDropout);
