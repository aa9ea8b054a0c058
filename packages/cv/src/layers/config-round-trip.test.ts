import { backend, saving, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as cv from '../index.js';
import type { AugmentationInputs, AugmentationOutputs } from './base-image-augmentation-layer.js';
import { disposeAll, rectangleBatch } from './test-helpers.js';

/**
 * Every layer with non-default arguments, serialised to its Keras dict, through JSON and rebuilt
 * by the registry. runLayerTest's round trip (getConfig -> fromConfig -> getConfig) cannot see an
 * argument that getConfig forgets; here the rebuilt layer must transform a record exactly like the
 * original (same seed, so the same draws), and every argument in `effective` must change the output
 * when left out - so each of them reaches the config and back.
 */
type LayerClass = new (args: never) => CaseLayer;
interface Case {
  cls: LayerClass;
  /** Required arguments (and the seed), kept in every variant. */
  base: Record<string, unknown>;
  /** Non-default arguments, each of which must change the output. */
  effective: Record<string, unknown>;
  /** Non-default arguments that must reach the config but need not change this record's output. */
  other?: Record<string, unknown>;
  /** Which parts of the record the layer takes. @default both */
  takes?: 'images' | 'masks' | 'boxes' | 'all';
}

const seed = { seed: 7 };
const geometric = { fillMode: 'constant', fillValue: 90, interpolation: 'nearest' };
const CASES: Record<string, Case> = {
  RandomFlip: {
    cls: cv.RandomFlip,
    base: seed,
    effective: { mode: 'vertical', boundingBoxFormat: 'yxyx' },
  },
  RandomRotation: {
    cls: cv.RandomRotation,
    base: { ...seed, factor: 0.1 },
    effective: { ...geometric, boundingBoxFormat: 'yxyx' },
  },
  RandomZoom: {
    cls: cv.RandomZoom,
    base: { ...seed, heightFactor: [0.2, 0.4] },
    effective: { widthFactor: [-0.3, -0.1], ...geometric, boundingBoxFormat: 'yxyx' },
  },
  RandomTranslation: {
    cls: cv.RandomTranslation,
    base: { ...seed, heightFactor: 0.2, widthFactor: [0.1, 0.3] },
    effective: { ...geometric, boundingBoxFormat: 'yxyx' },
  },
  RandomShear: {
    cls: cv.RandomShear,
    base: seed,
    effective: { xFactor: 0.3, yFactor: [0.1, 0.2], ...geometric },
  },
  RandomCrop: {
    cls: cv.RandomCrop,
    base: { ...seed, height: 17, width: 19 },
    effective: { boundingBoxFormat: 'yxyx' },
    other: geometric,
  },
  RandomPerspective: {
    cls: cv.RandomPerspective,
    base: seed,
    effective: { scale: 0.3, fillMode: 'reflect', interpolation: 'nearest' },
    other: { factor: 0.9 },
  },
  RandomElasticTransform: {
    cls: cv.RandomElasticTransform,
    base: seed,
    effective: { scale: [0.3, 0.5], interpolation: 'nearest', fillMode: 'constant' },
    other: { factor: [0.8, 1], fillValue: 40, valueRange: [0, 200] },
  },
  CenterCrop: {
    cls: cv.CenterCrop,
    base: { height: 18, width: 21 },
    effective: { boundingBoxFormat: 'yxyx' },
    other: geometric,
  },
  Resizing: {
    cls: cv.Resizing,
    base: { height: 16, width: 20 },
    effective: { interpolation: 'nearest', padToAspectRatio: true, fillValue: 33 },
    other: { antialias: true, boundingBoxFormat: 'yxyx' },
  },
  Rescaling: {
    cls: cv.Rescaling,
    base: { scale: 1 / 255 },
    effective: { offset: -1 },
  },
  AutoContrast: { cls: cv.AutoContrast, base: {}, effective: { valueRange: [0, 300] } },
  Equalization: { cls: cv.Equalization, base: {}, effective: { bins: 16 } },
  RandomBrightness: {
    cls: cv.RandomBrightness,
    base: { ...seed, factor: [0.2, 0.4] },
    effective: { valueRange: [0, 400] },
  },
  RandomContrast: {
    cls: cv.RandomContrast,
    base: { ...seed, factor: 0.5 },
    effective: { valueRange: [0, 200] },
  },
  RandomSaturation: {
    cls: cv.RandomSaturation,
    base: { ...seed, factor: [0.6, 0.9] },
    effective: { valueRange: [0, 300] },
  },
  RandomHue: {
    cls: cv.RandomHue,
    base: { ...seed, factor: [0.2, 0.5] },
    effective: { valueRange: [0, 300] },
  },
  RandomColorJitter: {
    cls: cv.RandomColorJitter,
    base: seed,
    effective: {
      brightnessFactor: 0.2,
      contrastFactor: 0.3,
      saturationFactor: [0.6, 0.8],
      hueFactor: 0.2,
    },
    other: { valueRange: [0, 300] },
  },
  RandomGrayscale: {
    cls: cv.RandomGrayscale,
    base: seed,
    effective: { factor: 0.9, valueRange: [0, 100] },
  },
  RandomSharpness: {
    cls: cv.RandomSharpness,
    base: { ...seed, factor: [0.5, 0.9] },
    effective: { valueRange: [0, 200] },
  },
  RandomPosterization: {
    cls: cv.RandomPosterization,
    base: { ...seed, factor: [2, 3] },
    effective: { valueRange: [0, 300] },
  },
  RandomInvert: {
    cls: cv.RandomInvert,
    base: seed,
    effective: { factor: 0.5, valueRange: [0, 300] },
  },
  RandomErasing: {
    cls: cv.RandomErasing,
    base: seed,
    effective: { scale: [0.3, 0.5], ratio: [0.5, 2], fillValue: 12 },
    other: { factor: 0.9, valueRange: [0, 300] },
  },
  RandomGaussianBlur: {
    cls: cv.RandomGaussianBlur,
    base: seed,
    effective: { kernelSize: 5, sigma: [2, 3] },
    other: { factor: 0.9, valueRange: [0, 300] },
  },
  Solarization: {
    cls: cv.Solarization,
    base: seed,
    effective: { additionFactor: [0.1, 0.2], thresholdFactor: [0.3, 0.6], valueRange: [0, 300] },
  },
  GridMask: {
    cls: cv.GridMask,
    base: seed,
    effective: { ratioFactor: [0.6, 0.7], rotationFactor: [0.2, 0.4], fillValue: 50 },
    other: { valueRange: [0, 300] },
  },
  // MixUp blends masks and needs float one-hot ones (mix-up.test.ts), not the int32 masks here
  MixUp: { cls: cv.MixUp, base: seed, effective: { alpha: 2 }, takes: 'boxes' },
  CutMix: { cls: cv.CutMix, base: seed, effective: { alpha: 3 }, takes: 'masks' },
  Mosaic: { cls: cv.Mosaic, base: seed, effective: { offset: [0.4, 0.6] } },
  RandAugment: {
    cls: cv.RandAugment,
    base: seed,
    effective: {
      augmentationsPerImage: 3,
      magnitude: 0.8,
      magnitudeStddev: 0.05,
      rate: 0.6,
      geometric: false,
    },
    other: { valueRange: [0, 300] },
  },
  AugMix: {
    cls: cv.AugMix,
    base: seed,
    effective: { severity: 0.7, numChains: 2, chainDepth: [2, 3], alpha: 0.5 },
    other: { valueRange: [0, 300] },
    takes: 'images',
  },
};

const toSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function run(layer: CaseLayer, record: AugmentationInputs): number[][] {
  const out: AugmentationOutputs = layer.apply(record, { training: true });
  const parts = Object.values(out) as tf.Tensor[];
  const values = parts.map((t) => Array.from(t.dataSync()));
  tf.dispose(parts);
  return values;
}
type CaseLayer = cv.BaseImageAugmentationLayer | cv.Rescaling;

beforeAll(async () => {
  await backend.ready();
});

describe('config round trip with non-default arguments', () => {
  it('covers every layer @cornu/cv exports', () => {
    const exported = Object.entries(cv)
      .filter(
        ([name, value]) =>
          typeof value === 'function' &&
          (value.prototype instanceof cv.BaseImageAugmentationLayer || name === 'Rescaling') &&
          !name.startsWith('Base'),
      )
      .map(([name]) => name)
      .sort();
    expect(Object.keys(CASES).sort()).toEqual(exported);
  });

  it.each(Object.entries(CASES))('%s', (name, spec) => {
    const { inputs } = rectangleBatch(4, 24, 24, 3);
    // colourful pixels (the colour layers need more than black and white), rectangles' masks and boxes
    inputs.images.dispose();
    inputs.images = tf.tidy(() => tf.round(tf.randomUniform([4, 24, 24, 3], 0, 255, 'float32', 5)));
    const takes = spec.takes ?? 'all';
    const record: AugmentationInputs =
      takes === 'images'
        ? { images: inputs.images }
        : takes === 'masks'
          ? { images: inputs.images, segmentationMasks: inputs.segmentationMasks }
          : takes === 'boxes'
            ? { images: inputs.images, boxes: inputs.boxes, labels: inputs.labels }
            : inputs;
    const args = { ...spec.base, ...spec.effective, ...spec.other, name: `custom_${name}` };
    const before = tf.memory().numTensors;

    const original = new spec.cls(args as never);
    const dict = JSON.parse(JSON.stringify(saving.serializeKerasObject(original)));
    const rebuilt = saving.deserializeKerasObject<CaseLayer>(dict);
    expect(rebuilt).toBeInstanceOf(spec.cls);
    expect(rebuilt.getConfig()).toEqual(original.getConfig());
    const config = original.getConfig();
    for (const key of Object.keys(args))
      expect(Object.keys(config), `${name} config lacks ${key}`).toContain(toSnake(key));

    const expected = run(original, record);
    expect(run(rebuilt, record), `${name} rebuilt from its config transforms differently`).toEqual(
      expected,
    );
    for (const key of Object.keys(spec.effective)) {
      const without = { ...args };
      delete (without as Record<string, unknown>)[key];
      const layer = new spec.cls(without as never);
      expect(run(layer, record), `${name}: leaving out ${key} changes nothing`).not.toEqual(
        expected,
      );
      layer.dispose();
    }
    original.dispose();
    rebuilt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeAll(inputs);
  });
});
