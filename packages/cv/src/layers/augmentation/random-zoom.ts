import { saving } from '@cornu/core';
import {
  aboutCenter,
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  type Matrix3,
} from '../base-geometric-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomZoom}. */
export interface RandomZoomArgs extends BaseGeometricLayerArgs {
  /** Vertical zoom range: f means [-f, f]; a positive value zooms out (shows more), a negative one zooms in. */
  heightFactor: Factor;
  /** Horizontal zoom range; null keeps the aspect ratio (same zoom as the height). @default null */
  widthFactor?: Factor | null;
}

/** Zooms each image in or out about its centre (boxes and masks follow). */
export class RandomZoom extends BaseGeometricLayer {
  static override readonly className = 'RandomZoom';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  readonly #height: [number, number];
  readonly #width: [number, number] | null;

  constructor(args: RandomZoomArgs) {
    super(args);
    const { heightFactor, widthFactor = null } = args;
    this.heightFactor = heightFactor;
    this.widthFactor = widthFactor;
    this.#height = factorRange(heightFactor, this.who, 'heightFactor', [
      -1,
      Number.POSITIVE_INFINITY,
    ]);
    this.#width =
      widthFactor === null
        ? null
        : factorRange(widthFactor, this.who, 'widthFactor', [-1, Number.POSITIVE_INFINITY]);
  }

  protected override sampleMatrices(batch: number, height: number, width: number): Matrix3[] {
    return Array.from({ length: batch }, () => {
      const zy = 1 + this.uniform(...this.#height);
      const zx = this.#width === null ? zy : 1 + this.uniform(...this.#width);
      return aboutCenter([zx, 0, 0, 0, zy, 0, 0, 0, 1], (width - 1) / 2, (height - 1) / 2);
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

saving.registerKerasClass('keras.layers', RandomZoom);
