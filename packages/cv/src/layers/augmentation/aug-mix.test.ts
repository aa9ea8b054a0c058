import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { AugMix } from './aug-mix.js';

beforeAll(async () => {
  await backend.ready();
});

describe('AugMix', () => {
  it('passes the layer harness', () => {
    runLayerTest(AugMix, {
      initArgs: { seed: 1 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('returns convex mixes that stay close to the image and within the value range', () => {
    const x = tf.randomUniform([6, 12, 12, 3], 0, 255, 'float32', 2);
    const y = new AugMix({ seed: 3, severity: 0.3 }).apply(x, { training: true });
    const diff = tf.tidy(() => tf.mean(tf.abs(tf.sub(y, x)), [1, 2, 3]));
    const d = Array.from(diff.dataSync());
    expect(d.every((v) => v > 0.01)).toBe(true);
    // the original keeps weight m ~ Beta(1, 1) and every chain is a mild augmentation
    expect(d.every((v) => v < 100)).toBe(true);
    expect(tf.min(y).dataSync()[0]).toBeGreaterThanOrEqual(-1e-3);
    expect(tf.max(y).dataSync()[0]).toBeLessThanOrEqual(255 + 1e-3);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    expect(() =>
      new AugMix().apply(
        { images: x, boxes: tf.zeros([6, 1, 4]), labels: tf.zeros([6, 1]) },
        { training: true },
      ),
    ).toThrow(/boxes and segmentation masks are not supported/);
    tf.dispose([x, y, diff]);
  });
});
