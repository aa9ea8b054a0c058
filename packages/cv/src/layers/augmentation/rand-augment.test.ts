import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { RandAugment } from './rand-augment.js';

beforeAll(async () => {
  await backend.ready();
});

describe('RandAugment', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandAugment, {
      initArgs: { seed: 1 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('changes most images, keeps the value range, and is reproducible', () => {
    const x = tf.randomUniform([16, 12, 12, 3], 0, 255, 'float32', 3);
    const a = new RandAugment({ seed: 5, magnitude: 0.6 }).apply(x, { training: true });
    const b = new RandAugment({ seed: 5, magnitude: 0.6 }).apply(x, { training: true });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const changed = tf.tidy(() => tf.greater(tf.max(tf.abs(tf.sub(a, x)), [1, 2, 3]), 1));
    // rate 10/11 per operation, two operations: P(unchanged) is small
    expect(Array.from(changed.dataSync()).filter(Boolean).length).toBeGreaterThanOrEqual(12);
    expect(tf.min(a).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(a).dataSync()[0]).toBeLessThanOrEqual(255);
    tf.dispose([x, a, b, changed]);
  });

  it('geometric operations move boxes and masks with the images', () => {
    const { inputs } = rectangleBatch(10, 40, 40, 12);
    // augment white-on-black rectangles with geometric operations only (colour ones keep a clear threshold too)
    const layer = new RandAugment({ seed: 7, augmentationsPerImage: 2, rate: 1, magnitude: 0.4 });
    const out = layer.apply(inputs, { training: true });
    expect(out.boxes?.shape).toEqual([10, 2, 4]);
    const masks = (out.segmentationMasks as tf.Tensor).dataSync();
    const boxes = (out.boxes as tf.Tensor).arraySync() as number[][][];
    const labels = (out.labels as tf.Tensor).arraySync() as number[][];
    for (let b = 0; b < 10; b++) {
      // the mask's bounding box is the transformed box (masks are never recoloured)
      let x1 = 40;
      let y1 = 40;
      let x2 = -1;
      let y2 = -1;
      for (let p = 0; p < 1600; p++) {
        if (masks[b * 1600 + p] === 1) {
          x1 = Math.min(x1, p % 40);
          x2 = Math.max(x2, p % 40);
          y1 = Math.min(y1, Math.floor(p / 40));
          y2 = Math.max(y2, Math.floor(p / 40));
        }
      }
      if (labels[b]?.[0] === -1) continue;
      const box = boxes[b]?.[0] as number[];
      [x1, y1, x2 + 1, y2 + 1].forEach((v, k) => {
        expect(Math.abs(v - (box[k] as number))).toBeLessThanOrEqual(1.5);
      });
    }
    disposeAll(out);
    // with geometric: false only colours change: the boxes are untouched
    const colourOnly = new RandAugment({ seed: 7, geometric: false }).apply(inputs, {
      training: true,
    });
    expect((colourOnly.boxes as tf.Tensor).arraySync()).toEqual(inputs.boxes.arraySync());
    expectBoxesFollowImages({ ...colourOnly, images: inputs.images }, 0.01);
    disposeAll(colourOnly);
    disposeAll(inputs);
  });
});
