import { nextSeed, tfjsSeed } from '../utils/random.js';
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import type { Config } from '../saving/registry.js';
import { computeFans, Initializer } from './initializer.js';

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type Distribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingArgs {
  /** @default 1 */
  scale?: number;
  /** @default 'fan_in' */
  mode?: FanMode;
  /** @default 'truncated_normal' */
  distribution?: Distribution;
  /** @default null */
  seed?: number | null;
  /**
   * Axes of the weight shape whose sizes multiply to the fan in (Keras 3's `input_axes`); used
   * only together with `outputAxes`, otherwise the fans come from the usual dense/conv rule.
   * @default null
   */
  inputAxes?: number[] | null;
  /** Axes whose sizes multiply to the fan out (Keras 3's `output_axes`). @default null */
  outputAxes?: number[] | null;
}

function checkAxes(name: string, axes: number[] | null): number[] | null {
  if (axes === null) return null;
  if (!Array.isArray(axes) || !axes.every((a) => Number.isInteger(a))) {
    throw new ValueError(
      `VarianceScaling: ${name} must be a list of integer axes or null. Received: ${name}=${JSON.stringify(axes)}.`,
    );
  }
  return [...axes];
}

/**
 * Scales the variance to `scale / n` (n = fan in, fan out or their mean). Truncated normal uses
 * stddev `sqrt(scale / n) / 0.87962566103423978` (the stddev of a unit normal truncated at 2).
 */
export class VarianceScaling extends Initializer {
  static override readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed: number | null;
  readonly inputAxes: number[] | null;
  readonly outputAxes: number[] | null;
  constructor({
    scale = 1,
    mode = 'fan_in',
    distribution = 'truncated_normal',
    seed = null,
    inputAxes = null,
    outputAxes = null,
  }: VarianceScalingArgs = {}) {
    super();
    this.inputAxes = checkAxes('inputAxes', inputAxes);
    this.outputAxes = checkAxes('outputAxes', outputAxes);
    if (!(scale > 0))
      throw new ValueError(`VarianceScaling: scale must be positive. Received: scale=${scale}.`);
    if (!['fan_in', 'fan_out', 'fan_avg'].includes(mode)) {
      throw new ValueError(
        `VarianceScaling: mode must be 'fan_in', 'fan_out' or 'fan_avg'. Received: mode=${JSON.stringify(mode)}.`,
      );
    }
    const dist = (distribution as string) === 'normal' ? 'truncated_normal' : distribution;
    if (!['truncated_normal', 'untruncated_normal', 'uniform'].includes(dist)) {
      throw new ValueError(
        `VarianceScaling: distribution must be 'truncated_normal', 'untruncated_normal' or 'uniform'. Received: distribution=${JSON.stringify(distribution)}.`,
      );
    }
    this.scale = scale;
    this.mode = mode;
    this.distribution = dist;
    this.seed = seed;
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    const [fanIn, fanOut] = this.#fans(shape);
    const n =
      this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const seed = this.seed ?? nextSeed();
    if (this.distribution === 'truncated_normal') {
      return tf.truncatedNormal(
        shape,
        0,
        Math.sqrt(variance) / 0.8796256610342398,
        dtype as 'float32',
        tfjsSeed(seed),
      );
    }
    if (this.distribution === 'untruncated_normal') {
      return tf.randomNormal(shape, 0, Math.sqrt(variance), dtype as 'float32', tfjsSeed(seed));
    }
    const limit = Math.sqrt(3 * variance);
    return tf.randomUniform(shape, -limit, limit, dtype, seed);
  }
  /** Keras's compute_fans: the products over the given axes when both are set. */
  #fans(shape: number[]): [number, number] {
    if (this.inputAxes === null || this.outputAxes === null) return computeFans(shape);
    const product = (axes: number[], which: string) =>
      axes.reduce((n, axis) => {
        const size = shape.at(axis);
        if (size === undefined) {
          throw new ValueError(
            `${this.constructor.name}: ${which} has axis ${axis}, outside the weight shape ${JSON.stringify(shape)}.`,
          );
        }
        return n * size;
      }, 1);
    return [product(this.inputAxes, 'inputAxes'), product(this.outputAxes, 'outputAxes')];
  }

  override getConfig(): Config {
    return {
      seed: this.seed,
      scale: this.scale,
      mode: this.mode,
      distribution: this.distribution,
      input_axes: this.inputAxes,
      output_axes: this.outputAxes,
    };
  }
}

/** Arguments of the named variance-scaling initializers. */
export interface SeedArgs {
  /** @default null */
  seed?: number | null;
  /** See `VarianceScalingArgs.inputAxes`. @default null */
  inputAxes?: number[] | null;
  /** See `VarianceScalingArgs.outputAxes`. @default null */
  outputAxes?: number[] | null;
}

/** Keras writes only the seed and the fan axes for these presets. */
abstract class Preset extends VarianceScaling {
  override getConfig(): Config {
    return { seed: this.seed, input_axes: this.inputAxes, output_axes: this.outputAxes };
  }
}

/** U(-limit, limit), limit = sqrt(6 / (fanIn + fanOut)). Keras's default kernel initializer. */
export class GlorotUniform extends Preset {
  static override readonly className = 'GlorotUniform';
  constructor({ seed = null, inputAxes = null, outputAxes = null }: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_avg', distribution: 'uniform', seed, inputAxes, outputAxes });
  }
}
/** Truncated normal, stddev sqrt(2 / (fanIn + fanOut)). */
export class GlorotNormal extends Preset {
  static override readonly className = 'GlorotNormal';
  constructor({ seed = null, inputAxes = null, outputAxes = null }: SeedArgs = {}) {
    super({
      scale: 1,
      mode: 'fan_avg',
      distribution: 'truncated_normal',
      seed,
      inputAxes,
      outputAxes,
    });
  }
}
/** U(-limit, limit), limit = sqrt(6 / fanIn). */
export class HeUniform extends Preset {
  static override readonly className = 'HeUniform';
  constructor({ seed = null, inputAxes = null, outputAxes = null }: SeedArgs = {}) {
    super({ scale: 2, mode: 'fan_in', distribution: 'uniform', seed, inputAxes, outputAxes });
  }
}
/** Truncated normal, stddev sqrt(2 / fanIn). */
export class HeNormal extends Preset {
  static override readonly className = 'HeNormal';
  constructor({ seed = null, inputAxes = null, outputAxes = null }: SeedArgs = {}) {
    super({
      scale: 2,
      mode: 'fan_in',
      distribution: 'truncated_normal',
      seed,
      inputAxes,
      outputAxes,
    });
  }
}
/** U(-limit, limit), limit = sqrt(3 / fanIn). */
export class LecunUniform extends Preset {
  static override readonly className = 'LecunUniform';
  constructor({ seed = null, inputAxes = null, outputAxes = null }: SeedArgs = {}) {
    super({ scale: 1, mode: 'fan_in', distribution: 'uniform', seed, inputAxes, outputAxes });
  }
}
/** Truncated normal, stddev sqrt(1 / fanIn). */
export class LecunNormal extends Preset {
  static override readonly className = 'LecunNormal';
  constructor({ seed = null, inputAxes = null, outputAxes = null }: SeedArgs = {}) {
    super({
      scale: 1,
      mode: 'fan_in',
      distribution: 'truncated_normal',
      seed,
      inputAxes,
      outputAxes,
    });
  }
}
