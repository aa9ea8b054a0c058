import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { GridMask } from './grid-mask.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('GridMask', () => {
  it('passes the layer harness', () => {
    runLayerTest(GridMask, {
      initArgs: { seed: 1 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('masks about ratio^2 of the pixels with fillValue', () => {
    const x = tf.fill([20, 60, 60, 1], 200);
    const y = values(
      new GridMask({ ratioFactor: [0.5, 0.5], rotationFactor: 0.2, fillValue: 0, seed: 3 }).apply(
        x,
        { training: true },
      ),
    );
    const masked = y.filter((v) => v < 1e-4).length / y.length;
    expect(y.every((v) => v < 1e-4 || Math.abs(v - 200) < 1e-3)).toBe(true);
    // squares of half the unit side: a quarter of the area, give or take the grid's edges
    expect(masked).toBeGreaterThan(0.18);
    expect(masked).toBeLessThan(0.32);
    x.dispose();
  });

  it('gridMask without rotation is a lattice of squares', () => {
    const m = GridMask.gridMask(8, 8, { unit: 4, ratio: 0.5, angle: 0, offsetX: 0, offsetY: 0 });
    // centre at (4, 4): u = x - 4, masked when u mod 4 < 2, i.e. x in {0, 1, 4, 5}
    const row0 = Array.from(m.slice(0, 8));
    expect(row0).toEqual([1, 1, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(m.slice(16, 24))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
