import { type ProbabilityFactor, probabilityRange } from '../base-image-augmentation-layer.js';
import { saving, tf, ValueError } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomErasing}. */
export interface RandomErasingArgs extends BaseColorLayerArgs {
  /** Probability of erasing a rectangle of an image. @default 1 */
  /** Keras's probability factor: `f` means p ~ U(0, f) per image (see `probabilityRange`). @default 1 */
  factor?: ProbabilityFactor;
  /** Range of the erased area, as a fraction of the image. @default [0.02, 0.33] */
  scale?: [number, number];
  /** Range of the rectangle's aspect ratio (height / width), drawn log-uniformly. @default [0.3, 3.3] */
  ratio?: [number, number];
  /** Fill value (in the value range), or null for uniform noise. @default null */
  fillValue?: number | null;
}

/** One rectangle per image (top, left, height, width), or null. */
type Rect = [number, number, number, number] | null;

/** Random Erasing (Zhong et al., 2017): replaces a random rectangle of each image with noise or a value. */
export class RandomErasing extends BaseColorLayer<Rect[]> {
  static override readonly className = 'RandomErasing';
  readonly factor: [number, number];
  readonly scale: [number, number];
  readonly ratio: [number, number];
  readonly fillValue: number | null;

  constructor(args: RandomErasingArgs = {}) {
    super(args);
    const { factor = 1, scale = [0.02, 0.33], ratio = [0.3, 3.3], fillValue = null } = args;
    if (!(scale[0] > 0 && scale[0] <= scale[1] && scale[1] <= 1))
      throw new ValueError(
        `${this.who}: scale must be [lower, upper] within (0, 1]. Received: scale=${JSON.stringify(scale)}.`,
      );
    if (!(ratio[0] > 0 && ratio[0] <= ratio[1]))
      throw new ValueError(
        `${this.who}: ratio must be [lower, upper] with 0 < lower <= upper. Received: ratio=${JSON.stringify(ratio)}.`,
      );
    this.factor = probabilityRange(factor, this.who);
    this.scale = [scale[0], scale[1]];
    this.ratio = [ratio[0], ratio[1]];
    this.fillValue = fillValue;
  }

  protected override sampleParameters(batch: number, height: number, width: number): Rect[] {
    return Array.from({ length: batch }, () => {
      if (!this.drawApplied(this.factor)) return null;
      const area = this.uniform(...this.scale) * height * width;
      const r = Math.exp(this.uniform(Math.log(this.ratio[0]), Math.log(this.ratio[1])));
      const h = Math.max(1, Math.min(height, Math.round(Math.sqrt(area * r))));
      const w = Math.max(1, Math.min(width, Math.round(Math.sqrt(area / r))));
      return [
        Math.floor(this.uniform() * (height - h + 1)),
        Math.floor(this.uniform() * (width - w + 1)),
        h,
        w,
      ];
    });
  }

  protected override adjust(images: tf.Tensor4D, rects: Rect[]): tf.Tensor4D {
    const [batch, height, width, channels] = images.shape;
    const mask = new Float32Array(batch * height * width);
    rects.forEach((rect, b) => {
      if (!rect) return;
      const [top, left, h, w] = rect;
      for (let y = top; y < top + h; y++)
        mask.fill(1, (b * height + y) * width + left, (b * height + y) * width + left + w);
    });
    const [lo, hi] = this.valueRange;
    const fill =
      this.fillValue === null
        ? tf.randomUniform([batch, height, width, channels], 0, 1, 'float32', this.nextOpSeed())
        : tf.fill([batch, height, width, channels], (this.fillValue - lo) / (hi - lo));
    const m = tf.tensor4d(mask, [batch, height, width, 1]);
    return tf.add(tf.mul(fill, m), tf.mul(images, tf.sub(1, m))) as tf.Tensor4D;
  }

  override getConfig(): Config {
    const config: Config = {
      ...super.getConfig(),
      factor: this.factor,
      scale: this.scale,
      fill_value: this.fillValue,
    };
    // Keras 3's RandomErasing has no `ratio` (and refuses the key): written only when set
    if (this.ratio[0] !== 0.3 || this.ratio[1] !== 3.3) config.ratio = this.ratio;
    return config;
  }
}

saving.registerKerasClass('keras.layers', RandomErasing);
