import { backend, Sequential, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as cv from '../index.js';
import type { BaseImageAugmentationLayer } from './base-image-augmentation-layer.js';
import { disposeAll, rectangleBatch } from './test-helpers.js';

beforeAll(async () => {
  await backend.ready();
});

/** One instance of every layer, seeded, with arguments that make it transform. */
function everyLayer(): [string, BaseImageAugmentationLayer, { boxes: boolean; masks: boolean }][] {
  const all = { boxes: true, masks: true };
  const imagesOnly = { boxes: false, masks: false };
  return [
    ['RandomFlip', new cv.RandomFlip({ seed: 1 }), all],
    ['RandomRotation', new cv.RandomRotation({ factor: 0.1, seed: 1 }), all],
    ['RandomZoom', new cv.RandomZoom({ heightFactor: 0.2, seed: 1 }), all],
    [
      'RandomTranslation',
      new cv.RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 1 }),
      all,
    ],
    ['RandomShear', new cv.RandomShear({ xFactor: 0.2, seed: 1 }), all],
    ['RandomCrop', new cv.RandomCrop({ height: 20, width: 20, seed: 1 }), all],
    ['RandomPerspective', new cv.RandomPerspective({ scale: 0.2, seed: 1 }), all],
    ['RandomElasticTransform', new cv.RandomElasticTransform({ seed: 1 }), all],
    ['CenterCrop', new cv.CenterCrop({ height: 20, width: 20 }), all],
    ['Resizing', new cv.Resizing({ height: 16, width: 20 }), all],
    ['AutoContrast', new cv.AutoContrast(), all],
    ['Equalization', new cv.Equalization(), all],
    ['RandomBrightness', new cv.RandomBrightness({ factor: 0.2, seed: 1 }), all],
    ['RandomContrast', new cv.RandomContrast({ factor: 0.2, seed: 1 }), all],
    ['RandomSaturation', new cv.RandomSaturation({ factor: 0.4, seed: 1 }), all],
    ['RandomHue', new cv.RandomHue({ factor: 0.3, seed: 1 }), all],
    [
      'RandomColorJitter',
      new cv.RandomColorJitter({ brightnessFactor: 0.1, hueFactor: 0.1, seed: 1 }),
      all,
    ],
    ['RandomGrayscale', new cv.RandomGrayscale({ seed: 1 }), all],
    ['RandomSharpness', new cv.RandomSharpness({ factor: 0.5, seed: 1 }), all],
    ['RandomPosterization', new cv.RandomPosterization({ factor: 4, seed: 1 }), all],
    ['RandomInvert', new cv.RandomInvert({ seed: 1 }), all],
    ['RandomErasing', new cv.RandomErasing({ seed: 1 }), all],
    ['RandomGaussianBlur', new cv.RandomGaussianBlur({ seed: 1 }), all],
    ['Solarization', new cv.Solarization({ thresholdFactor: 0.5, seed: 1 }), all],
    ['GridMask', new cv.GridMask({ seed: 1 }), all],
    // MixUp blends masks, so it takes float one-hot masks only (mix-up.test.ts), not these int32 ones
    ['MixUp', new cv.MixUp({ seed: 1 }), { boxes: true, masks: false }],
    ['CutMix', new cv.CutMix({ seed: 1 }), { boxes: false, masks: true }],
    ['Mosaic', new cv.Mosaic({ seed: 1 }), all],
    ['RandAugment', new cv.RandAugment({ seed: 1 }), all],
    ['AugMix', new cv.AugMix({ seed: 1 }), imagesOnly],
  ];
}

describe('every layer', () => {
  it('return new tensors (never an input) and leak none across repeated record calls', () => {
    const { inputs } = rectangleBatch(4, 24, 24, 3);
    for (const [name, layer, supports] of everyLayer()) {
      const record = {
        images: inputs.images,
        ...(supports.boxes ? { boxes: inputs.boxes, labels: inputs.labels } : {}),
        ...(supports.masks ? { segmentationMasks: inputs.segmentationMasks } : {}),
      };
      for (const training of [true, false]) {
        const out = layer.apply(record, { training });
        for (const [key, value] of Object.entries(out)) {
          expect(
            Object.values(record).includes(value as tf.Tensor),
            `${name} returned its input ${key}`,
          ).toBe(false);
        }
        disposeAll(out);
      }
      const before = tf.memory().numTensors;
      for (let i = 0; i < 2; i++) {
        const out = layer.apply(record, { training: true });
        expect(out.images.shape[0], name).toBe(4);
        disposeAll(out);
        disposeAll(layer.apply(record));
      }
      expect(tf.memory().numTensors, `${name} leaked`).toBe(before);
      layer.dispose();
    }
    disposeAll(inputs);
  });

  it('inside a Sequential model: augments only with training: true', () => {
    const model = new Sequential({
      layers: [
        new cv.RandomFlip({ mode: 'horizontal', seed: 4 }),
        new cv.RandomBrightness({ factor: [0.1, 0.1], seed: 2 }),
      ],
    });
    const x = tf.tidy(() =>
      tf.tile(tf.reshape(tf.range(0, 4, 1, 'float32'), [1, 1, 4, 1]), [8, 2, 1, 3]),
    );
    const inference = model.apply(x) as tf.Tensor;
    expect(Array.from(inference.dataSync())).toEqual(Array.from(x.dataSync()));
    const training = model.apply(x, { training: true }) as tf.Tensor;
    // brightness adds 25.5 everywhere; some rows are flipped
    const rows = (training.arraySync() as number[][][][]).map((image) =>
      image[0]?.map((p) => Math.round((p[0] as number) - 25.5)),
    );
    expect(
      rows.every((r) => JSON.stringify(r) === '[0,1,2,3]' || JSON.stringify(r) === '[3,2,1,0]'),
    ).toBe(true);
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(2);
    tf.dispose([x, inference, training]);
    model.dispose();
  });
});
