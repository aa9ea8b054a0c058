import { readFile } from 'node:fs/promises';
import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../test-utils.js';
import { resizeImage } from './resize-image.js';

interface TorchCase {
  size: [number, number];
  values: number[];
}
type TorchReference = { input_nhwc: number[]; input_shape: number[] } & Record<string, TorchCase>;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

let reference: TorchReference;
beforeAll(async () => {
  await backend.ready();
  reference = JSON.parse(
    await readFile(fixture('resize_torch_reference.json'), 'utf8'),
  ) as TorchReference;
});

describe('resizeImage', () => {
  it('bilinear (half-pixel centres) matches hand-derived values', () => {
    const x = tf.tensor3d([0, 10], [1, 2, 1]);
    const y = resizeImage(x, [1, 4]);
    // sample points (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped at the borders
    expect(Array.from(y.dataSync())).toEqual([0, 2.5, 7.5, 10]);
    tf.dispose([x, y]);
  });

  it('area averages the covered input pixels', () => {
    const x = tf.tensor3d([1, 3, 5, 7, 9, 11], [1, 6, 1]);
    const half = resizeImage(x, [1, 3], { interpolation: 'area' });
    expect(Array.from(half.dataSync())).toEqual([2, 6, 10]);
    const quarter = resizeImage(x, [1, 4], { interpolation: 'area' });
    // output pixel 0 covers [0, 1.5): (1 * 1 + 3 * 0.5) / 1.5
    expect(quarter.dataSync()[0]).toBeCloseTo(2.5 / 1.5, 5);
    tf.dispose([x, half, quarter]);
  });

  it.each([
    ['bilinear_up', { interpolation: 'bilinear' as const }],
    ['bilinear_down', { interpolation: 'bilinear' as const }],
    ['bilinear_down_antialias', { interpolation: 'bilinear' as const, antialias: true }],
    ['bicubic_down_antialias', { interpolation: 'bicubic' as const, antialias: true }],
    ['nearest_down', { interpolation: 'nearest' as const }],
  ])('%s agrees with torch.nn.functional.interpolate', (name, options) => {
    const x = tf.tensor4d(
      reference.input_nhwc,
      reference.input_shape as [number, number, number, number],
    );
    const expected = reference[name] as TorchCase;
    const y = resizeImage(x, expected.size, options);
    expect(y.shape).toEqual([1, ...expected.size, 2]);
    expect(maxAbsDiff(y.dataSync(), expected.values)).toBeLessThan(0.02);
    tf.dispose([x, y]);
  });

  it('lanczos, gaussian and mitchellcubic keep a constant image constant', () => {
    const x = tf.fill([9, 11, 3], 42) as tf.Tensor3D;
    for (const interpolation of [
      'lanczos3',
      'lanczos5',
      'gaussian',
      'mitchellcubic',
      'bicubic',
    ] as const) {
      const y = resizeImage(x, [4, 20], { interpolation });
      expect(maxAbsDiff(y.dataSync(), new Float32Array(4 * 20 * 3).fill(42))).toBeLessThan(1e-3);
      y.dispose();
    }
    x.dispose();
  });

  it('cropToAspectRatio takes the centred window (Keras arithmetic)', () => {
    // 4 x 8 image, values = column index; to a square: window of width 4 starting at column 2
    const x = tf.tidy(() =>
      tf.tile(tf.reshape(tf.range(0, 8, 1, 'float32'), [1, 8, 1]), [4, 1, 1]),
    ) as tf.Tensor3D;
    const y = resizeImage(x, [4, 4], { cropToAspectRatio: true });
    expect(Array.from(y.dataSync().slice(0, 4))).toEqual([2, 3, 4, 5]);
    tf.dispose([x, y]);
  });

  it('padToAspectRatio pads symmetrically with fillValue', () => {
    const x = tf.ones([2, 4, 1]) as tf.Tensor3D;
    const y = resizeImage(x, [4, 4], { padToAspectRatio: true, fillValue: -1 });
    expect(y.arraySync().map((row) => row.map((p) => p[0]))).toEqual([
      [-1, -1, -1, -1],
      [1, 1, 1, 1],
      [1, 1, 1, 1],
      [-1, -1, -1, -1],
    ]);
    tf.dispose([x, y]);
  });

  it('validates its arguments and leaks nothing', () => {
    const x = tf.zeros([3, 3, 1]) as tf.Tensor3D;
    expect(() => resizeImage(x, [0, 3])).toThrow(
      /size must be two positive integers \[height, width\]. Received: size=\[0,3\]/,
    );
    expect(() => resizeImage(x, [2, 2], { interpolation: 'cubic' as 'bicubic' })).toThrow(
      /unknown interpolation "cubic". Expected one of nearest/,
    );
    expect(() => resizeImage(tf.zeros([3]) as unknown as tf.Tensor3D, [2, 2])).toThrow(
      /received shape \[3\]/,
    );
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) resizeImage(x, [5, 7], { interpolation: 'lanczos3' }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
