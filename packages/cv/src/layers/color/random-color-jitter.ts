import { saving, type tf, utils } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import type {
  BaseImageAugmentationLayer,
  Config,
  Factor,
} from '../base-image-augmentation-layer.js';
import { RandomBrightness } from './random-brightness.js';
import { RandomContrast } from './random-contrast.js';
import { RandomHue } from './random-hue.js';
import { RandomSaturation } from './random-saturation.js';

/** Arguments of {@link RandomColorJitter}. */
export interface RandomColorJitterArgs extends BaseColorLayerArgs {
  /** RandomBrightness's factor; null skips it. @default null */
  brightnessFactor?: Factor | null;
  /** RandomContrast's factor; null skips it. @default null */
  contrastFactor?: Factor | null;
  /** RandomSaturation's factor; null skips it. @default null */
  saturationFactor?: Factor | null;
  /** RandomHue's factor; null skips it. @default null */
  hueFactor?: Factor | null;
}

/** Brightness, contrast, saturation and hue jitter in that order (each a sublayer with its own seeded stream). */
export class RandomColorJitter extends BaseColorLayer<true> {
  static override readonly className = 'RandomColorJitter';
  readonly brightnessFactor: Factor | null;
  readonly contrastFactor: Factor | null;
  readonly saturationFactor: Factor | null;
  readonly hueFactor: Factor | null;
  readonly steps: BaseImageAugmentationLayer[];

  constructor(args: RandomColorJitterArgs = {}) {
    super(args);
    const {
      brightnessFactor = null,
      contrastFactor = null,
      saturationFactor = null,
      hueFactor = null,
    } = args;
    this.brightnessFactor = brightnessFactor;
    this.contrastFactor = contrastFactor;
    this.saturationFactor = saturationFactor;
    this.hueFactor = hueFactor;
    const base = this.seed ?? utils.nextSeed();
    const common = (k: number) => ({
      valueRange: [0, 1] as [number, number],
      seed: (base + 7919 * k) % 0x7fffffff,
    });
    this.steps = [];
    if (brightnessFactor !== null)
      this.steps.push(new RandomBrightness({ factor: brightnessFactor, ...common(1) }));
    if (contrastFactor !== null)
      this.steps.push(new RandomContrast({ factor: contrastFactor, ...common(2) }));
    if (saturationFactor !== null)
      this.steps.push(new RandomSaturation({ factor: saturationFactor, ...common(3) }));
    if (hueFactor !== null) this.steps.push(new RandomHue({ factor: hueFactor, ...common(4) }));
  }

  protected override sampleParameters(): true {
    return true;
  }

  protected override adjust(images: tf.Tensor4D): tf.Tensor4D {
    let x = images;
    for (const step of this.steps)
      x = step.augment({ images: x }, { training: true }).images as tf.Tensor4D;
    return x;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      brightness_factor: this.brightnessFactor,
      contrast_factor: this.contrastFactor,
      saturation_factor: this.saturationFactor,
      hue_factor: this.hueFactor,
    };
  }
}

saving.registerKerasClass('keras.layers', RandomColorJitter);
