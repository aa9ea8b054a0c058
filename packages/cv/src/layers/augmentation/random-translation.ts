import { saving } from '@cornu/core';
import {
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  type Matrix3,
  translation,
} from '../base-geometric-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomTranslation}. */
export interface RandomTranslationArgs extends BaseGeometricLayerArgs {
  /** Vertical shift as a fraction of the height: f means [-f, f]; positive moves the content down. */
  heightFactor: Factor;
  /** Horizontal shift as a fraction of the width; positive moves the content right. */
  widthFactor: Factor;
}

/** Shifts each image by a random offset (boxes and masks follow). */
export class RandomTranslation extends BaseGeometricLayer {
  static override readonly className = 'RandomTranslation';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  readonly #height: [number, number];
  readonly #width: [number, number];

  constructor(args: RandomTranslationArgs) {
    super(args);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
    this.#height = factorRange(args.heightFactor, this.who, 'heightFactor');
    this.#width = factorRange(args.widthFactor, this.who, 'widthFactor');
  }

  protected override sampleMatrices(batch: number, height: number, width: number): Matrix3[] {
    return Array.from({ length: batch }, () => {
      const dy = this.uniform(...this.#height) * height;
      const dx = this.uniform(...this.#width) * width;
      return translation(-dx, -dy);
    });
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      height_factor: this.heightFactor,
      width_factor: this.widthFactor,
    };
  }
}

saving.registerKerasClass('keras.layers', RandomTranslation);
