import { saving, tf, ValueError } from '@cornu/core';
import {
  type AugmentationInputs,
  type AugmentationOutputs,
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
  refuseArguments,
} from '../base-image-augmentation-layer.js';
import { operationPool } from './operation-pool.js';

/** Arguments of {@link RandAugment}. */
export interface RandAugmentArgs extends BaseImageAugmentationLayerArgs {
  /** @default [0, 255] */
  valueRange?: [number, number];
  /** Operations applied to each image. @default 2 */
  augmentationsPerImage?: number;
  /** Strength of the operations, in [0, 1]. @default 0.5 */
  magnitude?: number;
  /** Operations draw their strength within magnitude +- this. @default 0.15 */
  magnitudeStddev?: number;
  /** Probability of applying each chosen operation. @default 10 / 11 */
  rate?: number;
  /** Include the geometric operations (rotation, shear, translation; boxes and masks follow). @default true */
  geometric?: boolean;
}

/**
 * RandAugment (Cubuk et al., 2020): each image goes through `augmentationsPerImage` operations picked
 * at random from a fixed pool (auto-contrast, equalize, solarize, posterize, contrast, brightness,
 * sharpness, and with `geometric` rotation, shears and translations). Geometric operations move
 * boxes and masks with the image.
 */
export class RandAugment extends BaseImageAugmentationLayer<number[][]> {
  static override readonly className = 'RandAugment';
  readonly valueRange: [number, number];
  readonly augmentationsPerImage: number;
  readonly magnitude: number;
  readonly magnitudeStddev: number;
  readonly rate: number;
  readonly geometric: boolean;
  readonly operations: BaseImageAugmentationLayer[];

  constructor(args: RandAugmentArgs = {}) {
    super(args);
    refuseArguments(
      args,
      this.who,
      ['numOps', 'factor', 'interpolation'],
      "KerasCV's augmentationsPerImage, magnitude, magnitudeStddev, rate and geometric",
    );
    const {
      valueRange = [0, 255],
      augmentationsPerImage = 2,
      magnitude = 0.5,
      magnitudeStddev = 0.15,
      rate = 10 / 11,
      geometric = true,
    } = args;
    if (!(magnitude >= 0 && magnitude <= 1))
      throw new ValueError(
        `${this.who}: magnitude must be in [0, 1]. Received: magnitude=${magnitude}.`,
      );
    if (!Number.isInteger(augmentationsPerImage) || augmentationsPerImage < 0) {
      throw new ValueError(
        `${this.who}: augmentationsPerImage must be a non-negative integer. Received: augmentationsPerImage=${augmentationsPerImage}.`,
      );
    }
    if (!(rate >= 0 && rate <= 1))
      throw new ValueError(
        `${this.who}: rate must be a probability in [0, 1]. Received: rate=${rate}.`,
      );
    this.valueRange = [valueRange[0], valueRange[1]];
    this.augmentationsPerImage = augmentationsPerImage;
    this.magnitude = magnitude;
    this.magnitudeStddev = magnitudeStddev;
    this.rate = rate;
    this.geometric = geometric;
    this.operations = operationPool({
      magnitude,
      spread: magnitudeStddev,
      valueRange: this.valueRange,
      geometric,
      seed: this.seed,
    });
  }

  /** Per image: the indices of the operations to apply (-1 = skipped). */
  protected override sampleParameters(batch: number): number[][] {
    return Array.from({ length: batch }, () =>
      Array.from({ length: this.augmentationsPerImage }, () => {
        const op = Math.floor(this.uniform() * this.operations.length);
        return this.uniform() < this.rate ? op : -1;
      }),
    );
  }

  protected override augmentImages(images: tf.Tensor4D, choices: number[][]): tf.Tensor4D {
    return this.#perImage({ images }, choices).images as tf.Tensor4D;
  }

  #perImage(inputs: AugmentationInputs, choices: number[][]): AugmentationOutputs {
    const keys = (['images', 'boxes', 'labels', 'segmentationMasks'] as const).filter(
      (k) => inputs[k] !== undefined,
    );
    const rows: AugmentationOutputs[] = choices.map((ops, b) => {
      let x = {} as AugmentationInputs;
      for (const k of keys) x[k] = tf.slice(inputs[k] as tf.Tensor, b, 1);
      for (const op of ops) {
        if (op < 0) continue;
        x = (this.operations[op] as BaseImageAugmentationLayer).augment(x, { training: true });
      }
      return x;
    });
    const out = {} as AugmentationOutputs;
    for (const k of keys) out[k] = tf.concat(rows.map((r) => r[k] as tf.Tensor));
    return out;
  }

  override augment(
    inputs: AugmentationInputs,
    args: { training?: boolean } = {},
  ): AugmentationOutputs {
    const { images } = inputs;
    if (images.rank === 3) {
      const single: AugmentationInputs = { images: tf.expandDims(images, 0) };
      const out = this.augment(single, args);
      const squeezed = tf.squeeze(out.images, [0]);
      tf.dispose([single.images, out.images]);
      if (inputs.boxes || inputs.labels || inputs.segmentationMasks) {
        throw new ValueError(
          `${this.who}: pass boxes, labels and masks with a batch of images [B, h, w, c].`,
        );
      }
      return { images: squeezed };
    }
    if (!args.training) return super.augment(inputs, args);
    const choices = this.sampleParameters(images.shape[0] as number);
    return tf.tidy(() => {
      const x: AugmentationInputs = {
        ...inputs,
        images: images.dtype === 'float32' ? images : tf.cast(images, 'float32'),
      };
      return this.#perImage(x, choices) as unknown as tf.TensorContainer;
    }) as unknown as AugmentationOutputs;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      value_range: this.valueRange,
      augmentations_per_image: this.augmentationsPerImage,
      magnitude: this.magnitude,
      magnitude_stddev: this.magnitudeStddev,
      rate: this.rate,
      geometric: this.geometric,
    };
  }
}

saving.registerSerializable('keras.layers')(RandAugment);
