import { saving, tf, ValueError } from '@cornu/core';
import {
  type AugmentationInputs,
  type AugmentationOutputs,
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
} from '../base-image-augmentation-layer.js';
import { sampleBeta, samplePermutation } from '../distributions.js';
import { blendRows, cloneInputs, mixingBatch } from '../mixing.js';

/** Arguments of {@link MixUp}. */
export interface MixUpArgs extends BaseImageAugmentationLayerArgs {
  /** The mixing weight is drawn from Beta(alpha, alpha). @default 0.2 */
  alpha?: number;
}

/** One call's draw: per image, its weight and its partner. */
export interface MixingDraw {
  weights: number[];
  partners: number[];
}

/**
 * MixUp (Zhang et al., 2018): each image becomes `w * x + (1 - w) * x[partner]` with w ~ Beta(alpha,
 * alpha) and a random partner in the batch; one-hot `labels` `[B, classes]` are mixed the same
 * way. With `boxes`, labels are box labels and both images' boxes are kept (`[B, 2N, 4]`).
 *
 * `segmentationMasks` are blended like the images, `w * m + (1 - w) * m[partner]` with the same
 * weight and partner, which is what Keras 3's `MixUp.transform_segmentation_masks` sets out to do
 * (its 3.15 code gathers without `axis=0` and returns a `[B, H, W, B]` tensor; we do not copy
 * that). Blending only makes sense for one-hot or soft masks, so the masks must be float32:
 * integer class-index masks are rejected (blended indices would name other classes).
 */
export class MixUp extends BaseImageAugmentationLayer<MixingDraw> {
  static override readonly className = 'MixUp';
  readonly alpha: number;

  constructor(args: MixUpArgs = {}) {
    super(args);
    const { alpha = 0.2 } = args;
    if (!(alpha > 0))
      throw new ValueError(`${this.who}: alpha must be positive. Received: alpha=${alpha}.`);
    this.alpha = alpha;
  }

  protected override sampleParameters(batch: number): MixingDraw {
    return {
      weights: Array.from({ length: batch }, () => sampleBeta(this.stream, this.alpha, this.alpha)),
      partners: samplePermutation(this.stream, batch),
    };
  }

  protected override augmentImages(images: tf.Tensor4D, draw: MixingDraw): tf.Tensor4D {
    return blendRows(images, tf.gather(images, draw.partners), draw.weights) as tf.Tensor4D;
  }

  override augment(
    inputs: AugmentationInputs,
    args: { training?: boolean } = {},
  ): AugmentationOutputs {
    const masks = inputs.segmentationMasks;
    if (masks && masks.dtype !== 'float32')
      throw new ValueError(
        `${this.who}: segmentationMasks are blended like the images, so they must be float32 one-hot or soft masks [B, H, W, classes]; received dtype ${masks.dtype} with shape [${masks.shape.join(', ')}]. One-hot encode class-index masks first (e.g. tf.oneHot).`,
      );
    const images = mixingBatch(inputs, this.who);
    if (!args.training) {
      if (images !== inputs.images) images.dispose();
      return cloneInputs(inputs);
    }
    const draw = this.sampleParameters(images.shape[0]);
    return tf.tidy(() => {
      const out: AugmentationOutputs = { images: this.augmentImages(images, draw) };
      const { boxes, labels, segmentationMasks } = inputs;
      if (boxes && labels) {
        out.boxes = tf.concat([boxes, tf.gather(boxes, draw.partners)], 1);
        out.labels = tf.concat([labels, tf.gather(labels, draw.partners)], 1);
      } else if (labels)
        out.labels = blendRows(labels, tf.gather(labels, draw.partners), draw.weights);
      if (segmentationMasks)
        out.segmentationMasks = blendRows(
          segmentationMasks,
          tf.gather(segmentationMasks, draw.partners),
          draw.weights,
        );
      if (images !== inputs.images) images.dispose();
      return out as unknown as tf.TensorContainer;
    }) as unknown as AugmentationOutputs;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

saving.registerKerasClass('keras.layers', MixUp);
