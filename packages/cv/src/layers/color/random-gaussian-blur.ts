import { type ProbabilityFactor, probabilityRange } from '../base-image-augmentation-layer.js';
import { saving, tf, ValueError } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomGaussianBlur}. */
export interface RandomGaussianBlurArgs extends BaseColorLayerArgs {
  /** Probability of blurring an image. @default 1 */
  /** Keras's probability factor: `f` means p ~ U(0, f) per image (see `probabilityRange`). @default 1 */
  factor?: ProbabilityFactor;
  /** Odd kernel size. @default 3 */
  kernelSize?: number;
  /** Standard deviation, or the [lower, upper] range it is drawn from. @default [0.1, 2] */
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

/** Blurs each image with a separable Gaussian of a random sigma (reflect padding). */
export class RandomGaussianBlur extends BaseColorLayer<number[]> {
  static override readonly className = 'RandomGaussianBlur';
  readonly factor: [number, number];
  readonly kernelSize: number;
  readonly sigma: number | [number, number];

  constructor(args: RandomGaussianBlurArgs = {}) {
    super(args);
    const { factor = 1, kernelSize = 3, sigma = [0.1, 2] } = args;
    if (!Number.isInteger(kernelSize) || kernelSize < 1 || kernelSize % 2 === 0) {
      throw new ValueError(
        `${this.who}: kernelSize must be an odd positive integer. Received: kernelSize=${kernelSize}.`,
      );
    }
    const [lo, hi] = typeof sigma === 'number' ? [sigma, sigma] : sigma;
    if (!(lo > 0 && hi >= lo))
      throw new ValueError(
        `${this.who}: sigma must be positive (or a [lower, upper] range). Received: sigma=${JSON.stringify(sigma)}.`,
      );
    this.factor = probabilityRange(factor, this.who);
    this.kernelSize = kernelSize;
    this.sigma = sigma;
  }

  /** Per image: its sigma, or 0 for no blur. */
  protected override sampleParameters(batch: number): number[] {
    const [lo, hi] = typeof this.sigma === 'number' ? [this.sigma, this.sigma] : this.sigma;
    return Array.from({ length: batch }, () => {
      const apply = this.drawApplied(this.factor);
      const s = this.uniform(lo, hi);
      return apply ? s : 0;
    });
  }

  protected override adjust(images: tf.Tensor4D, sigmas: number[]): tf.Tensor4D {
    const c = images.shape[3];
    const r = (this.kernelSize - 1) / 2;
    const outs = tf.unstack(images).map((image, i) => {
      const sigma = sigmas[i] as number;
      if (sigma === 0 || r === 0) return image;
      const k = gaussianKernel(this.kernelSize, sigma);
      const kx = tf.tile(tf.reshape(tf.tensor1d(k), [1, this.kernelSize, 1, 1]), [
        1,
        1,
        c,
        1,
      ]) as tf.Tensor4D;
      const ky = tf.tile(tf.reshape(tf.tensor1d(k), [this.kernelSize, 1, 1, 1]), [
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
          [r, r],
          [r, r],
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

saving.registerSerializable('keras.layers')(RandomGaussianBlur);
