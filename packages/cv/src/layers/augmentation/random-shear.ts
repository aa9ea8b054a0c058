import { saving } from '@cornu/core';
import {
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  type Matrix3,
} from '../base-geometric-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomShear}. */
export interface RandomShearArgs extends BaseGeometricLayerArgs {
  /** Horizontal shear range (output pixel (x, y) samples input x + s y): f means [-f, f]. @default 0 */
  xFactor?: Factor;
  /** Vertical shear range (output (x, y) samples input y + s x). @default 0 */
  yFactor?: Factor;
}

/**
 * Shears each image about its top-left pixel, as Keras 3 does: output (x, y) samples input
 * (x + sx y, y + sy x), with sx and sy drawn from the factors and both negated together with
 * probability 1/2. Boxes and masks follow.
 */
export class RandomShear extends BaseGeometricLayer {
  static override readonly className = 'RandomShear';
  readonly xFactor: Factor;
  readonly yFactor: Factor;
  readonly #x: [number, number];
  readonly #y: [number, number];

  constructor(args: RandomShearArgs = {}) {
    super(args);
    const { xFactor = 0, yFactor = 0 } = args;
    this.xFactor = xFactor;
    this.yFactor = yFactor;
    this.#x = factorRange(xFactor, this.who, 'xFactor');
    this.#y = factorRange(yFactor, this.who, 'yFactor');
  }

  protected override sampleMatrices(batch: number): Matrix3[] {
    // Keras's matrix and sign coin (Cornu used to shear about the centre, x then y, without the
    // coin, so the same factors gave other images than Keras)
    return Array.from({ length: batch }, () => {
      const sign = this.uniform() > 0.5 ? -1 : 1;
      const sx = sign * this.uniform(...this.#x);
      const sy = sign * this.uniform(...this.#y);
      return [1, sx, 0, sy, 1, 0, 0, 0, 1];
    });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), x_factor: this.xFactor, y_factor: this.yFactor };
  }
}

saving.registerKerasClass('keras.layers', RandomShear);
