import { tf, ValueError } from '@cornu/core';
import {
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
} from './base-image-augmentation-layer.js';

/**
 * A 3x3 projective matrix, row-major, mapping OUTPUT pixel-index coordinates (x, y, 1) to the INPUT
 * coordinates they sample (TF's `ImageProjectiveTransform` convention).
 */
export type Matrix3 = [number, number, number, number, number, number, number, number, number];

export const IDENTITY: Matrix3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** a * b (3x3, row-major). */
export function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      for (let k = 0; k < 3; k++)
        out[r * 3 + c] =
          (out[r * 3 + c] as number) + (a[r * 3 + k] as number) * (b[k * 3 + c] as number);
  return out as Matrix3;
}

/** The inverse of a 3x3 matrix (throws if singular). */
export function invert(m: Matrix3): Matrix3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12)
    throw new ValueError(`invert: the transform matrix [${m.join(', ')}] is singular.`);
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

export function translation(dx: number, dy: number): Matrix3 {
  return [1, 0, dx, 0, 1, dy, 0, 0, 1];
}

/** `m` applied about the centre (cx, cy): T(c) m T(-c). */
export function aboutCenter(m: Matrix3, cx: number, cy: number): Matrix3 {
  return multiply(translation(cx, cy), multiply(m, translation(-cx, -cy)));
}

/** Maps a point through a projective matrix. */
export function mapPoint(m: Matrix3, x: number, y: number): [number, number] {
  const k = (m[6] as number) * x + (m[7] as number) * y + (m[8] as number);
  return [
    ((m[0] as number) * x + (m[1] as number) * y + (m[2] as number)) / k,
    ((m[3] as number) * x + (m[4] as number) * y + (m[5] as number)) / k,
  ];
}

/** How pixels outside the input are filled (TF's `fill_mode`). */
export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';
const FILL_MODES: readonly FillMode[] = ['constant', 'reflect', 'wrap', 'nearest'];

/** Arguments of the geometric layers. */
export interface BaseGeometricLayerArgs extends BaseImageAugmentationLayerArgs {
  /** @default 'reflect' */
  fillMode?: FillMode;
  /** @default 'bilinear' */
  interpolation?: 'bilinear' | 'nearest';
  /** Value of the `constant` fill. @default 0 */
  fillValue?: number;
}

/**
 * The one affine/projective path of the geometric layers: a subclass only chooses a matrix per
 * image; images go through `tf.image.transform`, segmentation masks through the same matrices with
 * nearest sampling, and boxes through the inverse matrix (their corners mapped, the enclosing box
 * kept and clipped to the output; boxes left empty get label -1).
 */
export abstract class BaseGeometricLayer extends BaseImageAugmentationLayer<Matrix3[]> {
  readonly fillMode: FillMode;
  readonly interpolation: 'bilinear' | 'nearest';
  readonly fillValue: number;
  readonly #defaultFillMode: FillMode;
  /**
   * The fill and interpolation keys the Keras class of this layer has: getConfig always writes
   * those, and the others only when they differ from their defaults (Keras refuses keys its class
   * does not take, so a config with default extras stays loadable by Keras).
   */
  protected readonly kerasFillKeys: readonly ('fill_mode' | 'interpolation' | 'fill_value')[] = [
    'fill_mode',
    'interpolation',
    'fill_value',
  ];

