import { backend, type tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { RandomZoom } from './random-zoom.js';

beforeAll(async () => {
  await backend.ready();
});

describe('RandomZoom', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomZoom, {
      initArgs: { heightFactor: 0.2, widthFactor: [-0.1, 0.3], seed: 1 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('zooming out by 0.5 shrinks a box by 1.5 about the centre', () => {
    const { inputs, boxes } = rectangleBatch(4, 30, 30, 2);
    const out = new RandomZoom({ heightFactor: [0.5, 0.5], seed: 1, fillMode: 'constant' }).apply(
      inputs,
      { training: true },
    );
    const got = (out.boxes as tf.Tensor).arraySync() as number[][][];
    boxes.forEach((box, i) => {
      // continuous centre 15: x' = 15 + (x - 15) / 1.5
      box.forEach((v, k) => {
        expect(got[i]?.[0]?.[k]).toBeCloseTo(15 + (v - 15) / 1.5, 3);
      });
    });
    disposeAll(out);
    disposeAll(inputs);
  });

  it('moves boxes and masks with the images (zoom in and out)', () => {
    const { inputs } = rectangleBatch(12, 32, 40, 3);
    const out = new RandomZoom({
      heightFactor: [-0.3, 0.4],
      widthFactor: [-0.3, 0.4],
      seed: 5,
      fillMode: 'constant',
    }).apply(inputs, { training: true });
    expect(expectBoxesFollowImages(out, 1.2)).toBe(12);
    disposeAll(out);
    disposeAll(inputs);
  });
});
