import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, tf } from '@cornu/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage } from '../io/read-image.js';
import { plotImageGallery } from './plot-image-gallery.js';

let dir: string;
beforeAll(async () => {
  await backend.ready();
  dir = await mkdtemp(join(tmpdir(), 'cornu-cv-gallery-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pixel(image: tf.Tensor3D, y: number, x: number): number[] {
  return (image.arraySync()[y]?.[x] ?? []) as number[];
}

describe('plotImageGallery', () => {
  it('tiles the images on a white grid and draws boxes in the class colour', async () => {
    // three 20 x 30 images: uniform grey levels 50, 100, 150
    const images = tf.tidy(() =>
      tf.mul(tf.reshape(tf.tensor1d([50, 100, 150]), [3, 1, 1, 1]), tf.ones([3, 20, 30, 3])),
    );
    const path = join(dir, 'gallery.png');
    const before = tf.memory().numTensors;
    await plotImageGallery(images, {
      path,
      cols: 2,
      padding: 4,
      boxes: [[[5, 5, 25, 15]], [[0, 0, 1, 1]], []],
      labels: [[0], [-1], []],
      classNames: ['thing'],
    });
    expect(tf.memory().numTensors).toBe(before);
    const out = await readImage(path, { dtype: 'int32' });
    // 2 columns x 2 rows of 30 x 20 tiles with 4-pixel padding
    expect(out.shape).toEqual([2 * 20 + 3 * 4, 2 * 30 + 3 * 4, 3]);
    expect(pixel(out, 0, 0)).toEqual([255, 255, 255]);
    expect(pixel(out, 4 + 18, 4 + 1)).toEqual([50, 50, 50]); // image 0, away from its box
    expect(pixel(out, 4 + 17, 4 + 30 + 4 + 10)).toEqual([100, 100, 100]); // image 1 (its box is padding, not drawn)
    expect(pixel(out, 4 + 20 + 4 + 10, 4 + 10)).toEqual([150, 150, 150]); // image 2, second row
    // the left edge of image 0's box (x = 5) is drawn in the class-0 colour #e6194b
    const edge = pixel(out, 4 + 12, 4 + 5);
    expect(Math.abs((edge[0] as number) - 0xe6)).toBeLessThan(40);
    expect(edge[1] as number).toBeLessThan(80);
    expect(pixel(out, 4 + 18, 4 + 30 + 4 + 25)).toEqual([100, 100, 100]);
    tf.dispose([images, out]);
  });

  it('writes per-image labels under the tiles, scales tiles, and validates', async () => {
    const images = [tf.zeros([10, 10, 1]), tf.fill([10, 10, 1], 1)];
    const path = join(dir, 'labels.png');
    await plotImageGallery(images, {
      path,
      labels: [0, 1],
      classNames: ['zero', 'one'],
      valueRange: [0, 1],
      scale: 2,
      padding: 0,
    });
    const out = await readImage(path, { dtype: 'int32' });
    expect(out.shape).toEqual([20 + 18, 40, 3]);
    expect(pixel(out, 5, 25)).toEqual([255, 255, 255]);
    expect(pixel(out, 5, 5)).toEqual([0, 0, 0]);
    await expect(plotImageGallery(images, { path: join(dir, 'x.jpg') })).rejects.toThrow(
      /path must end in .png/,
    );
    await expect(plotImageGallery(images, { path, rows: 1, cols: 1 })).rejects.toThrow(
      /a 1 x 1 grid cannot hold 2 images/,
    );
    tf.dispose([...images, out]);
  });
});
