import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { CenterCrop } from './center-crop.js';

beforeAll(async () => {
  await backend.ready();
});

describe('CenterCrop', () => {
  it('passes the layer harness', () => {
    runLayerTest(CenterCrop, {
      initArgs: { height: 4, width: 5 },
      inputShape: [2, 8, 9, 3],
      expectedOutputShape: [2, 4, 5, 3],
    });
  });

  it('takes the centred window at inference (Keras offsets)', () => {
    const x = tf.tidy(() => tf.reshape(tf.range(0, 42, 1, 'float32'), [1, 6, 7, 1]));
    const y = new CenterCrop({ height: 2, width: 3 }).apply(x);
    // top = floor((6 - 2) / 2) = 2, left = floor((7 - 3) / 2) = 2
    expect(Array.from(y.dataSync())).toEqual([16, 17, 18, 23, 24, 25]);
    tf.dispose([x, y]);
  });

  it('moves boxes and masks with the images', () => {
    const { inputs } = rectangleBatch(6, 30, 30, 1);
    const out = new CenterCrop({ height: 20, width: 20 }).apply(inputs);
    expectBoxesFollowImages(out, 0.01);
    disposeAll(out);
    disposeAll(inputs);
  });
});
