import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianKernel, RandomGaussianBlur } from './random-gaussian-blur.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomGaussianBlur', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomGaussianBlur, {
      initArgs: { kernelSize: 3, seed: 1 },
      inputShape: [2, 5, 5, 3],
      expectedOutputShape: [2, 5, 5, 3],
    });
  });

  it('spreads a point by the Gaussian kernels along x and y and keeps constants and the total', () => {
    const data = new Array(49).fill(0);
    data[24] = 200;
    const x = tf.tensor4d(data, [1, 7, 7, 1]);
    // sigma [1, 1]: both axes 1 (+ Keras's 1e-6)
    const y = values(
      new RandomGaussianBlur({ kernelSize: 5, sigma: [1, 1], seed: 1 }).apply(x, {
        training: true,
      }),
    );
    const k = gaussianKernel(5, 1);
    expect(k[2]).toBeCloseTo(1 / (1 + 2 * Math.exp(-0.5) + 2 * Math.exp(-2)), 6);
    for (let r = 0; r < 5; r++)
      for (let c = 0; c < 5; c++)
        expect(y[(r + 1) * 7 + c + 1]).toBeCloseTo(200 * (k[r] as number) * (k[c] as number), 3);
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(200, 2);
    // kernelSize [x, y]: 3 taps along the width, 5 along the height
    const tall = values(
      new RandomGaussianBlur({ kernelSize: [3, 5], sigma: [1, 1], seed: 1 }).apply(x, {
        training: true,
      }),
    );
    const k3 = gaussianKernel(3, 1);
    expect(tall[24]).toBeCloseTo(200 * (k3[1] as number) * (k[2] as number), 3);
    expect(tall[24 - 14]).toBeCloseTo(200 * (k3[1] as number) * (k[0] as number), 3);
    expect(tall[24 - 2]).toBeCloseTo(0, 6);
    const flat = tf.fill([1, 6, 6, 3], 90);
    for (const v of values(
      new RandomGaussianBlur({ kernelSize: 5, seed: 3 }).apply(flat, { training: true }),
    ))
      expect(v).toBeCloseTo(90, 3);
    tf.dispose([x, flat]);
    expect(() => new RandomGaussianBlur({ kernelSize: 4 })).toThrow(
      /kernelSize must be an odd positive integer or a pair of them. Received: kernelSize=4/,
    );
    expect(() => new RandomGaussianBlur({ sigma: [-1, 1] })).toThrow(
      /sigma must be a non-negative number s/,
    );
    // Keras's arguments: a number s means [0, s]; kernel_size is written as a pair
    expect(new RandomGaussianBlur({ kernelSize: 5, sigma: 1.5 }).getConfig()).toMatchObject({
      kernel_size: [5, 5],
      sigma: [0, 1.5],
    });
  });
});
