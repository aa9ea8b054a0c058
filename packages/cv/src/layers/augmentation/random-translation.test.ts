import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { RandomTranslation } from './random-translation.js';

beforeAll(async () => {
  await backend.ready();
});

describe('RandomTranslation', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomTranslation, {
      initArgs: { heightFactor: 0.2, widthFactor: 0.1, seed: 1 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('a fixed shift of a quarter height moves the content down by exactly h / 4', () => {
    const x = tf.tidy(() => tf.reshape(tf.range(0, 8, 1, 'float32'), [1, 8, 1, 1]));
    const y = new RandomTranslation({
      heightFactor: [0.25, 0.25],
      widthFactor: 0,
      fillMode: 'constant',
      fillValue: -1,
      seed: 1,
    }).apply(x, { training: true });
    expect(Array.from(y.dataSync())).toEqual([-1, -1, 0, 1, 2, 3, 4, 5]);
    tf.dispose([x, y]);
  });

  it('fills with reflect (d c b a | a b c d) and wrap like Keras, also far outside', () => {
    const x = tf.tidy(() => tf.reshape(tf.range(0, 5, 1, 'float32'), [1, 1, 5, 1]));
    const shift = (widthFactor: number, fillMode: 'reflect' | 'wrap') => {
      const layer = new RandomTranslation({
        heightFactor: 0,
        widthFactor: [widthFactor, widthFactor],
        fillMode,
        interpolation: 'nearest',
        seed: 1,
      });
      const y = layer.apply(x, { training: true });
      const values = Array.from(y.dataSync());
      y.dispose();
      return values;
    };
    // content moves right by 3 pixels: output x samples input x - 3
    expect(shift(0.6, 'reflect')).toEqual([2, 1, 0, 0, 1]);
    expect(shift(0.6, 'wrap')).toEqual([2, 3, 4, 0, 1]);
    // content moves left by 4 pixels: output x samples x + 4
    expect(shift(-0.8, 'reflect')).toEqual([4, 4, 3, 2, 1]);
    expect(shift(-0.8, 'wrap')).toEqual([4, 0, 1, 2, 3]);
    x.dispose();
  });

  it('moves boxes and masks with the images; boxes pushed out get label -1', () => {
    const { inputs } = rectangleBatch(24, 30, 30, 4);
    const out = new RandomTranslation({
      heightFactor: 0.7,
      widthFactor: 0.7,
      seed: 3,
      fillMode: 'constant',
    }).apply(inputs, { training: true });
    const visible = expectBoxesFollowImages(out, 1);
    // with shifts up to 70% some rectangles leave the image, most stay
    expect(visible).toBeLessThan(24);
    expect(visible).toBeGreaterThan(6);
    disposeAll(out);
    disposeAll(inputs);
  });
});
