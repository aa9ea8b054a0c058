import { saving, tf, ValueError } from '@cornu/core';
import { gaussianKernel } from '../color/random-gaussian-blur.js';
import {
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
} from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomElasticTransform}. */
export interface RandomElasticTransformArgs extends BaseImageAugmentationLayerArgs {
  /** Probability of deforming an image. @default 1 */
  factor?: number;
  /** Largest displacement, as a fraction of the shorter side. @default 0.05 */
  scale?: number;
  /** Smoothness of the displacement field (Gaussian sigma, in pixels). @default 4 */
  sigma?: number;
  /** @default 'bilinear' */
  interpolation?: 'bilinear' | 'nearest';
  /** Pixels sampled from outside the image: the nearest edge pixel, or `fillValue`. @default 'nearest' */
  fillMode?: 'nearest' | 'constant';
  /** @default 0 */
  fillValue?: number;
}

/** Per image: where each output pixel samples the input, `[B, h, w]` x and y (pixel-index coordinates). */
interface Field {
  x: Float32Array;
  y: Float32Array;
  shape: [number, number, number];
}

/**
 * Elastic deformation (Simard et al., 2003): each output pixel samples the input at a smoothly
 * displaced position. Masks use the same field (nearest); a box becomes the bounding box of the
 * output pixels whose sample point falls inside it (exact at pixel level).
 */
export class RandomElasticTransform extends BaseImageAugmentationLayer<Field> {
  static override readonly className = 'RandomElasticTransform';
  readonly factor: number;
  readonly scale: number;
  readonly sigma: number;
  readonly interpolation: 'bilinear' | 'nearest';
  readonly fillMode: 'nearest' | 'constant';
  readonly fillValue: number;

  constructor(args: RandomElasticTransformArgs = {}) {
    super(args);
    const {
      factor = 1,
      scale = 0.05,
      sigma = 4,
      interpolation = 'bilinear',
      fillMode = 'nearest',
      fillValue = 0,
    } = args;
    if (!(factor >= 0 && factor <= 1))
      throw new ValueError(
        `${this.who}: factor must be a probability in [0, 1]. Received: factor=${factor}.`,
      );
    if (!(scale >= 0 && scale <= 1))
      throw new ValueError(`${this.who}: scale must be in [0, 1]. Received: scale=${scale}.`);
    if (!(sigma > 0))
      throw new ValueError(`${this.who}: sigma must be positive. Received: sigma=${sigma}.`);
    if (fillMode !== 'nearest' && fillMode !== 'constant')
      throw new ValueError(
        `${this.who}: fillMode must be 'nearest' or 'constant'. Received: fillMode=${JSON.stringify(fillMode)}.`,
      );
    this.factor = factor;
    this.scale = scale;
    this.sigma = sigma;
    this.interpolation = interpolation;
    this.fillMode = fillMode;
    this.fillValue = fillValue;
  }

  protected override sampleParameters(batch: number, height: number, width: number): Field {
    const size = Math.round(Math.min(4 * this.sigma, (Math.min(height, width) - 1) / 2)) * 2 + 1;
    const r = (size - 1) / 2;
    const field = tf.tidy(() => {
      let noise = tf.randomUniform(
        [batch, height, width, 2],
        -1,
        1,
        'float32',
        this.nextOpSeed(),
      ) as tf.Tensor4D;
      if (r > 0) {
        const k = tf.tensor1d(gaussianKernel(size, this.sigma));
        const kx = tf.tile(tf.reshape(k, [1, size, 1, 1]), [1, 1, 2, 1]) as tf.Tensor4D;
        const ky = tf.tile(tf.reshape(k, [size, 1, 1, 1]), [1, 1, 2, 1]) as tf.Tensor4D;
        noise = tf.depthwiseConv2d(
          tf.depthwiseConv2d(
            tf.mirrorPad(
              noise,
              [
                [0, 0],
                [r, r],
                [r, r],
                [0, 0],
              ],
              'reflect',
            ),
            kx,
            1,
            'valid',
          ),
          ky,
          1,
          'valid',
        );
      }
      const peak = tf.maximum(tf.max(tf.abs(noise), [1, 2, 3], true), 1e-6);
      return tf.mul(tf.div(noise, peak), this.scale * Math.min(height, width));
    });
    const d = field.dataSync();
    field.dispose();
    const x = new Float32Array(batch * height * width);
    const y = new Float32Array(batch * height * width);
    for (let b = 0; b < batch; b++) {
      const active = this.uniform() < this.factor;
      for (let p = 0; p < height * width; p++) {
        const i = b * height * width + p;
        x[i] = (p % width) + (active ? (d[2 * i] as number) : 0);
        y[i] = Math.floor(p / width) + (active ? (d[2 * i + 1] as number) : 0);
      }
    }
    return { x, y, shape: [batch, height, width] };
  }

  #sample(
    images: tf.Tensor4D,
    field: Field,
    interpolation: 'bilinear' | 'nearest',
    fillMode: 'nearest' | 'constant',
    fillValue: number,
  ): tf.Tensor4D {
    const [batch, height, width] = field.shape;
    const channels = images.shape[3];
    const flat = tf.reshape(images, [batch * height * width, channels]);
    const n = batch * height * width;
    const corners = interpolation === 'nearest' ? 1 : 4;
    const index = Array.from({ length: corners }, () => new Int32Array(n));
    const weight = Array.from({ length: corners }, () => new Float32Array(n));
    const inside = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const b = Math.floor(i / (height * width));
      const sx = field.x[i] as number;
      const sy = field.y[i] as number;
      inside[i] = sx >= -0.5 && sx <= width - 0.5 && sy >= -0.5 && sy <= height - 0.5 ? 1 : 0;
      const cx = Math.min(Math.max(sx, 0), width - 1);
      const cy = Math.min(Math.max(sy, 0), height - 1);
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

  protected override augmentImages(images: tf.Tensor4D, field: Field): tf.Tensor4D {
    return this.#sample(images, field, this.interpolation, this.fillMode, this.fillValue);
  }

  protected override augmentMasks(masks: tf.Tensor4D, field: Field): tf.Tensor4D {
    const out = this.#sample(tf.cast(masks, 'float32'), field, 'nearest', 'constant', 0);
    return masks.dtype === 'float32' ? out : tf.cast(out, masks.dtype);
  }

  protected override augmentBoxes(
    boxes: tf.Tensor3D,
    labels: tf.Tensor2D,
    field: Field,
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
          // the sample point's pixel centre lies in the box (continuous coordinates: +0.5)
          const sx = (field.x[i * height * width + p] as number) + 0.5;
          const sy = (field.y[i * height * width + p] as number) + 0.5;
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
      sigma: this.sigma,
      interpolation: this.interpolation,
      fill_mode: this.fillMode,
      fill_value: this.fillValue,
    };
  }
}

saving.registerSerializable('keras.layers')(RandomElasticTransform);
