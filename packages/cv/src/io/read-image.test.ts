import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, tf } from '@cornu/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../test-utils.js';
import { readImage, writeImage } from './read-image.js';

interface PillowReference {
  shape: number[];
  channel_sums: number[];
  samples: [number, number, number[]][];
}

/** The pattern of generate_references.py: pixel (y, x) = [40y + 10x, 255 - 40y, 7x]. */
function pattern(y: number, x: number): number[] {
  return [40 * y + 10 * x, 255 - 40 * y, 7 * x];
}

let dir: string;
beforeAll(async () => {
  await backend.ready();
  dir = await mkdtemp(join(tmpdir(), 'cornu-cv-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readImage', () => {
  it('decodes china.jpg like Pillow to +-1 (300 sampled pixels, channel sums)', async () => {
    const reference = JSON.parse(
      await readFile(fixture('china_pillow_reference.json'), 'utf8'),
    ) as PillowReference;
    const before = tf.memory().numTensors;
    const image = await readImage(fixture('china.jpg'));
    expect(image.shape).toEqual([427, 640, 3]);
    expect(image.dtype).toBe('float32');
    const data = image.dataSync();
    let worst = 0;
    for (const [y, x, rgb] of reference.samples) {
      for (let c = 0; c < 3; c++)
        worst = Math.max(
          worst,
          Math.abs((data[(y * 640 + x) * 3 + c] as number) - (rgb[c] as number)),
        );
    }
    expect(worst).toBeLessThanOrEqual(1);
    const pixels = 427 * 640;
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let i = c; i < data.length; i += 3) sum += data[i] as number;
      // mean differs from Pillow's by well under one grey level
      expect(Math.abs(sum - (reference.channel_sums[c] as number)) / pixels).toBeLessThan(0.5);
    }
    image.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(['png', 'tiff', 'webp'])('reads a lossless %s exactly', async (ext) => {
    const image = await readImage(fixture(`pattern.${ext}`), { dtype: 'int32' });
    expect(image.shape).toEqual([4, 6, 3]);
    expect(image.dtype).toBe('int32');
    const values = image.arraySync();
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 6; x++) expect(values[y]?.[x]).toEqual(pattern(y, x));
    image.dispose();
  });

  it('reads the first frame of an animated GIF', async () => {
    const image = await readImage(fixture('pattern.gif'));
    const values = image.arraySync();
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 6; x++) {
        const expected = (pattern(y, x)[0] as number) > 100 ? 255 : 0;
        expect(values[y]?.[x]).toEqual([expected, expected, expected]);
      }
    }
    image.dispose();
  });

  it('applies the EXIF orientation (6 = rotate 90 degrees clockwise)', async () => {
    const image = await readImage(fixture('pattern_orientation6.png'), { dtype: 'int32' });
    expect(image.shape).toEqual([6, 4, 3]);
    const values = image.arraySync();
    // clockwise rotation: displayed (r, c) = stored (h - 1 - c, r) with stored h = 4
    for (let r = 0; r < 6; r++)
      for (let c = 0; c < 4; c++) expect(values[r]?.[c]).toEqual(pattern(3 - c, r));
    image.dispose();
  });

  it.each([
    // EXIF orientation -> displayed (r, c) as stored (y, x), stored size h = 4, w = 6
    [1, (r: number, c: number): [number, number] => [r, c]],
    [2, (r: number, c: number): [number, number] => [r, 5 - c]], // mirrored horizontally
    [3, (r: number, c: number): [number, number] => [3 - r, 5 - c]], // rotated 180
    [4, (r: number, c: number): [number, number] => [3 - r, c]], // mirrored vertically
    [5, (r: number, c: number): [number, number] => [c, r]], // transposed
    [6, (r: number, c: number): [number, number] => [3 - c, r]], // rotated 90 clockwise
    [7, (r: number, c: number): [number, number] => [3 - c, 5 - r]], // transversed
    [8, (r: number, c: number): [number, number] => [c, 5 - r]], // rotated 90 counter-clockwise
  ] as const)(
    'applies EXIF orientation %i (all eight, mirrors included)',
    async (orientation, stored) => {
      const bytes = await sharp(fixture('pattern.png'))
        .withMetadata({ orientation })
        .png()
        .toBuffer();
      expect((await sharp(bytes).metadata()).orientation).toBe(orientation);
      const image = await readImage(new Uint8Array(bytes), { dtype: 'int32' });
      const [height, width] = orientation >= 5 ? [6, 4] : [4, 6];
      expect(image.shape).toEqual([height, width, 3]);
      const values = image.arraySync();
      for (let r = 0; r < height; r++)
        for (let c = 0; c < width; c++) expect(values[r]?.[c]).toEqual(pattern(...stored(r, c)));
      image.dispose();
    },
  );

  it('reads AVIF (lossless) from a buffer', async () => {
    const bytes = await sharp(fixture('pattern.png')).avif({ lossless: true }).toBuffer();
    const image = await readImage(new Uint8Array(bytes));
    expect(image.shape).toEqual([4, 6, 3]);
    const values = image.arraySync();
    // AVIF lossless goes through YUV in libheif; allow a small error.
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 6; x++)
        for (let c = 0; c < 3; c++) {
          expect(
            Math.abs((values[y]?.[x]?.[c] as number) - (pattern(y, x)[c] as number)),
          ).toBeLessThanOrEqual(3);
        }
    image.dispose();
  });

  it('converts channels: grayscale, RGBA with opaque alpha', async () => {
    const gray = await readImage(fixture('pattern.png'), { channels: 1 });
    expect(gray.shape).toEqual([4, 6, 1]);
    // pure white stays white, and luminance lies between min and max of the RGB values
    const g = gray.dataSync();
    const [r0, g0, b0] = pattern(0, 0) as [number, number, number];
    expect(g[0]).toBeGreaterThanOrEqual(Math.min(r0, g0, b0));
    expect(g[0]).toBeLessThanOrEqual(Math.max(r0, g0, b0));
    const rgba = await readImage(fixture('pattern.png'), { channels: 4 });
    expect(rgba.shape).toEqual([4, 6, 4]);
    expect(Array.from(rgba.dataSync().slice(0, 4))).toEqual([...pattern(0, 0), 255]);
    tf.dispose([gray, rgba]);
  });

  it('names the file and the expected formats when decoding fails', async () => {
    await expect(readImage(fixture('generate_references.py'))).rejects.toThrow(
      /could not decode '.*generate_references\.py'.*Expected a JPEG, PNG/,
    );
    await expect(readImage(fixture('china.jpg'), { channels: 2 as 3 })).rejects.toThrow(
      /channels must be 1, 3 or 4. Received: channels=2/,
    );
  });
});

describe('writeImage', () => {
  it('round-trips through PNG exactly and clips out-of-range values', async () => {
    const image = tf.tensor3d([[[0, 128, 300]], [[-5, 17.4, 255]]], [2, 1, 3]);
    const path = join(dir, 'out.png');
    await writeImage(image, path);
    const back = await readImage(path, { dtype: 'int32' });
    expect(back.arraySync()).toEqual([[[0, 128, 255]], [[0, 17, 255]]]);
    tf.dispose([image, back]);
  });

  it('scales min..max to 0..255 with scale: true, and rejects unknown extensions', async () => {
    const image = tf.tensor3d([0, 0.5, 1], [1, 3, 1]);
    const path = join(dir, 'scaled.png');
    await writeImage(image, path, { scale: true });
    const back = await readImage(path, { channels: 1, dtype: 'int32' });
    expect(Array.from(back.dataSync())).toEqual([0, 128, 255]);
    await expect(writeImage(image, join(dir, 'x.bmp'))).rejects.toThrow(
      /unknown image extension in '.*x\.bmp'/,
    );
    tf.dispose([image, back]);
  });
});
