import { type ProbabilityFactor, probabilityRange } from '../base-image-augmentation-layer.js';
import { saving, ValueError } from '@cornu/core';
import {
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  IDENTITY,
  type Matrix3,
} from '../base-geometric-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** The projective matrix mapping the four points `from` onto the four points `to` (solves the 8x8 system). */
export function homography(from: [number, number][], to: [number, number][]): Matrix3 {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] as [number, number];
    const [u, v] = to[i] as [number, number];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++)
      if (Math.abs(a[r]?.[col] as number) > Math.abs(a[pivot]?.[col] as number)) pivot = r;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const p = a[col] as number[];
    if (Math.abs(p[col] as number) < 1e-12)
      throw new ValueError('homography: the corner points are degenerate (three are collinear).');
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const row = a[r] as number[];
      const f = (row[col] as number) / (p[col] as number);
      for (let c = col; c < 9; c++) row[c] = (row[c] as number) - f * (p[c] as number);
    }
  }
  const h = a.map((row, i) => (row[8] as number) / (row[i] as number));
  return [...h, 1] as Matrix3;
}

/** Arguments of {@link RandomPerspective}. */
export interface RandomPerspectiveArgs extends BaseGeometricLayerArgs {
  /** Keras's probability factor: `f` means p ~ U(0, f) per image (see `probabilityRange`). @default 1 */
  factor?: ProbabilityFactor;
  /**
   * Corner displacement: each coordinate of each corner moves by a uniform draw from
   * [-scale / 2, scale / 2] times the image's width - 1 (x) or height - 1 (y), in [0, 1]. @default 1
   */
  scale?: number;
}

/** Moves the four corners of each image at random and warps the image accordingly (boxes and masks follow). */
export class RandomPerspective extends BaseGeometricLayer {
  static override readonly className = 'RandomPerspective';
  // Keras's RandomPerspective has no fill_mode (it always fills with a constant)
  protected override readonly kerasFillKeys = ['interpolation', 'fill_value'] as const;
  readonly factor: [number, number];
  readonly scale: number;

  constructor(args: RandomPerspectiveArgs = {}) {
    super(args, { fillMode: 'constant' });
    const { factor = 1, scale = 1 } = args;
    if (!(scale >= 0 && scale <= 1))
      throw new ValueError(`${this.who}: scale must be in [0, 1]. Received: scale=${scale}.`);
    this.factor = probabilityRange(factor, this.who);
    this.scale = scale;
  }

  protected override sampleMatrices(batch: number, height: number, width: number): Matrix3[] {
    return Array.from({ length: batch }, () => {
      if (!this.drawApplied(this.factor)) return IDENTITY;
      const corners: [number, number][] = [
        [0, 0],
        [width - 1, 0],
        [width - 1, height - 1],
        [0, height - 1],
      ];
      // each coordinate moves by U(-scale / 2, scale / 2) times the image's extent (Keras's range)
      const moved = corners.map(
        ([x, y]) =>
          [
            x + this.uniform(-0.5, 0.5) * this.scale * (width - 1),
            y + this.uniform(-0.5, 0.5) * this.scale * (height - 1),
          ] as [number, number],
      );
      // output corners sample the moved input corners
      return homography(corners, moved);
    });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor, scale: this.scale };
  }
}

saving.registerKerasClass('keras.layers', RandomPerspective);
