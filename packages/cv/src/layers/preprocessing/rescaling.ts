import { type ApplyArgs, type KerasTensor, layers, saving, tf } from '@cornu/core';
import {
  type AugmentationInputs,
  type AugmentationOutputs,
  isAugmentationInputs,
} from '../base-image-augmentation-layer.js';

/** Arguments of {@link Rescaling} (core's): `scale`, `offset = 0`. */
export type RescalingArgs = ConstructorParameters<typeof layers.Rescaling>[0];

/**
 * Keras's `Rescaling` (`x * scale + offset`): core's layer, which also takes the
 * `{ images, boxes, labels, segmentationMasks }` records of the augmentation layers, so it can sit
 * in the same pipeline. Only the images are rescaled; the rest comes back unchanged (as new tensors).
 *
 * @example
 * ```ts
 * const out = new Rescaling({ scale: 1 / 255 }).apply({ images, boxes, labels }); // images in [0, 1]
 * ```
 */
export class Rescaling extends layers.Rescaling {
  static override readonly className = 'Rescaling';

  override apply(inputs: KerasTensor, args?: ApplyArgs): KerasTensor;
  override apply(inputs: KerasTensor[], args?: ApplyArgs): KerasTensor | KerasTensor[];
  override apply(inputs: AugmentationInputs, args?: ApplyArgs): AugmentationOutputs;
  override apply(inputs: tf.Tensor, args?: ApplyArgs): tf.Tensor;
  override apply(inputs: tf.Tensor[], args?: ApplyArgs): tf.Tensor | tf.Tensor[];
  override apply(
    inputs: tf.Tensor | KerasTensor | (tf.Tensor | KerasTensor)[],
    args?: ApplyArgs,
  ): tf.Tensor | KerasTensor | (tf.Tensor | KerasTensor)[];
  override apply(
    inputs: tf.Tensor | KerasTensor | (tf.Tensor | KerasTensor)[] | AugmentationInputs,
    args: ApplyArgs = {},
  ): tf.Tensor | KerasTensor | (tf.Tensor | KerasTensor)[] | AugmentationOutputs {
    if (!isAugmentationInputs(inputs)) return super.apply(inputs, args);
    const { images, ...rest } = inputs;
    const out: AugmentationOutputs = { images: super.apply(images, args) as tf.Tensor };
    for (const [key, value] of Object.entries(rest) as [keyof AugmentationInputs, tf.Tensor][])
      if (value !== undefined) out[key] = tf.clone(value);
    return out;
  }
}

saving.registerSerializable('keras.layers')(Rescaling);
