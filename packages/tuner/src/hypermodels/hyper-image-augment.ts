import { Input, type Layer, Model, type Shape, ValueError } from '@cornu/core';
import { HyperModel } from '../engine/hypermodel.js';
import type { HyperParameters } from '../engine/hyperparameters.js';
import { RandomChoice } from './random-choice.js';

/** A transform's factor search range: `f` means [0, f], `[lo, hi]` that range, null turns it off. */
export type TransformRange = number | [number, number] | null;

/** Arguments of `HyperImageAugment` (KerasTuner's, camelCased). */
export interface HyperImageAugmentArgs {
  /** Image shape without the batch, e.g. [32, 32, 3]. */
  inputShape: Shape;
  /** Rotation factor range (fraction of a full turn each way, as `RandomRotation`). @default 0.5 */
  rotate?: TransformRange;
  /** Horizontal translation factor range (fraction of the width). @default 0.4 */
  translateX?: TransformRange;
  /** Vertical translation factor range (fraction of the height). @default 0.4 */
  translateY?: TransformRange;
  /** Contrast factor range. @default 0.3 */
  contrast?: TransformRange;
  /**
   * 0: every transform is applied in turn, each factor tuned on a 0.05 grid. `n` or `[lo, hi]`:
   * RandAugment-style, `augment_layers` rounds (tuned in [0, n] or [lo, hi]), each applying to
   * every sample one transform picked at random. @default 3
   */
  augmentLayers?: number | [number, number];
  /** Seed of the transforms' random streams; each layer gets `seed + k`. */
  seed?: number;
  /** @default 'image_rand_augment' or 'image_augment' */
  name?: string;
}

type TransformName = 'rotate' | 'translate_x' | 'translate_y' | 'contrast';

type CvLayers = typeof import('@cornu/cv');

async function loadCv(): Promise<CvLayers> {
  try {
    return await import('@cornu/cv');
  } catch (error) {
    throw new ValueError(
      'HyperImageAugment needs @cornu/cv for its augmentation layers (RandomRotation, RandomTranslation, RandomContrast). Install it beside @cornu/tuner: npm install @cornu/cv',
      { cause: error },
    );
  }
}

function checkRange(name: string, value: TransformRange | undefined): [number, number] | null {
  if (value === null || value === undefined || value === 0) return null;
  const [lo, hi] = typeof value === 'number' ? [0, value] : value;
  const ok =
    (typeof value === 'number' || (Array.isArray(value) && value.length === 2)) &&
    Number.isFinite(lo) &&
    Number.isFinite(hi) &&
    lo >= 0 &&
    hi <= 1 &&
    lo <= hi;
  if (!ok) {
    throw new ValueError(
      `HyperImageAugment: ${name} must be a number in [0, 1], a pair [lo, hi] with 0 <= lo <= hi <= 1, or null. Received: ${JSON.stringify(value)}.`,
    );
  }
  return [lo as number, hi as number];
}

/**
 * A tunable image-augmentation model (KerasTuner's `HyperImageAugment`), built from @cornu/cv's
 * layers (an optional peer: install it to use this). Its model is uncompiled: call it inside your
 * own hypermodel, `const augment = await new HyperImageAugment({ inputShape }).build(hp);
 * x = augment.apply(inputs)`. The layers are active only in training.
 *
 * Search space: `factor_<transform>` Float per enabled transform (rotate, translate_x,
 * translate_y, contrast) over its range, default its lower end; with `augmentLayers` 0 on a 0.05
 * grid and a factor of 0 skips that transform; otherwise `augment_layers` Int over its range
 * (default its lower end) rounds of one randomly chosen transform per sample.
 */
export class HyperImageAugment extends HyperModel {
  readonly inputShape: Shape;
  readonly transforms: [TransformName, [number, number]][];
  readonly augmentLayers: [number, number] | null;
  readonly seed: number | undefined;

  constructor(args: HyperImageAugmentArgs) {
    const { inputShape, augmentLayers = 3, seed } = args;
    const randAugment =
      typeof augmentLayers === 'number' ? augmentLayers !== 0 : augmentLayers[1] !== 0;
    super({ name: args.name ?? (randAugment ? 'image_rand_augment' : 'image_augment') });
    if (!Array.isArray(inputShape) || inputShape.length !== 3) {
      throw new ValueError(
        `HyperImageAugment: inputShape must be [height, width, channels]. Received: ${JSON.stringify(inputShape)}.`,
      );
    }
    this.inputShape = [...inputShape];
    this.transforms = [];
    const ranges: [TransformName, TransformRange | undefined, number][] = [
      ['rotate', args.rotate, 0.5],
      ['translate_x', args.translateX, 0.4],
      ['translate_y', args.translateY, 0.4],
      ['contrast', args.contrast, 0.3],
    ];
    for (const [name, value, fallback] of ranges) {
      const range = checkRange(name, value === undefined ? fallback : value);
      if (range) this.transforms.push([name, range]);
    }
    const [lo, hi] = typeof augmentLayers === 'number' ? [0, augmentLayers] : augmentLayers;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < lo) {
      throw new ValueError(
        `HyperImageAugment: augmentLayers must be an integer >= 0 or a pair [lo, hi] of integers with 0 <= lo <= hi. Received: ${JSON.stringify(augmentLayers)}.`,
      );
    }
    this.augmentLayers = hi === 0 ? null : [lo, hi];
    this.seed = seed;
  }

  override async build(hp: HyperParameters): Promise<Model> {
    const cv = await loadCv();
    let next = this.seed;
    const seed = () => (next === undefined ? undefined : next++);
    const make = (name: TransformName, factor: number): Layer => {
      switch (name) {
        case 'rotate':
          return new cv.RandomRotation({ factor, seed: seed() });
        case 'translate_x':
          return new cv.RandomTranslation({ heightFactor: 0, widthFactor: factor, seed: seed() });
        case 'translate_y':
          return new cv.RandomTranslation({ heightFactor: factor, widthFactor: 0, seed: seed() });
        case 'contrast':
          return new cv.RandomContrast({ factor, seed: seed() });
      }
    };
    const inputs = Input({ shape: this.inputShape });
    let x = inputs;
    if (this.augmentLayers) {
      const [lo, hi] = this.augmentLayers;
      const rounds = hp.Int('augment_layers', lo, hi, { default: lo });
      // Factors are tuned once per trial and shared by every round, as in KerasTuner.
      const factors = this.transforms.map(
        ([name, [fLo, fHi]]) =>
          [name, hp.Float(`factor_${name}`, fLo, fHi, { default: fLo })] as const,
      );
      const active = factors.filter(([, f]) => f !== 0);
      for (let round = 0; round < rounds && active.length > 0; round++) {
        const layers = active.map(([name, f]) => make(name, f));
        x = new RandomChoice({ layers, seed: seed() ?? null }).apply(x) as typeof x;
      }
    } else {
      for (const [name, [fLo, fHi]] of this.transforms) {
        const factor = hp.Float(`factor_${name}`, fLo, fHi, { step: 0.05, default: fLo });
        if (factor !== 0) x = make(name, factor).apply(x) as typeof x;
      }
    }
    return new Model({ inputs, outputs: x, name: this.name });
  }
}
