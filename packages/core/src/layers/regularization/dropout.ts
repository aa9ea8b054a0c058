import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { SeedStream } from './seeded.js';

/** Keeps each entry with probability `1 - rate` and scales kept entries by `1 / (1 - rate)`. */
export function dropout(x: tf.Tensor, rate: number, noiseShape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const keep = tf.cast(
      tf.greaterEqual(tf.randomUniform(noiseShape, 0, 1, 'float32', seed), rate),
      x.dtype,
    );
    return tf.mul(x, tf.div(keep, 1 - rate));
  });
}

/** The concrete noise shape: `noiseShape` with null entries taken from the input shape. */
export function resolveNoiseShape(
  noiseShape: Shape | null,
  shape: number[],
  who: string,
): number[] {
  if (!noiseShape) return shape;
  if (noiseShape.length !== shape.length) {
    throw new ValueError(
      `${who}: noise_shape must have the input's rank ${shape.length}. Received: noise_shape=${JSON.stringify(noiseShape)} for input shape [${shape.join(', ')}].`,
    );
  }
  return noiseShape.map((d, i) => d ?? (shape[i] as number));
}

/** Validates a dropout-like rate in [0, 1). */
export function checkRate(rate: number, who: string): void {
  if (!(rate >= 0 && rate < 1)) {
    throw new ValueError(
      `${who}: rate must be a number in the range [0, 1). Received: rate=${rate}.`,
    );
  }
}

/** Arguments of {@link Dropout}. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the inputs to drop, in [0, 1). */
  rate: number;
  /** Shape of the keep mask (broadcast over the input); null entries follow the input. @default null */
  noiseShape?: Shape | null;
  /** Seed of the mask draws. @default null */
  seed?: number | null;
}

/**
 * Randomly sets a fraction `rate` of its inputs to 0 while training (`training: true`), scaling
 * the others by `1 / (1 - rate)`; passes inputs through otherwise.
 *
 * @example
 * ```ts
 * const y = new Dropout({ rate: 0.5, seed: 1 }).apply(tf.ones([2, 4]), { training: true });
 * ```
 */
export class Dropout extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className: string = 'Dropout';
  readonly rate: number;
  readonly noiseShape: Shape | null;
  readonly seed: number | null;
  protected readonly seeds: SeedStream;

  constructor(args: DropoutArgs) {
    super(args);
    const { rate, noiseShape = null, seed = null } = args;
    checkRate(rate, this.who);
    this.rate = rate;
    this.noiseShape = noiseShape ? [...noiseShape] : null;
    this.seed = seed;
    this.seeds = new SeedStream(seed);
    this.supportsMasking = true;
  }

  /** The mask shape for an input of `shape`. */
  protected maskShape(shape: number[]): number[] {
    return resolveNoiseShape(this.noiseShape, shape, this.who);
  }

  override call(inputs: tf.Tensor, { training = false }: CallArgs): tf.Tensor {
    if (!training || this.rate === 0) return tf.clone(inputs);
    return dropout(inputs, this.rate, this.maskShape(inputs.shape), this.seeds.next());
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }
}

registerKerasClass('keras.layers', Dropout);
