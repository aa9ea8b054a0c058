import { saving } from '@cornu/core';
import {
  aboutCenter,
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  type Matrix3,
  multiply,
} from '../base-geometric-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomShear}. */
export interface RandomShearArgs extends BaseGeometricLayerArgs {
  /** Horizontal shear range (x moves by factor * (y - centre)): f means [-f, f]. @default 0 */
  xFactor?: Factor;
  /** Vertical shear range. @default 0 */
  yFactor?: Factor;
}

/** Shears each image about its centre (boxes and masks follow). */
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

  protected override sampleMatrices(batch: number, height: number, width: number): Matrix3[] {
    return Array.from({ length: batch }, () => {
      const sx = this.uniform(...this.#x);
      const sy = this.uniform(...this.#y);
      const shear = multiply([1, sx, 0, 0, 1, 0, 0, 0, 1], [1, 0, 0, sy, 1, 0, 0, 0, 1]);
      return aboutCenter(shear, (width - 1) / 2, (height - 1) / 2);
    });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), x_factor: this.xFactor, y_factor: this.yFactor };
  }
}

saving.registerSerializable('keras.layers')(RandomShear);
