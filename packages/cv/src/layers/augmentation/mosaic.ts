import { saving, tf, ValueError } from '@cornu/core';
import { convertFormat } from '../../boxes/convert-format.js';
import {
  type AugmentationInputs,
  type AugmentationOutputs,
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
} from '../base-image-augmentation-layer.js';
import { samplePermutation } from '../distributions.js';
import { cloneInputs, mixingBatch } from '../mixing.js';

/** Arguments of {@link Mosaic}. */
export interface MosaicArgs extends BaseImageAugmentationLayerArgs {
  /** Range of the mosaic centre, as a fraction of the height and width. @default [0.25, 0.75] */
  offset?: [number, number];
}

interface MosaicDraw {
  /** per image: centre x, y in pixels (integers) */
  centres: [number, number][];
  /** sources of the four quadrants (top-left, top-right, bottom-left, bottom-right), per image */
  sources: [number[], number[], number[], number[]];
}

/**
 * KerasCV's Mosaic: each output image is cut at a random centre into four quadrants, the
 * top-left one from the image itself and each of the others from an image of the batch given by a
 * random permutation per quadrant (so every image is used once per quadrant; a source can be the
 * image itself or repeat across quadrants, as with KerasCV's uniform draw). Each quadrant keeps its
 * source's pixels at the same place. Boxes of the four sources are clipped to
 * their quadrants and concatenated (`[B, 4N, 4]`, empty ones -1); without boxes, one-hot labels
 * are mixed by quadrant area; masks are assembled like the images.
 */
export class Mosaic extends BaseImageAugmentationLayer<MosaicDraw> {
  static override readonly className = 'Mosaic';
  readonly offset: [number, number];
  #size: [number, number] = [0, 0];

  constructor(args: MosaicArgs = {}) {
    super(args);
    const { offset = [0.25, 0.75] } = args;
    if (!(offset[0] >= 0 && offset[0] <= offset[1] && offset[1] <= 1)) {
      throw new ValueError(
        `${this.who}: offset must be [lower, upper] within [0, 1]. Received: offset=${JSON.stringify(offset)}.`,
      );
    }
    this.offset = [offset[0], offset[1]];
  }

  protected override sampleParameters(batch: number, height: number, width: number): MosaicDraw {
    this.#size = [height, width];
    const centres = Array.from(
      { length: batch },
      () =>
        [
          Math.round(this.uniform(...this.offset) * width),
          Math.round(this.uniform(...this.offset) * height),
        ] as [number, number],
    );
    const identity = Array.from({ length: batch }, (_, i) => i);
    return {
      centres,
      sources: [
        identity,
        samplePermutation(this.stream, batch),
        samplePermutation(this.stream, batch),
        samplePermutation(this.stream, batch),
      ],
    };
  }

