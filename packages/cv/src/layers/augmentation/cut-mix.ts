import { saving, tf, ValueError } from '@cornu/core';
import {
  type AugmentationInputs,
  type AugmentationOutputs,
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
  refuseArguments,
} from '../base-image-augmentation-layer.js';
import { sampleBeta, samplePermutation } from '../distributions.js';
import { blendRows, cloneInputs, mixingBatch } from '../mixing.js';

/** Arguments of {@link CutMix}. */
export interface CutMixArgs extends BaseImageAugmentationLayerArgs {
  /** The kept fraction is drawn from Beta(alpha, alpha). @default 1 */
  alpha?: number;
}

interface CutDraw {
  partners: number[];
  /** per image: [top, left, height, width] of the pasted patch */
  patches: [number, number, number, number][];
  /** per image: the fraction of the image still its own */
  kept: number[];
}

/**
 * CutMix (Yun et al., 2019): pastes a random rectangle of a partner image into each image; labels
 * `[B, classes]` are mixed by the pasted area, and segmentation masks get the same patch. Boxes
 * are not supported (use MixUp or Mosaic).
 */
export class CutMix extends BaseImageAugmentationLayer<CutDraw> {
  static override readonly className = 'CutMix';
  readonly alpha: number;
  #size: [number, number] = [0, 0];

  constructor(args: CutMixArgs = {}) {
    super(args);
    refuseArguments(args, this.who, ['factor'], "KerasCV's alpha (lambda ~ Beta(alpha, alpha))");
    const { alpha = 1 } = args;
    if (!(alpha > 0))
      throw new ValueError(`${this.who}: alpha must be positive. Received: alpha=${alpha}.`);
    this.alpha = alpha;
  }

  protected override sampleParameters(batch: number, height: number, width: number): CutDraw {
    this.#size = [height, width];
    const partners = samplePermutation(this.stream, batch);
    const patches: [number, number, number, number][] = [];
    const kept: number[] = [];
    for (let b = 0; b < batch; b++) {
      const lambda = sampleBeta(this.stream, this.alpha, this.alpha);
      const cut = Math.sqrt(1 - lambda);
      const h = Math.round(height * cut);
      const w = Math.round(width * cut);
      const cy = Math.floor(this.uniform() * height);
      const cx = Math.floor(this.uniform() * width);
      const top = Math.max(0, Math.min(height, cy - Math.floor(h / 2)));
      const left = Math.max(0, Math.min(width, cx - Math.floor(w / 2)));
      const bottom = Math.max(0, Math.min(height, cy + Math.ceil(h / 2)));
      const right = Math.max(0, Math.min(width, cx + Math.ceil(w / 2)));
      patches.push([top, left, bottom - top, right - left]);
      kept.push(1 - ((bottom - top) * (right - left)) / (height * width));
    }
    return { partners, patches, kept };
  }

  #patchMask(draw: CutDraw): tf.Tensor4D {
    const [height, width] = this.#size;
    const mask = new Float32Array(draw.patches.length * height * width);
    draw.patches.forEach(([top, left, h, w], b) => {
      for (let y = top; y < top + h; y++)
        mask.fill(1, (b * height + y) * width + left, (b * height + y) * width + left + w);
    });
    return tf.tensor4d(mask, [draw.patches.length, height, width, 1]);
  }

  protected override augmentImages(images: tf.Tensor4D, draw: CutDraw): tf.Tensor4D {
    const m = this.#patchMask(draw);
    return tf.add(
      tf.mul(tf.gather(images, draw.partners), m),
      tf.mul(images, tf.sub(1, m)),
    ) as tf.Tensor4D;
  }

  override augment(
    inputs: AugmentationInputs,
    args: { training?: boolean } = {},
  ): AugmentationOutputs {
    if (inputs.boxes)
      throw new ValueError(
        `${this.who}: bounding boxes are not supported (a pasted patch cuts boxes arbitrarily); use MixUp or Mosaic.`,
      );
    const images = mixingBatch(inputs, this.who);
    if (!args.training) {
      if (images !== inputs.images) images.dispose();
      return cloneInputs(inputs);
    }
    const draw = this.sampleParameters(images.shape[0], images.shape[1], images.shape[2]);
    return tf.tidy(() => {
      const out: AugmentationOutputs = { images: this.augmentImages(images, draw) };
      if (inputs.labels)
        out.labels = blendRows(inputs.labels, tf.gather(inputs.labels, draw.partners), draw.kept);
      if (inputs.segmentationMasks) {
        const m = tf.cast(this.#patchMask(draw), inputs.segmentationMasks.dtype);
        const masks = inputs.segmentationMasks;
        out.segmentationMasks = tf.add(
          tf.mul(tf.gather(masks, draw.partners), m),
          tf.mul(masks, tf.sub(tf.onesLike(m), m)),
        );
      }
      if (images !== inputs.images) images.dispose();
      return out as unknown as tf.TensorContainer;
    }) as unknown as AugmentationOutputs;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

saving.registerSerializable('keras.layers')(CutMix);
