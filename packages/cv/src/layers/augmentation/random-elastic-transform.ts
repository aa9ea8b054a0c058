import { saving, tf, ValueError } from '@cornu/core';
import { gaussianKernel } from '../color/random-gaussian-blur.js';
import {
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
  type ProbabilityFactor,
  probabilityRange,
  unitRange,
} from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomElasticTransform} (Keras 3's, camelCased). */
export interface RandomElasticTransformArgs extends BaseImageAugmentationLayerArgs {
  /**
   * Probability range: each image is deformed when a uniform draw falls below its probability
   * `p ~ U(lo, hi)`; `f` means `[0, f]` (Keras's factor, so the default deforms about half the images).
   * @default 1
   */
  factor?: ProbabilityFactor;
  /**
   * Distortion strength range, one `d ~ U(lo, hi)` per call; `f` means `[0, f]`. The field is
   * Gaussian noise of std `sigma`, blurred by a Gaussian of `sigma`, times `alpha`, with
   * `alpha = 0.1 * d * max(h, w)` and `sigma = 0.05 * d * min(h, w)` (Keras 3).
   * @default 1
   */
  scale?: number | [number, number];
  /** @default 'bilinear' */
  interpolation?: 'bilinear' | 'nearest';
  /**
   * Where a displaced point falls outside the image: `reflect` (about the pixel edges), `mirror`
   * (about the edge pixels), `wrap`, `nearest` (the edge pixel) or `constant` (`fillValue`).
   * @default 'reflect'
   */
  fillMode?: ElasticFillMode;
  /** @default 0 */
  fillValue?: number;
  /** The images' value range; outputs are clipped to it. @default [0, 255] */
  valueRange?: [number, number];
}

export type ElasticFillMode = 'reflect' | 'mirror' | 'wrap' | 'nearest' | 'constant';
const FILL_MODES: ElasticFillMode[] = ['reflect', 'mirror', 'wrap', 'nearest', 'constant'];

/** One call's draws: where each output pixel samples the input, `[B, h, w]` x and y (pixel indices). */
export interface ElasticField {
  x: Float32Array;
  y: Float32Array;
  shape: [number, number, number];
  /** Which images were deformed. */
  applied: boolean[];
  /** This call's distortion strength and the alpha and sigma it gave. */
  distortion: number;
  alpha: number;
  sigma: number;
}

/** A continuous coordinate mapped into [0, n - 1] by `mode` (NaN: outside, for constant). */
function mapCoordinate(s: number, n: number, mode: ElasticFillMode): number {
  if (mode === 'nearest') return Math.min(Math.max(s, 0), n - 1);
  if (mode === 'constant')
    return s >= -0.5 && s <= n - 0.5 ? Math.min(Math.max(s, 0), n - 1) : Number.NaN;
  if (n === 1) return 0;
  if (mode === 'wrap') {
    const t = ((s % n) + n) % n;
    return Math.min(t, n - 1);
  }
  if (mode === 'mirror') {
    const period = 2 * (n - 1);
    const t = ((s % period) + period) % period;
    return t > n - 1 ? period - t : t;
  }
  // reflect: symmetric about the outer pixel edges, -0.5 and n - 0.5
  const period = 2 * n;
  const t = (((s + 0.5) % period) + period) % period;
  return Math.min(Math.max((t >= n ? period - t : t) - 0.5, 0), n - 1);
}

/**
 * Elastic deformation (Simard et al., 2003) with Keras 3's parameters: each output pixel samples
 * the input at a smoothly displaced position. Masks use the same field (nearest); a box becomes
 * the bounding box of the output pixels whose sample point falls inside it (exact at pixel level).
 */
export class RandomElasticTransform extends BaseImageAugmentationLayer<ElasticField> {
  static override readonly className = 'RandomElasticTransform';
  readonly factor: [number, number];
  readonly scale: [number, number];
  readonly interpolation: 'bilinear' | 'nearest';
  readonly fillMode: ElasticFillMode;
  readonly fillValue: number;
  readonly valueRange: [number, number];

  constructor(args: RandomElasticTransformArgs = {}) {
    super(args);
    const {
      factor = 1,
      scale = 1,
      interpolation = 'bilinear',
      fillMode = 'reflect',
      fillValue = 0,
      valueRange = [0, 255],
    } = args;
    this.factor = probabilityRange(factor, this.who);
    this.scale = unitRange(scale, this.who, 'scale');
    if (interpolation !== 'bilinear' && interpolation !== 'nearest')
      throw new ValueError(
        `${this.who}: interpolation must be 'bilinear' or 'nearest'. Received: interpolation=${JSON.stringify(interpolation)}.`,
      );
    if (!FILL_MODES.includes(fillMode))
      throw new ValueError(
        `${this.who}: fillMode must be one of ${FILL_MODES.map((m) => `'${m}'`).join(', ')}. Received: fillMode=${JSON.stringify(fillMode)}.`,
      );
    if (!(Array.isArray(valueRange) && valueRange.length === 2 && valueRange[0] < valueRange[1]))
      throw new ValueError(
        `${this.who}: valueRange must be [low, high] with low < high. Received: valueRange=${JSON.stringify(valueRange)}.`,
      );
    this.interpolation = interpolation;
    this.fillMode = fillMode;
    this.fillValue = fillValue;
    this.valueRange = [valueRange[0], valueRange[1]];
  }

  protected override sampleParameters(batch: number, height: number, width: number): ElasticField {
    const applied = Array.from({ length: batch }, () => this.drawApplied(this.factor));
    const distortion = this.uniform(this.scale[0], this.scale[1]);
    const alpha = Math.max(height, width) * 0.1 * distortion;
    const sigma = Math.min(height, width) * 0.05 * distortion;
    const x = new Float32Array(batch * height * width);
    const y = new Float32Array(batch * height * width);
    for (let i = 0; i < x.length; i++) {
      const p = i % (height * width);
      x[i] = p % width;
      y[i] = Math.floor(p / width);
    }
    const field: ElasticField = {
      x,
      y,
      shape: [batch, height, width],
      applied,
      distortion,
      alpha,
      sigma,
    };
    if (!(alpha > 0 && sigma > 0) || !applied.some(Boolean)) return field;
    // Keras's kernel: int(6 * sigma) | 1 taps, normalised, zero padding ('same').
    const size = Math.trunc(6 * sigma) | 1;
    const r = (size - 1) / 2;
    const displacement = tf.tidy(() => {
      let noise = tf.mul(
        tf.randomNormal([batch, height, width, 2], 0, 1, 'float32', this.nextOpSeed()),
        sigma,
      ) as tf.Tensor4D;
      if (r > 0) {
        const k = tf.tensor1d(gaussianKernel(size, sigma));
        const kx = tf.tile(tf.reshape(k, [1, size, 1, 1]), [1, 1, 2, 1]) as tf.Tensor4D;
        const ky = tf.tile(tf.reshape(k, [size, 1, 1, 1]), [1, 1, 2, 1]) as tf.Tensor4D;
        const padded = tf.pad(noise, [
          [0, 0],
          [r, r],
          [r, r],
          [0, 0],
        ]) as tf.Tensor4D;
        noise = tf.depthwiseConv2d(tf.depthwiseConv2d(padded, kx, 1, 'valid'), ky, 1, 'valid');
      }
      return tf.mul(noise, alpha);
    });
    const d = displacement.dataSync();
    displacement.dispose();
    for (let b = 0; b < batch; b++) {
      if (!applied[b]) continue;
      for (let p = 0; p < height * width; p++) {
        const i = b * height * width + p;
        x[i] = (x[i] as number) + (d[2 * i] as number);
        y[i] = (y[i] as number) + (d[2 * i + 1] as number);
      }
    }
    return field;
  }

  #sample(
    images: tf.Tensor4D,
    field: ElasticField,
    interpolation: 'bilinear' | 'nearest',
    fillMode: ElasticFillMode,
    fillValue: number,
  ): tf.Tensor4D {
    const [batch, height, width] = field.shape;
    const channels = images.shape[3];
    const flat = tf.reshape(images, [batch * height * width, channels]);
    const n = batch * height * width;
    const corners = interpolation === 'nearest' ? 1 : 4;
    const index = Array.from({ length: corners }, () => new Int32Array(n));
    const weight = Array.from({ length: corners }, () => new Float32Array(n));
    const inside = new Float32Array(n).fill(1);
    for (let i = 0; i < n; i++) {
      const b = Math.floor(i / (height * width));
      let cx = mapCoordinate(field.x[i] as number, width, fillMode);
      let cy = mapCoordinate(field.y[i] as number, height, fillMode);
      if (Number.isNaN(cx) || Number.isNaN(cy)) {
        inside[i] = 0;
        cx = 0;
        cy = 0;
      }
      const at = (yy: number, xx: number) => (b * height + yy) * width + xx;
      if (corners === 1) {
        (index[0] as Int32Array)[i] = at(Math.round(cy), Math.round(cx));
        (weight[0] as Float32Array)[i] = 1;
        continue;
      }
      const x0 = Math.floor(cx);
      const y0 = Math.floor(cy);
      const x1 = Math.min(x0 + 1, width - 1);
      const y1 = Math.min(y0 + 1, height - 1);
      const fx = cx - x0;
      const fy = cy - y0;
      const pairs: [number, number][] = [
        [at(y0, x0), (1 - fx) * (1 - fy)],
        [at(y0, x1), fx * (1 - fy)],
        [at(y1, x0), (1 - fx) * fy],
        [at(y1, x1), fx * fy],
      ];
      pairs.forEach(([idx, w], k) => {
        (index[k] as Int32Array)[i] = idx;
        (weight[k] as Float32Array)[i] = w;
      });
    }
    let out: tf.Tensor = tf.zeros([n, channels]);
    for (let k = 0; k < corners; k++) {
      out = tf.add(
        out,
        tf.mul(
          tf.gather(flat, tf.tensor1d(index[k] as Int32Array, 'int32')),
          tf.tensor2d(weight[k] as Float32Array, [n, 1]),
        ),
      );
    }
    if (fillMode === 'constant') {
      const m = tf.tensor2d(inside, [n, 1]);
      out = tf.add(tf.mul(out, m), tf.mul(tf.sub(1, m), fillValue));
    }
    return tf.reshape(out, [batch, height, width, channels]) as tf.Tensor4D;
  }

  protected override augmentImages(images: tf.Tensor4D, field: ElasticField): tf.Tensor4D {
    const sampled = this.#sample(images, field, this.interpolation, this.fillMode, this.fillValue);
    return tf.clipByValue(sampled, this.valueRange[0], this.valueRange[1]) as tf.Tensor4D;
  }

  protected override augmentMasks(masks: tf.Tensor4D, field: ElasticField): tf.Tensor4D {
    // Masks follow the image's field and fill mode (class 0 where constant fills).
    const out = this.#sample(tf.cast(masks, 'float32'), field, 'nearest', this.fillMode, 0);
    return masks.dtype === 'float32' ? out : tf.cast(out, masks.dtype);
  }

  protected override augmentBoxes(
    boxes: tf.Tensor3D,
    labels: tf.Tensor2D,
    field: ElasticField,
  ): { boxes: tf.Tensor3D; labels: tf.Tensor2D } {
    const [batch, height, width] = field.shape;
    const n = boxes.shape[1];
    const b = boxes.dataSync();
    const l = labels.dataSync();
    const outBoxes = new Float32Array(b.length).fill(-1);
    const outLabels = new Int32Array(l.length).fill(-1);
    for (let i = 0; i < batch; i++) {
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        if ((l[k] as number) < 0) continue;
        const [x1, y1, x2, y2] = [b[4 * k], b[4 * k + 1], b[4 * k + 2], b[4 * k + 3]] as [
          number,
          number,
          number,
          number,
        ];
        let bx1 = width;
        let by1 = height;
        let bx2 = -1;
        let by2 = -1;
        for (let p = 0; p < height * width; p++) {
          // the (fill-mode mapped) sample point's pixel centre lies in the box (continuous: +0.5)
          const sx =
            mapCoordinate(field.x[i * height * width + p] as number, width, this.fillMode) + 0.5;
          const sy =
            mapCoordinate(field.y[i * height * width + p] as number, height, this.fillMode) + 0.5;
          if (sx >= x1 && sx < x2 && sy >= y1 && sy < y2) {
            const px = p % width;
            const py = Math.floor(p / width);
            bx1 = Math.min(bx1, px);
            by1 = Math.min(by1, py);
            bx2 = Math.max(bx2, px);
            by2 = Math.max(by2, py);
          }
        }
        if (bx2 < 0) continue;
        outBoxes.set([bx1, by1, bx2 + 1, by2 + 1], 4 * k);
        outLabels[k] = l[k] as number;
      }
    }
    return {
      boxes: tf.tensor3d(outBoxes, [batch, n, 4]),
      labels: tf.tensor2d(outLabels, [batch, n], labels.dtype === 'float32' ? 'float32' : 'int32'),
    };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      factor: this.factor,
      scale: this.scale,
      interpolation: this.interpolation,
      fill_mode: this.fillMode,
      fill_value: this.fillValue,
      value_range: this.valueRange,
    };
  }
}

saving.registerKerasClass('keras.layers', RandomElasticTransform);
