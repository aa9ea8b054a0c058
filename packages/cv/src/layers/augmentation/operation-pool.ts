import { utils } from '@cornu/core';
import type { BaseImageAugmentationLayer } from '../base-image-augmentation-layer.js';
import { AutoContrast } from '../color/auto-contrast.js';
import { Equalization } from '../color/equalization.js';
import { RandomBrightness } from '../color/random-brightness.js';
import { RandomContrast } from '../color/random-contrast.js';
import { RandomPosterization } from '../color/random-posterization.js';
import { RandomSharpness } from '../color/random-sharpness.js';
import { Solarization } from '../color/solarization.js';
import { RandomRotation } from './random-rotation.js';
import { RandomShear } from './random-shear.js';
import { RandomTranslation } from './random-translation.js';

/**
 * The operations of RandAugment and AugMix (Cubuk et al., 2020; Hendrycks et al., 2020), each a
 * seeded layer whose strength grows with `magnitude` in [0, 1] (drawn around it within `spread`).
 */
export function operationPool(options: {
  magnitude: number;
  spread: number;
  valueRange: [number, number];
  geometric: boolean;
  seed: number | null;
}): BaseImageAugmentationLayer[] {
  const { magnitude, spread, valueRange, geometric } = options;
  const base = options.seed ?? utils.nextSeed();
  let k = 0;
  const seed = () => (base + 7919 * ++k) % 0x7fffffff;
  const lo = Math.max(0, magnitude - spread);
  const hi = Math.min(1, magnitude + spread);
  const colour = { valueRange, seed: 0 };
  const fill = { fillMode: 'constant' as const, fillValue: (valueRange[0] + valueRange[1]) / 2 };
  const bits = Math.max(1, Math.min(8, Math.round(8 - 4 * hi)));
  const pool: BaseImageAugmentationLayer[] = [
    new AutoContrast({ ...colour, seed: seed() }),
    new Equalization({ ...colour, seed: seed() }),
    // a stronger magnitude lowers the threshold, inverting more of the image
    new Solarization({ ...colour, thresholdFactor: [1 - hi, 1 - lo], seed: seed() }),
    new RandomPosterization({
      ...colour,
      factor: [bits, Math.max(bits, Math.round(8 - 4 * lo))],
      seed: seed(),
    }),
    new RandomContrast({ ...colour, factor: [0.9 * hi, 0.9 * hi], seed: seed() }),
    new RandomBrightness({ ...colour, factor: 0.5 * hi, seed: seed() }),
    // sharpness 2 f in [1 - 0.9 hi, 1 + 0.9 hi]
    new RandomSharpness({
      ...colour,
      factor: [(1 - 0.9 * hi) / 2, (1 + 0.9 * hi) / 2],
      seed: seed(),
    }),
  ];
  if (geometric) {
    pool.push(
      new RandomRotation({ ...fill, factor: hi / 12, seed: seed() }),
      new RandomShear({ ...fill, xFactor: 0.3 * hi, seed: seed() }),
      new RandomShear({ ...fill, yFactor: 0.3 * hi, seed: seed() }),
      new RandomTranslation({ ...fill, heightFactor: 0, widthFactor: 0.3 * hi, seed: seed() }),
      new RandomTranslation({ ...fill, heightFactor: 0.3 * hi, widthFactor: 0, seed: seed() }),
    );
  }
  return pool;
}
