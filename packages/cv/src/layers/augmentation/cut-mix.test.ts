import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { CutMix } from './cut-mix.js';

beforeAll(async () => {
  await backend.ready();
});

function _values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('CutMix', () => {
  it('passes the layer harness', () => {
    runLayerTest(CutMix, {
      initArgs: { seed: 1 },
      inputShape: [4, 6, 6, 3],
      expectedOutputShape: [4, 6, 6, 3],
    });
  });

  it('pastes one rectangle of the partner; label weights equal the pixel areas; masks follow', () => {
    const n = 10;
    const images = tf.tidy(() =>
      tf.mul(
        tf.reshape(tf.range(1, n + 1, 1, 'float32'), [n, 1, 1, 1]),
        tf.fill([n, 16, 16, 1], 10),
      ),
    );
    const masks = tf.tidy(() => tf.cast(tf.div(images, 10), 'int32'));
    const labels = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    const out = new CutMix({ seed: 3 }).apply(
      { images, labels, segmentationMasks: masks },
      { training: true },
    );
    const pix = (out.images.arraySync() as number[][][][]).map((im) => im.flat(2));
    const m = ((out.segmentationMasks as tf.Tensor).arraySync() as number[][][][]).map((im) =>
      im.flat(2),
    );
    const rows = out.labels?.arraySync() as number[][];
    rows.forEach((row, i) => {
      const own = (pix[i] as number[]).filter((v) => v === 10 * (i + 1)).length / 256;
      expect(row[i]).toBeCloseTo(own, 5);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      (pix[i] as number[]).forEach((v, k) => {
        expect(m[i]?.[k]).toBe(v / 10);
      });
    });
    expect(() =>
      new CutMix().apply({ images, boxes: tf.zeros([n, 1, 4]), labels }, { training: true }),
    ).toThrow(/bounding boxes are not supported/);
    tf.dispose([
      images,
      masks,
      labels,
      out.images,
      out.labels as tf.Tensor,
      out.segmentationMasks as tf.Tensor,
    ]);
  });
});