  constructor(args: BaseGeometricLayerArgs = {}, defaults: { fillMode?: FillMode } = {}) {
    super(args);
    const {
      fillMode = defaults.fillMode ?? 'reflect',
      interpolation = 'bilinear',
      fillValue = 0,
    } = args;
    if (!FILL_MODES.includes(fillMode)) {
      throw new ValueError(
        `${this.who}: fillMode must be one of ${FILL_MODES.join(', ')}. Received: fillMode=${JSON.stringify(fillMode)}.`,
      );
    }
    if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
      throw new ValueError(
        `${this.who}: interpolation must be 'bilinear' or 'nearest'. Received: interpolation=${JSON.stringify(interpolation)}.`,
      );
    }
    this.fillMode = fillMode;
    this.interpolation = interpolation;
    this.fillValue = fillValue;
    this.#defaultFillMode = defaults.fillMode ?? 'reflect';
  }

  /** One output-to-input matrix per image (pixel-index coordinates). */
  protected abstract sampleMatrices(batch: number, height: number, width: number): Matrix3[];

  protected override sampleParameters(batch: number, height: number, width: number): Matrix3[] {
    return this.sampleMatrices(batch, height, width);
  }

  #transform(
    images: tf.Tensor4D,
    matrices: Matrix3[],
    interpolation: 'bilinear' | 'nearest',
    fillMode: FillMode,
    fillValue: number,
  ): tf.Tensor4D {
    const [, h, w] = images.shape;
    const [oh, ow] = this.outputSize(h, w);
    let source = images;
    let mode = fillMode;
    let ms = matrices;
    if (fillMode === 'reflect' || fillMode === 'wrap') {
      // tfjs's Transform kernel maps coordinates more than one period below 0 wrongly in these
      // modes, so the periodic extension is built here (one image size on each side, the
      // half-sample-symmetric 'd c b a | a b c d | d c b a' for reflect) and sampled with 'nearest'.
      const around = (x: tf.Tensor4D, axis: number) => {
        const flipped = fillMode === 'reflect' ? tf.reverse(x, axis) : x;
        return tf.concat([flipped, x, flipped], axis) as tf.Tensor4D;
      };
      source = around(around(images, 1), 2);
      mode = 'nearest';
      ms = matrices.map((m) => multiply(translation(w, h), m));
    }
    const flat = ms.flatMap((m) => {
      const s = m[8];
      return m.slice(0, 8).map((v) => v / s);
    });
    return tf.image.transform(
      source,
      tf.tensor2d(flat, [ms.length, 8]),
      interpolation,
      mode,
      fillValue,
      [oh, ow],
    );
  }

  protected override augmentImages(images: tf.Tensor4D, matrices: Matrix3[]): tf.Tensor4D {
    return this.#transform(images, matrices, this.interpolation, this.fillMode, this.fillValue);
  }

  protected override augmentMasks(masks: tf.Tensor4D, matrices: Matrix3[]): tf.Tensor4D {
    const out = this.#transform(tf.cast(masks, 'float32'), matrices, 'nearest', 'constant', 0);
    return masks.dtype === 'float32' ? out : tf.cast(out, masks.dtype);
  }

  protected override augmentBoxes(
    boxes: tf.Tensor3D,
    labels: tf.Tensor2D,
    matrices: Matrix3[],
    height: number,
    width: number,
  ): { boxes: tf.Tensor3D; labels: tf.Tensor2D } {
    const [oh, ow] = this.outputSize(height, width);
    const [batch, n] = boxes.shape;
    const b = boxes.dataSync();
    const l = labels.dataSync();
    const outBoxes = new Float32Array(b.length);
    const outLabels = new Int32Array(l.length);
    for (let i = 0; i < batch; i++) {
      // boxes live in continuous coordinates (pixel j spans [j, j + 1]); the matrices in index coordinates
      const forward = multiply(
        translation(0.5, 0.5),
        multiply(invert(matrices[i] as Matrix3), translation(-0.5, -0.5)),
      );
      for (let j = 0; j < n; j++) {
        const k = i * n + j;
        const [x1, y1, x2, y2] = [b[4 * k], b[4 * k + 1], b[4 * k + 2], b[4 * k + 3]] as [
          number,
          number,
          number,
          number,
        ];
        let keep = (l[k] as number) >= 0;
        let box = [-1, -1, -1, -1];
        if (keep) {
          const corners = [
            mapPoint(forward, x1, y1),
            mapPoint(forward, x2, y1),
            mapPoint(forward, x1, y2),
            mapPoint(forward, x2, y2),
          ];
          const xs = corners.map((p) => p[0]);
          const ys = corners.map((p) => p[1]);
          const nx1 = Math.min(Math.max(Math.min(...xs), 0), ow);
          const nx2 = Math.min(Math.max(Math.max(...xs), 0), ow);
          const ny1 = Math.min(Math.max(Math.min(...ys), 0), oh);
          const ny2 = Math.min(Math.max(Math.max(...ys), 0), oh);
          keep = nx2 > nx1 && ny2 > ny1;
          if (keep) box = [nx1, ny1, nx2, ny2];
        }
        outBoxes.set(box, 4 * k);
        outLabels[k] = keep ? (l[k] as number) : -1;
      }
    }
    return {
      boxes: tf.tensor3d(outBoxes, [batch, n, 4]),
      labels: tf.tensor2d(outLabels, [batch, n], labels.dtype === 'float32' ? 'float32' : 'int32'),
    };
  }

  override getConfig(): Config {
    const config: Config = { ...super.getConfig() };
    const entries: [
      'fill_mode' | 'interpolation' | 'fill_value',
      string | number,
      string | number,
    ][] = [
      ['fill_mode', this.fillMode, this.#defaultFillMode],
      ['interpolation', this.interpolation, 'bilinear'],
      ['fill_value', this.fillValue, 0],
    ];
    for (const [key, value, fallback] of entries)
      if (this.kerasFillKeys.includes(key) || value !== fallback) config[key] = value;
    return config;
  }
}
