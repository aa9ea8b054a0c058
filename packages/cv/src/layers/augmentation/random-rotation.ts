import { saving } from '@cornu/core';
import {
  aboutCenter,
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  type Matrix3,
} from '../base-geometric-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomRotation}. */
export interface RandomRotationArgs extends BaseGeometricLayerArgs {
  /** Rotation range as a fraction of a full turn: f means [-f, f] * 2 pi; positive = counter-clockwise. */
  factor: Factor;
}

/** Rotates each image by a random angle about its centre (boxes and masks follow). */
export class RandomRotation extends BaseGeometricLayer {
  static override readonly className = 'RandomRotation';
  readonly factor: Factor;
  readonly #range: [number, number];

  constructor(args: RandomRotationArgs) {
    super(args);
    this.factor = args.factor;
    this.#range = factorRange(args.factor, this.who);
  }

  protected override sampleMatrices(batch: number, height: number, width: number): Matrix3[] {
    return Array.from({ length: batch }, () => {
      const angle = this.uniform(...this.#range) * 2 * Math.PI;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      // output -> input matrix; with y pointing down this turns the content counter-clockwise by the angle
      return aboutCenter([c, -s, 0, s, c, 0, 0, 0, 1], (width - 1) / 2, (height - 1) / 2);
    });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor };
  }
}

saving.registerKerasClass('keras.layers', RandomRotation);
