import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../../io/resize-image.js';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { Resizing } from './resizing.js';

beforeAll(async () => {
  await backend.ready();
});

describe('Resizing', () => {
  it('passes the layer harness', () => {
    runLayerTest(Resizing, {
      initArgs: { height: 4, width: 6, interpolation: 'area' },
      inputShape: [2, 8, 9, 3],
      expectedOutputShape: [2, 4, 6, 3],
    });
  });

  it('equals resizeImage at inference and in training', () => {
    const x = tf.randomUniform([2, 10, 14, 3], 0, 255, 'float32', 1) as tf.Tensor4D;
    const expected = resizeImage(x, [5, 5], { interpolation: 'bicubic', cropToAspectRatio: true });
    const layer = new Resizing({
      height: 5,
      width: 5,
      interpolation: 'bicubic',
      cropToAspectRatio: true,
    });
    for (const training of [false, true]) {
      const y = layer.apply(x, { training });
      expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
      y.dispose();
    }
    tf.dispose([x, expected]);
  });

  it.each([{}, { cropToAspectRatio: true }, { padToAspectRatio: true }])(
    'scales boxes and masks with the images (%o)',
    (options) => {
      const { inputs } = rectangleBatch(6, 30, 40, 2);
      const out = new Resizing({
        height: 60,
        width: 45,
        interpolation: 'nearest',
        ...options,
      }).apply(inputs);
      expect((out.images as tf.Tensor).shape).toEqual([6, 60, 45, 3]);
      expectBoxesFollowImages(out, 1.6);
      disposeAll(out);
      disposeAll(inputs);
    },
  );
});
