import { tf, ValueError } from '@cornu/core';
import {
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
} from './base-image-augmentation-layer.js';

/** Arguments of the color (pixel-value) layers. */
export interface BaseColorLayerArgs extends BaseImageAugmentationLayerArgs {
  /** The range of the pixel values (outputs are clipped to it). @default [0, 255] */
  valueRange?: [number, number];
}

/** RGB in [0, 1] -> HSV in [0, 1] (hue as a fraction of a turn); last axis 3. */
export function rgbToHsv(rgb: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [r, g, b] = tf.split(rgb, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const max = tf.maximum(tf.maximum(r, g), b);
    const min = tf.minimum(tf.minimum(r, g), b);
    const delta = tf.sub(max, min);
    const safe = tf.where(tf.greater(delta, 0), delta, tf.onesLike(delta));
    const hr = tf.mod(tf.div(tf.sub(g, b), safe), 6);
    const hg = tf.add(tf.div(tf.sub(b, r), safe), 2);
    const hb = tf.add(tf.div(tf.sub(r, g), safe), 4);
    let h = tf.where(tf.equal(max, r), hr, tf.where(tf.equal(max, g), hg, hb));
    h = tf.where(tf.greater(delta, 0), tf.div(h, 6), tf.zerosLike(h));
    const s = tf.where(
      tf.greater(max, 0),
      tf.div(delta, tf.where(tf.greater(max, 0), max, tf.onesLike(max))),
      tf.zerosLike(max),
    );
    return tf.concat([h, s, max], -1);
  });
}

/** HSV in [0, 1] -> RGB in [0, 1]; last axis 3. */
export function hsvToRgb(hsv: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [h, s, v] = tf.split(hsv, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    const channel = (n: number) => {
      const k = tf.mod(tf.add(tf.mul(h, 6), n), 6);
      const w = tf.clipByValue(tf.minimum(k, tf.sub(4, k)), 0, 1);
      return tf.sub(v, tf.mul(tf.mul(v, s), w));
    };
    return tf.concat([channel(5), channel(3), channel(1)], -1);
  });
}

/** ITU-R 601 luma of RGB, keeping a last axis of 1. */
export function luma(rgb: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sum(tf.mul(rgb, tf.tensor1d([0.2989, 0.587, 0.114])), -1, true));
}

/**
 * Base of the layers that change pixel values only (boxes and masks pass through): images are
 * mapped from `valueRange` to [0, 1], transformed by `adjust`, mapped back and clipped.
 */
export abstract class BaseColorLayer<P = number[]> extends BaseImageAugmentationLayer<P> {
  readonly valueRange: [number, number];

  constructor(args: BaseColorLayerArgs = {}) {
    super(args);
    const { valueRange = [0, 255] } = args;
    if (!Array.isArray(valueRange) || valueRange.length !== 2 || !(valueRange[0] < valueRange[1])) {
      throw new ValueError(
        `${this.who}: valueRange must be [min, max] with min < max. Received: valueRange=${JSON.stringify(valueRange)}.`,
      );
    }
    this.valueRange = [valueRange[0], valueRange[1]];
  }

  /** Transforms images in [0, 1] (`[B, h, w, c]`); the result is clipped to [0, 1]. */
  protected abstract adjust(images: tf.Tensor4D, params: P): tf.Tensor4D;

  /** A `[B, 1, 1, 1]` tensor of per-image values. */
  protected perImage(values: number[]): tf.Tensor4D {
    return tf.tensor4d(values, [values.length, 1, 1, 1]);
  }

  protected checkRgb(images: tf.Tensor4D): void {
    if (images.shape[3] !== 3)
      throw new ValueError(
        `${this.who}: expects RGB images (3 channels), received shape [${images.shape.join(', ')}].`,
      );
  }

  protected override augmentImages(images: tf.Tensor4D, params: P): tf.Tensor4D {
    const [lo, hi] = this.valueRange;
    const unit = tf.div(tf.sub(images, lo), hi - lo) as tf.Tensor4D;
    const adjusted = tf.clipByValue(this.adjust(unit, params), 0, 1);
    return tf.add(tf.mul(adjusted, hi - lo), lo) as tf.Tensor4D;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), value_range: this.valueRange };
  }
}
