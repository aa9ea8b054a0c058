import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { expectClose, loadNormFixture, type Nested, t } from './fixtures.js';
import { GroupNormalization } from './group-normalization.js';

interface GnCase {
  groups: number;
  x: Nested;
  gamma: Nested;
  beta: Nested;
  y: Nested;
}

beforeAll(async () => {
  await ready();
});

describe('GroupNormalization', () => {
  it('passes runLayerTest and finite-difference gradients', () => {
    runLayerTest(GroupNormalization, {
      initArgs: { groups: 2 },
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
    const layer = new GroupNormalization({ groups: 2 });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 5);
    expect(checkGradientsNumerically(layer, x).length).toBeGreaterThan(0);
    x.dispose();
    layer.dispose();
  });

  const f = loadNormFixture<{ nhwc: GnCase; rank3: GnCase }>('group_norm');

  for (const key of ['nhwc', 'rank3'] as const) {
    it(`matches torch group_norm (${key}, channels last)`, () => {
      const c = f[key];
      const x = t(c.x);
      const layer = new GroupNormalization({ groups: c.groups });
      layer.build(x.shape);
      layer.built = true;
      const w = [t(c.gamma), t(c.beta)];
      layer.setWeights(w);
      const y = layer.apply(x);
      expectClose(y, c.y);
      tf.dispose([x, y, ...w]);
      layer.dispose();
    });
  }

  it('groups=-1 becomes one group per channel (instance normalization)', () => {
    const layer = new GroupNormalization({ groups: -1, center: false, scale: false, epsilon: 0 });
    // Channel 0 over the 2 steps: [1, 3] -> [-1, 1]; channel 1: [0, 4] -> [-1, 1].
    const x = tf.tensor3d([
      [
        [1, 0],
        [3, 4],
      ],
    ]);
    const y = layer.apply(x);
    expect(layer.groups).toBe(2);
    expectClose(y, [
      [
        [-1, -1],
        [1, 1],
      ],
    ]);
    tf.dispose([x, y]);
  });

  it('rejects channel counts that the groups do not divide', () => {
    expect(() => new GroupNormalization({ groups: 4 }).apply(tf.zeros([1, 6]))).toThrow(
      /the number of channels \(6\) must be a multiple of the number of groups. Received: groups=4/,
    );
    expect(() => new GroupNormalization({ groups: 8 }).apply(tf.zeros([1, 6]))).toThrow(
      /cannot be more than the number of channels/,
    );
  });
});
