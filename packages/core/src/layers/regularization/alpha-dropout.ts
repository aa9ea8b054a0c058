import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { checkRate, resolveNoiseShape } from './dropout.js';
import { SeedStream } from './seeded.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Alpha dropout (Klambauer et al., 2017): dropped entries become SELU's negative saturation value
 * and the result is affinely rescaled so mean and variance are kept.
 */
export function alphaDropout(
  x: tf.Tensor,
  rate: number,
  noiseShape: number[],
  seed: number,
): tf.Tensor {
  return tf.tidy(() => {
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const kept = tf.cast(
      tf.greaterEqual(tf.randomUniform(noiseShape, 0, 1, 'float32', seed), rate),
      x.dtype,
    );
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    const y = tf.add(tf.mul(x, kept), tf.mul(tf.sub(1, kept), alphaP));
    return tf.add(tf.mul(y, a), b);
  });
}

/** Arguments of {@link AlphaDropout}. */
export interface AlphaDropoutArgs extends LayerArgs {
  /** Drop probability, in [0, 1). */
  rate: number;
  /** @default null */
  noiseShape?: Shape | null;
  /** @default null */
  seed?: number | null;
}

/**
 * Dropout that keeps the self-normalizing property of SELU networks; active only while training.
 *
 * @example
 * ```ts
 * const y = new AlphaDropout({ rate: 0.1 }).apply(x, { training: true });
 * ```
 */
export class AlphaDropout extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'AlphaDropout';
  readonly rate: number;
  readonly noiseShape: Shape | null;
  readonly seed: number | null;
  readonly #seeds: SeedStream;

  constructor(args: AlphaDropoutArgs) {
    super(args);
    const { rate, noiseShape = null, seed = null } = args;
    checkRate(rate, this.who);
    this.rate = rate;
    this.noiseShape = noiseShape ? [...noiseShape] : null;
    this.seed = seed;
    this.#seeds = new SeedStream(seed);
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor, { training = false }: CallArgs): tf.Tensor {
    if (!training || this.rate === 0) return tf.clone(inputs);
    return alphaDropout(
      inputs,
      this.rate,
      resolveNoiseShape(this.noiseShape, inputs.shape, this.who),
      this.#seeds.next(),
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }
}

registerKerasClass('keras.layers', AlphaDropout);
