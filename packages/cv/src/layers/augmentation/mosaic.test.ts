import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { boxOfPixels, disposeAll, rectangleBatch } from '../test-helpers.js';
import { Mosaic } from './mosaic.js';

beforeAll(async () => {
  await backend.ready();
});

describe('Mosaic', () => {
  it('passes the layer harness', () => {
    runLayerTest(Mosaic, {
      initArgs: { seed: 1 },
      inputShape: [4, 8, 8, 3],
      expectedOutputShape: [4, 8, 8, 3],
    });
  });

  it('boxes of the four sources are clipped to what stays visible; masks match', () => {
    const { inputs } = rectangleBatch(8, 40, 40, 11);
    const out = new Mosaic({ seed: 2 }).apply(inputs, { training: true });
    expect(out.boxes?.shape).toEqual([8, 8, 4]);
    const boxes = (out.boxes as tf.Tensor).arraySync() as number[][][];
    const labels = (out.labels as tf.Tensor).arraySync() as number[][];
    const masks = (out.segmentationMasks as tf.Tensor).dataSync();
    const pixels = tf
      .tidy(() => tf.squeeze(tf.slice(out.images, [0, 0, 0, 0], [-1, -1, -1, 1]), [3]))
      .dataSync();
    for (let b = 0; b < 8; b++) {
      const visible = boxes[b]?.filter((_, k) => labels[b]?.[k] === 1) as number[][];
      // every white pixel (and mask pixel) lies in one of the kept boxes, and each box is filled
      const size = 40 * 40;
      let wrongPixels = 0;
      let wrongMasks = 0;
      for (let p = 0; p < size; p++) {
        const x = p % 40;
        const y = Math.floor(p / 40);
        const inside = visible.some(
          ([x1, y1, x2, y2]) =>
            x >= (x1 as number) && x < (x2 as number) && y >= (y1 as number) && y < (y2 as number),
        );
        if ((pixels[b * size + p] as number) > 127 !== inside) wrongPixels++;
        if (masks[b * size + p] !== (inside ? 1 : 0)) wrongMasks++;
      }
      expect([wrongPixels, wrongMasks]).toEqual([0, 0]);
      for (const box of visible)
        expect(
          boxOfPixels(
            Array.from(
              { length: size },
              (_, p) =>
                (pixels[b * size + p] as number) *
                (p % 40 >= (box[0] as number) &&
                p % 40 < (box[2] as number) &&
                Math.floor(p / 40) >= (box[1] as number) &&
                Math.floor(p / 40) < (box[3] as number)
                  ? 1
                  : 0),
            ),
            40,
            40,
            127,
          ),
        ).toEqual(box);
    }
    disposeAll(out);
    disposeAll(inputs);
  });

  it('mixes one-hot labels by quadrant area', () => {
    const n = 6;
    const images = tf.tidy(() =>
      tf.mul(tf.reshape(tf.range(0, n, 1, 'float32'), [n, 1, 1, 1]), tf.ones([n, 20, 20, 1])),
    );
    const labels = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    const out = new Mosaic({ seed: 4 }).apply({ images, labels }, { training: true });
    const rows = (out.labels as tf.Tensor).arraySync() as number[][];
    const pix = (out.images.arraySync() as number[][][][]).map((im) => im.flat(2));
    rows.forEach((row, i) => {
      for (let k = 0; k < n; k++)
        expect(row[k]).toBeCloseTo((pix[i] as number[]).filter((v) => v === k).length / 400, 5);
    });
    tf.dispose([images, labels, out.images, out.labels as tf.Tensor]);
  });
});
