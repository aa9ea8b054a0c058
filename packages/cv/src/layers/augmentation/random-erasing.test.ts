import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomErasing } from './random-erasing.js';

beforeAll(async () => {
  await backend.ready();
});

function _values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomErasing', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomErasing, {
      initArgs: { seed: 1 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('erases one rectangle per image, of an area within scale, and touches nothing else', () => {
    const x = tf.fill([100, 20, 20, 1], 100);
    const y = new RandomErasing({ factor: [1, 1], scale: [0.1, 0.3], fillValue: 7, seed: 2 }).apply(
      x,
      {
        training: true,
      },
    );
    const v = (y.arraySync() as number[][][][]).map((image) =>
      image.map((row) => row.map((p) => p[0] as number)),
    );
    for (const image of v) {
      const erased: [number, number][] = [];
      image.forEach((row, r) => {
        row.forEach((p, c) => {
          if (p !== 100) {
            expect(p).toBeCloseTo(7, 4);
            erased.push([r, c]);
          }
        });
      });
      const rows = erased.map((e) => e[0]);
      const cols = erased.map((e) => e[1]);
      const h = Math.max(...rows) - Math.min(...rows) + 1;
      const w = Math.max(...cols) - Math.min(...cols) + 1;
      expect(erased.length).toBe(h * w); // a full rectangle
      // rounding the sides to pixels moves the area a little around [0.1, 0.3] * 400
      expect(erased.length).toBeGreaterThanOrEqual(0.1 * 400 * 0.7);
      expect(erased.length).toBeLessThanOrEqual(0.3 * 400 * 1.3);
    }
    tf.dispose([x, y]);
  });
});
