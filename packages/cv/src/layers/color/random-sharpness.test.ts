import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomSharpness } from './random-sharpness.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomSharpness', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomSharpness, {
      initArgs: { factor: 0.5, seed: 1 },
      inputShape: [2, 5, 5, 3],
      expectedOutputShape: [2, 5, 5, 3],
    });
  });

  it("Keras's factor: 0.5 keeps the image, 0 gives the 3x3 smoothing inside (border kept), 1 sharpens", () => {
    // a single bright pixel in the centre of a 5 x 5 grey image (one channel)
    const data = new Array(25).fill(100);
    data[12] = 230;
    const x = tf.tensor4d(data, [1, 5, 5, 1]);
    const same = values(
      new RandomSharpness({ factor: [0.5, 0.5], seed: 1 }).apply(x, { training: true }),
    );
    same.forEach((v, i) => {
      expect(v).toBeCloseTo(data[i] as number, 3);
    });
    const smooth = values(
      new RandomSharpness({ factor: [0, 0], seed: 1 }).apply(x, { training: true }),
    );
    expect(smooth[12]).toBeCloseTo((8 * 100 + 5 * 230) / 13, 3);
    expect(smooth[6]).toBeCloseTo((12 * 100 + 230) / 13, 3);
    expect(smooth[0]).toBeCloseTo(100, 3);
    const sharp = values(
      new RandomSharpness({ factor: [1, 1], seed: 1 }).apply(x, { training: true }),
    );
    // sharpness 2: 2 * x - smooth, clipped
    expect(sharp[12]).toBeCloseTo(Math.min(255, 2 * 230 - (8 * 100 + 5 * 230) / 13), 3);
    // a number f means [0, f]; bounds are Keras's [0, 1]
    const some = values(new RandomSharpness({ factor: 0.2, seed: 4 }).apply(x, { training: true }));
    expect(some[12]).toBeLessThan(230);
    expect(() => new RandomSharpness({ factor: [0.5, 1.5] })).toThrow(
      /factor must be a number or a \[lower, upper\] pair within \[0, 1\]/,
    );
    x.dispose();
  });

  it('leaves images smaller than 3x3 unchanged (all border pixels) instead of crashing the backend', () => {
    const x = tf.tensor4d([10, 200, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120], [1, 2, 2, 3]);
    const tall = tf.tensor4d([10, 200, 30, 40, 50, 60, 70, 80, 90], [1, 3, 1, 3]);
    const layer = new RandomSharpness({ factor: [0.95, 0.95], seed: 1 });
    for (const input of [x, tall]) {
      const before = tf.memory().numTensors;
      const y = layer.apply(input, { training: true }) as tf.Tensor;
      expect(Array.from(y.dataSync())).toEqual(Array.from(input.dataSync()));
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    // the backend still works afterwards
    const after = tf.add(tf.ones([4, 4]), 1);
    expect(after.dataSync()[0]).toBe(2);
    tf.dispose([x, tall, after]);
  });
});