  /** Quadrant regions [x1, y1, x2, y2] per image, for quadrant q. */
  #regions(draw: MosaicDraw, q: number): number[][] {
    const [height, width] = this.#size;
    return draw.centres.map(([cx, cy]) => [
      q % 2 === 0 ? 0 : cx,
      q < 2 ? 0 : cy,
      q % 2 === 0 ? cx : width,
      q < 2 ? cy : height,
    ]);
  }

  #quadrantMasks(draw: MosaicDraw): tf.Tensor4D[] {
    const [height, width] = this.#size;
    return [0, 1, 2, 3].map((q) => {
      const mask = new Float32Array(draw.centres.length * height * width);
      this.#regions(draw, q).forEach(([x1, y1, x2, y2], b) => {
        for (let y = y1 as number; y < (y2 as number); y++)
          mask.fill(
            1,
            (b * height + y) * width + (x1 as number),
            (b * height + y) * width + (x2 as number),
          );
      });
      return tf.tensor4d(mask, [draw.centres.length, height, width, 1]);
    });
  }

  #assemble(x: tf.Tensor, draw: MosaicDraw): tf.Tensor {
    const masks = this.#quadrantMasks(draw);
    let out: tf.Tensor = tf.zerosLike(x);
    masks.forEach((m, q) => {
      out = tf.add(out, tf.mul(tf.gather(x, draw.sources[q] as number[]), tf.cast(m, x.dtype)));
    });
    return out;
  }

  protected override augmentImages(images: tf.Tensor4D, draw: MosaicDraw): tf.Tensor4D {
    return this.#assemble(images, draw) as tf.Tensor4D;
  }

  override augment(
    inputs: AugmentationInputs,
    args: { training?: boolean } = {},
  ): AugmentationOutputs {
    const images = mixingBatch(inputs, this.who);
    if (!args.training) {
      if (images !== inputs.images) images.dispose();
      return cloneInputs(inputs);
    }
    const [batch, height, width] = images.shape;
    const draw = this.sampleParameters(batch, height, width);
    return tf.tidy(() => {
      const out: AugmentationOutputs = { images: this.augmentImages(images, draw) };
      const { boxes, labels, segmentationMasks } = inputs;
      if (boxes && labels) {
        const xyxy = convertFormat(boxes, {
          source: this.boundingBoxFormat,
          target: 'xyxy',
          height,
          width,
        });
        const parts = [0, 1, 2, 3].map((q) => {
          const region = tf.tensor3d(
            this.#regions(draw, q).map((r) => [r]),
            [batch, 1, 4],
          );
          const [rx1, ry1, rx2, ry2] = tf.unstack(region, 2) as [
            tf.Tensor,
            tf.Tensor,
            tf.Tensor,
            tf.Tensor,
          ];
          const [x1, y1, x2, y2] = tf.unstack(tf.gather(xyxy, draw.sources[q] as number[]), 2) as [
            tf.Tensor,
            tf.Tensor,
            tf.Tensor,
            tf.Tensor,
          ];
          const cx1 = tf.minimum(tf.maximum(x1, rx1), rx2);
          const cx2 = tf.minimum(tf.maximum(x2, rx1), rx2);
          const cy1 = tf.minimum(tf.maximum(y1, ry1), ry2);
          const cy2 = tf.minimum(tf.maximum(y2, ry1), ry2);
          const l = tf.gather(labels, draw.sources[q] as number[]);
          const valid = tf.logicalAnd(
            tf.logicalAnd(tf.greater(cx2, cx1), tf.greater(cy2, cy1)),
            tf.greaterEqual(l, 0),
          );
          const clipped = tf.stack([cx1, cy1, cx2, cy2], 2);
          return {
            boxes: tf.where(
              tf.broadcastTo(tf.expandDims(valid, 2), clipped.shape),
              clipped,
              tf.fill(clipped.shape, -1),
            ),
            labels: tf.where(valid, l, tf.fill(l.shape, -1, l.dtype)),
          };
        });
        const merged = tf.concat(
          parts.map((p) => p.boxes),
          1,
        );
        const valid = tf.greaterEqual(
          tf.concat(
            parts.map((p) => p.labels),
            1,
          ),
          0,
        );
        const converted = convertFormat(merged, {
          source: 'xyxy',
          target: this.boundingBoxFormat,
          height,
          width,
        });
        out.boxes = tf.where(
          tf.broadcastTo(tf.expandDims(valid, 2), converted.shape),
          converted,
          tf.fill(converted.shape, -1),
        );
        out.labels = tf.concat(
          parts.map((p) => p.labels),
          1,
        );
      } else if (labels) {
        const areas = [0, 1, 2, 3].map((q) =>
          this.#regions(draw, q).map(
            ([x1, y1, x2, y2]) =>
              (((x2 as number) - (x1 as number)) * ((y2 as number) - (y1 as number))) /
              (height * width),
          ),
        );
        let mixed: tf.Tensor = tf.zerosLike(tf.cast(labels, 'float32'));
        areas.forEach((a, q) => {
          mixed = tf.add(
            mixed,
            tf.mul(
              tf.cast(tf.gather(labels, draw.sources[q] as number[]), 'float32'),
              tf.reshape(tf.tensor1d(a), [batch, ...labels.shape.slice(1).map(() => 1)]),
            ),
          );
        });
        out.labels = mixed;
      }
      if (segmentationMasks) out.segmentationMasks = this.#assemble(segmentationMasks, draw);
      if (images !== inputs.images) images.dispose();
      return out as unknown as tf.TensorContainer;
    }) as unknown as AugmentationOutputs;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), offset: this.offset };
  }
}

saving.registerSerializable('keras.layers')(Mosaic);
