import { type ProbabilityFactor, probabilityRange } from '../base-image-augmentation-layer.js';
import { saving, tf, ValueError } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomGaussianBlur}. */
export interface RandomGaussianBlurArgs extends BaseColorLayerArgs {
  /** Keras's probability factor: `f` means p ~ U(0, f) per image (see `probabilityRange`). @default 1 */
  factor?: ProbabilityFactor;
  /** Odd kernel size, or `[x, y]` sizes (along the width, then the height). @default 3 */
  kernelSize?: number | [number, number];
  /**
   * Range the standard deviations are drawn from, Keras 3's: a number s means [0, s]; each image
   * draws one sigma along x and one along y (Keras adds 1e-6, so 0 stays defined). @default 1
   */
  sigma?: number | [number, number];
}

/** The normalised 1-D Gaussian kernel of `size` taps. */
export function gaussianKernel(size: number, sigma: number): number[] {
  const half = (size - 1) / 2;
  const k = Array.from({ length: size }, (_, i) =>
    Math.exp(-((i - half) ** 2) / (2 * sigma * sigma)),
  );
  const total = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / total);
}

/**
 * Blurs each image with a separable Gaussian of random standard deviations along x and y
 * (Keras 3's arguments). Borders are reflect-padded (Keras pads with zeros, darkening them).
 */
export class RandomGaussianBlur extends BaseColorLayer<[number, number][]> {
  static override readonly className = 'RandomGaussianBlur';
  readonly factor: [number, number];
  /** `[x, y]` kernel sizes. */
  readonly kernelSize: [number, number];
  /** `[lower, upper]` range of the standard deviations. */
  readonly sigma: [number, number];

  constructor(args: RandomGaussianBlurArgs = {}) {
    super(args);
    const { factor = 1, kernelSize = 3, sigma = 1 } = args;
    // Keras writes kernel_size as a pair and reads a sigma s as [0, s] (Cornu used to refuse the
    // pair, take s as a fixed sigma and require sigma > 0, so Keras configs did not load)
    const sizes = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : kernelSize;
    if (
      !Array.isArray(sizes) ||
      sizes.length !== 2 ||
      !sizes.every((k) => Number.isInteger(k) && k >= 1 && k % 2 === 1)
    ) {
      throw new ValueError(
        `${this.who}: kernelSize must be an odd positive integer or a pair of them. Received: kernelSize=${JSON.stringify(kernelSize)}.`,
      );
    }
    const [lo, hi] = typeof sigma === 'number' ? [0, sigma] : sigma;
    if (!(lo >= 0 && hi >= lo))
      throw new ValueError(
        `${this.who}: sigma must be a non-negative number s (meaning [0, s]) or a [lower, upper] range with 0 <= lower <= upper. Received: sigma=${JSON.stringify(sigma)}.`,
      );
    this.factor = probabilityRange(factor, this.who);
    this.kernelSize = [sizes[0] as number, sizes[1] as number];
    this.sigma = [lo, hi];
  }

  /** Per image: `[sigma_x, sigma_y]`, or `[0, 0]` for no blur. */
  protected override sampleParameters(batch: number): [number, number][] {
    const [lo, hi] = this.sigma;
    return Array.from({ length: batch }, () => {
      const apply = this.drawApplied(this.factor);
      const sx = this.uniform(lo, hi) + 1e-6;
      const sy = this.uniform(lo, hi) + 1e-6;
      return apply ? [sx, sy] : [0, 0];
    });
  }

  protected override adjust(images: tf.Tensor4D, sigmas: [number, number][]): tf.Tensor4D {
    const c = images.shape[3];
    const [kw, kh] = this.kernelSize;
    const [rx, ry] = [(kw - 1) / 2, (kh - 1) / 2];
    const outs = tf.unstack(images).map((image, i) => {
      const [sx, sy] = sigmas[i] as [number, number];
      if (sx === 0 || (rx === 0 && ry === 0)) return image;
      const kx = tf.tile(tf.reshape(tf.tensor1d(gaussianKernel(kw, sx)), [1, kw, 1, 1]), [
        1,
        1,
        c,
        1,
      ]) as tf.Tensor4D;
      const ky = tf.tile(tf.reshape(tf.tensor1d(gaussianKernel(kh, sy)), [kh, 1, 1, 1]), [
        1,
        1,
        c,
        1,
      ]) as tf.Tensor4D;
      const x = tf.expandDims(image, 0) as tf.Tensor4D;
      const padded = tf.mirrorPad(
        x,
        [
          [0, 0],
          [ry, ry],
          [rx, rx],
          [0, 0],
        ],
        'reflect',
      );
      return tf.squeeze(
        tf.depthwiseConv2d(tf.depthwiseConv2d(padded, kx, 1, 'valid'), ky, 1, 'valid'),
        [0],
      );
    });
    return tf.stack(outs) as tf.Tensor4D;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      factor: this.factor,
      kernel_size: this.kernelSize,
      sigma: this.sigma,
    };
  }
}

saving.registerKerasClass('keras.layers', RandomGaussianBlur);
