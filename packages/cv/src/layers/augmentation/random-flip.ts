import { saving, ValueError } from '@cornu/core';
import {
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  IDENTITY,
  type Matrix3,
  multiply,
} from '../base-geometric-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomFlip}. */
export interface RandomFlipArgs extends BaseGeometricLayerArgs {
  /** Which flips may happen, each with probability 0.5. @default 'horizontal_and_vertical' */
  mode?: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
}

/**
 * Flips each image left-right and/or up-down with probability 0.5 (boxes and masks follow).
 *
 * @example
 * ```ts
 * const flip = new RandomFlip({ mode: 'horizontal', seed: 1 });
 * const { images, boxes, labels } = flip.apply({ images, boxes, labels }, { training: true });
 * ```
 */
export class RandomFlip extends BaseGeometricLayer {
  static override readonly className = 'RandomFlip';
  // Keras's RandomFlip has no fill or interpolation arguments
  protected override readonly kerasFillKeys = [] as const;
  readonly mode: 'horizontal' | 'vertical' | 'horizontal_and_vertical';

  constructor(args: RandomFlipArgs = {}) {
    super(args);
    const { mode = 'horizontal_and_vertical' } = args;
    if (!['horizontal', 'vertical', 'horizontal_and_vertical'].includes(mode)) {
      throw new ValueError(
        `${this.who}: mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical'. Received: mode=${JSON.stringify(mode)}.`,
      );
    }
    this.mode = mode;
  }

  protected override sampleMatrices(batch: number, height: number, width: number): Matrix3[] {
    return Array.from({ length: batch }, () => {
      let m = IDENTITY;
      if (this.mode !== 'vertical' && this.uniform() < 0.5)
        m = multiply(m, [-1, 0, width - 1, 0, 1, 0, 0, 0, 1]);
      if (this.mode !== 'horizontal' && this.uniform() < 0.5)
        m = multiply(m, [1, 0, 0, 0, -1, height - 1, 0, 0, 1]);
      return m;
    });
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mode: this.mode };
  }
}

saving.registerKerasClass('keras.layers', RandomFlip);
