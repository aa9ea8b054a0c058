import { saving, tf, ValueError } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link GridMask}. */
export interface GridMaskArgs extends BaseColorLayerArgs {
  /** Side of each masked square as a fraction of the grid unit: f means [0, f], within [0, 1]. @default [0, 0.5] */
  ratioFactor?: Factor;
  /** Rotation of the grid, as a fraction of a full turn: f means [-f, f]; positive = counter-clockwise. @default 0.15 */
  rotationFactor?: Factor;
  /** Value of the masked pixels (in the value range). @default 0 */
  fillValue?: number;
}

interface Grid {
  unit: number;
  ratio: number;
  angle: number;
  offsetX: number;
  offsetY: number;
}

/**
 * GridMask (Chen et al., 2020, as KerasCV's layer): masks a rotated grid of squares in each image.
 * Per image it draws the grid unit (side of one cell) uniformly from
 * [min(h / 2, 0.3 w), max(h / 2, 0.3 w) + 1) pixels, the square's side as `ratio` times the unit,
 * the angle, and the grid's offset uniformly within one unit (so every pixel is masked with
 * probability ratio^2).
 */
export class GridMask extends BaseColorLayer<Grid[]> {
  static override readonly className = 'GridMask';
  readonly ratioFactor: Factor;
  readonly rotationFactor: Factor;
  readonly fillValue: number;
  readonly #ratio: [number, number];
  readonly #rotation: [number, number];

  constructor(args: GridMaskArgs = {}) {
    super(args);
    const { ratioFactor = [0, 0.5], rotationFactor = 0.15, fillValue = 0 } = args;
    this.ratioFactor = ratioFactor;
    this.rotationFactor = rotationFactor;
    this.fillValue = fillValue;
    this.#ratio = factorRange(
      typeof ratioFactor === 'number' ? [0, ratioFactor] : ratioFactor,
      this.who,
      'ratioFactor',
      [0, 1],
    );
    this.#rotation = factorRange(rotationFactor, this.who, 'rotationFactor');
    if (!Number.isFinite(fillValue))
      throw new ValueError(
        `${this.who}: fillValue must be a number. Received: fillValue=${fillValue}.`,
      );
  }

  protected override sampleParameters(batch: number, height: number, width: number): Grid[] {
    // KerasCV's unit range (the paper's d): between half the height and 0.3 of the width
    const lo = Math.min(height * 0.5, width * 0.3);
    const hi = Math.max(height * 0.5, width * 0.3) + 1;
    return Array.from({ length: batch }, () => {
      const unit = Math.max(2, this.uniform(lo, hi));
      return {
        unit,
        ratio: this.uniform(...this.#ratio),
        angle: this.uniform(...this.#rotation) * 2 * Math.PI,
        offsetX: this.uniform(0, unit),
        offsetY: this.uniform(0, unit),
      };
    });
  }

  /**
   * 1 where a pixel is masked, for one image: a lattice of `ratio * unit` squares in steps of
   * `unit`, shifted by the offsets and turned counter-clockwise (y pointing down) by `angle` about
   * the image centre.
   */
  static gridMask(height: number, width: number, grid: Grid): Float32Array {
    const out = new Float32Array(height * width);
    const c = Math.cos(grid.angle);
    const s = Math.sin(grid.angle);
    const side = grid.ratio * grid.unit;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const dx = x - width / 2;
        const dy = y - height / 2;
        // the lattice coordinates of the pixel: rotated back (clockwise on screen) by the angle
        const u = c * dx - s * dy + grid.offsetX;
        const v = s * dx + c * dy + grid.offsetY;
        const mu = ((u % grid.unit) + grid.unit) % grid.unit;
        const mv = ((v % grid.unit) + grid.unit) % grid.unit;
        if (mu < side && mv < side) out[y * width + x] = 1;
      }
    }
    return out;
  }

  protected override adjust(images: tf.Tensor4D, grids: Grid[]): tf.Tensor4D {
    const [batch, height, width] = images.shape;
    const mask = new Float32Array(batch * height * width);
    grids.forEach((grid, b) => {
      mask.set(GridMask.gridMask(height, width, grid), b * height * width);
    });
    const [lo, hi] = this.valueRange;
    const m = tf.tensor4d(mask, [batch, height, width, 1]);
    return tf.add(
      tf.mul(m, (this.fillValue - lo) / (hi - lo)),
      tf.mul(images, tf.sub(1, m)),
    ) as tf.Tensor4D;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      ratio_factor: this.ratioFactor,
      rotation_factor: this.rotationFactor,
      fill_value: this.fillValue,
    };
  }
}

saving.registerSerializable('keras.layers')(GridMask);
