import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, tf } from '@cornu/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ImageDatasetFromDirectoryOptions,
  imageDatasetFromDirectory,
} from './image-dataset-from-directory.js';

/** Grey level of each synthetic image: cats are dark (10 + i), dogs bright (200 + i). */
const LEVELS: Record<string, number[]> = { cats: [10, 11, 12, 13, 14], dogs: [200, 201, 202] };

let dir: string;
beforeAll(async () => {
  await backend.ready();
  dir = await mkdtemp(join(tmpdir(), 'cornu-cv-dataset-'));
  for (const [name, levels] of Object.entries(LEVELS)) {
    await mkdir(join(dir, name));
    for (const [i, level] of levels.entries()) {
      // different sizes, so resizing is exercised
      const image = sharp({
        create: {
          width: 12 + i,
          height: 9 + 2 * i,
          channels: 3,
          background: { r: level, g: level, b: level },
        },
      });
      await image.png().toFile(join(dir, name, `${name}_${i}.png`));
    }
  }
  await writeFile(join(dir, 'dogs', 'broken.jpg'), 'not a jpeg');
  await writeFile(join(dir, 'cats', 'notes.txt'), 'ignored: not an image extension');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Batch = [tf.Tensor, tf.Tensor];

async function collect(
  ds: AsyncIterable<tf.Tensor | tf.Tensor[]>,
): Promise<{ shapes: number[][]; levels: number[]; labels: number[][] }> {
  const out = { shapes: [] as number[][], levels: [] as number[], labels: [] as number[][] };
  for await (const element of ds) {
    const [x, y] = element as Batch;
    out.shapes.push(x.shape);
    const means = tf.tidy(() => tf.round(tf.mean(x, [1, 2, 3])));
    out.levels.push(...Array.from(means.dataSync()));
    const rows = y.arraySync() as number[] | number[][];
    for (const row of rows) out.labels.push(Array.isArray(row) ? row : [row]);
    tf.dispose([x, y, means]);
  }
  return out;
}

describe('imageDatasetFromDirectory', () => {
  it('infers classes from subfolders, labels each image, reports the broken file by path', async () => {
    const skipped: string[] = [];
    const ds = await imageDatasetFromDirectory(dir, {
      imageSize: [8, 8],
      batchSize: 3,
      seed: 1,
      onInvalidImage: (path) => skipped.push(path),
    });
    expect(ds.classNames).toEqual(['cats', 'dogs']);
    expect(ds.filePaths).toHaveLength(9);
    const before = tf.memory().numTensors;
    const { shapes, levels, labels } = await collect(ds);
    expect(tf.memory().numTensors).toBe(before);
    expect(shapes).toEqual([
      [3, 8, 8, 3],
      [3, 8, 8, 3],
      [2, 8, 8, 3],
    ]);
    expect(skipped).toEqual([join(dir, 'dogs', 'broken.jpg')]);
    // each image's label agrees with its content; all 8 readable images seen once
    levels.forEach((level, i) => {
      expect(labels[i]).toEqual([level < 100 ? 0 : 1]);
    });
    expect([...levels].sort((a, b) => a - b)).toEqual([
      ...(LEVELS.cats as number[]),
      ...(LEVELS.dogs as number[]),
    ]);
  });

  it('is reproducible with a seed and reshuffles on each pass', async () => {
    const options = {
      imageSize: [4, 4] as [number, number],
      batchSize: 8,
      seed: 42,
      onInvalidImage: () => {},
    };
    const a = await collect(await imageDatasetFromDirectory(dir, options));
    const b = await collect(await imageDatasetFromDirectory(dir, options));
    expect(a.levels).toEqual(b.levels);
    const ds = await imageDatasetFromDirectory(dir, options);
    const passes = [await collect(ds), await collect(ds), await collect(ds)];
    expect(new Set(passes.map((p) => p.levels.join(','))).size).toBeGreaterThan(1);
    const ordered = await collect(
      await imageDatasetFromDirectory(dir, { ...options, shuffle: false }),
    );
    expect(ordered.levels).toEqual([10, 11, 12, 13, 14, 200, 201, 202]);
  });

  it('splits training and validation without overlap (subset both)', async () => {
    const [train, val] = await imageDatasetFromDirectory(dir, {
      imageSize: [4, 4],
      validationSplit: 0.25,
      subset: 'both',
      seed: 3,
      onInvalidImage: () => {},
    });
    expect(train.filePaths).toHaveLength(7);
    expect(val.filePaths).toHaveLength(2);
    expect(new Set([...train.filePaths, ...val.filePaths]).size).toBe(9);
    const alone = await imageDatasetFromDirectory(dir, {
      imageSize: [4, 4],
      validationSplit: 0.25,
      subset: 'validation',
      seed: 3,
    });
    expect(alone.filePaths).toEqual(val.filePaths);
  });

  it('encodes categorical and binary labels, grayscale, unbatched and unlabeled elements', async () => {
    const quiet = { onInvalidImage: () => {}, seed: 5, imageSize: [4, 4] as [number, number] };
    const categorical = await collect(
      await imageDatasetFromDirectory(dir, {
        ...quiet,
        labelMode: 'categorical',
        colorMode: 'grayscale',
      }),
    );
    expect(categorical.shapes[0]).toEqual([8, 4, 4, 1]);
    categorical.levels.forEach((level, i) => {
      expect(categorical.labels[i]).toEqual(level < 100 ? [1, 0] : [0, 1]);
    });
    const binary = await collect(
      await imageDatasetFromDirectory(dir, { ...quiet, labelMode: 'binary' }),
    );
    binary.levels.forEach((level, i) => {
      expect(binary.labels[i]).toEqual([level < 100 ? 0 : 1]);
    });
    let count = 0;
    for await (const element of await imageDatasetFromDirectory(dir, {
      ...quiet,
      labels: null,
      batchSize: null,
    })) {
      expect((element as tf.Tensor).shape).toEqual([4, 4, 3]);
      (element as tf.Tensor).dispose();
      count++;
    }
    expect(count).toBe(8);
  });

  it('raises on a broken file with invalidImages: raise, and validates its options', async () => {
    const ds = await imageDatasetFromDirectory(dir, {
      imageSize: [4, 4],
      invalidImages: 'raise',
      shuffle: false,
    });
    await expect(collect(ds)).rejects.toThrow(/cannot decode '.*broken\.jpg'/);
    await expect(
      imageDatasetFromDirectory(dir, { validationSplit: 0.2, subset: 'training' }),
    ).rejects.toThrow(/pass a seed/);
    await expect(imageDatasetFromDirectory(dir, { classNames: ['cats', 'birds'] })).rejects.toThrow(
      /lists 'birds', but .* has no such subfolder. Found: cats, dogs/,
    );
    await expect(imageDatasetFromDirectory(join(dir, 'missing'))).rejects.toThrow(
      /cannot read the folder/,
    );
    await expect(imageDatasetFromDirectory(dir, { colorMode: 'cmyk' as 'rgb' })).rejects.toThrow(
      /colorMode must be 'grayscale', 'rgb' or 'rgba'/,
    );
  });

  it('passes interpolation and cropToAspectRatio to the resize (hand-derived values)', async () => {
    // one 2 x 6 grey image, columns 10 20 100 200 30 40, resized to [1, 2]
    const flat = await mkdtemp(join(tmpdir(), 'cornu-cv-dataset-resize-'));
    try {
      const columns = [10, 20, 100, 200, 30, 40];
      const raw = Buffer.from([...columns, ...columns]);
      await sharp(raw, { raw: { width: 6, height: 2, channels: 1 } })
        .png()
        .toFile(join(flat, 'strip.png'));
      const row = async (options: Omit<ImageDatasetFromDirectoryOptions, 'subset'>) => {
        const ds = await imageDatasetFromDirectory(flat, {
          labels: null,
          batchSize: null,
          colorMode: 'grayscale',
          imageSize: [1, 2],
          ...options,
        });
        const values: number[] = [];
        for await (const image of ds) {
          values.push(...Array.from((image as tf.Tensor).dataSync()));
          (image as tf.Tensor).dispose();
        }
        return values;
      };
      // nearest, half-pixel centres, scale 3: source columns floor(0.5 * 3) = 1 and floor(1.5 * 3) = 4
      expect(await row({ interpolation: 'nearest' })).toEqual([20, 30]);
      // the centred 2 x 4 window is columns 1..4 (20 100 200 30); scale 2: window columns 1 and 3
      expect(await row({ interpolation: 'nearest', cropToAspectRatio: true })).toEqual([100, 30]);
      // bilinear samples the window at 0.5 and 2.5: (20 + 100) / 2, (200 + 30) / 2
      const bilinear = await row({ interpolation: 'bilinear', cropToAspectRatio: true });
      expect(bilinear[0]).toBeCloseTo(60, 4);
      expect(bilinear[1]).toBeCloseTo(115, 4);
      // padToAspectRatio: 2 x 6 padded to 3 x 6 (a zero half row each side); nearest rows 1, columns 1 and 4
      expect(
        await row({ interpolation: 'nearest', padToAspectRatio: true, imageSize: [1, 2] }),
      ).toEqual([20, 30]);
    } finally {
      await rm(flat, { recursive: true, force: true });
    }
  });

  it('gives the same batches whatever numParallelCalls, and validates the pool and resize options', async () => {
    const options = {
      imageSize: [4, 4] as [number, number],
      batchSize: 3,
      seed: 8,
      onInvalidImage: () => {},
    };
    const one = await collect(
      await imageDatasetFromDirectory(dir, { ...options, numParallelCalls: 1 }),
    );
    const many = await collect(
      await imageDatasetFromDirectory(dir, { ...options, numParallelCalls: 16 }),
    );
    expect(many).toEqual(one);
    expect(one.levels).toHaveLength(8);
    await expect(imageDatasetFromDirectory(dir, { numParallelCalls: 0 })).rejects.toThrow(
      /numParallelCalls must be a positive integer. Received: numParallelCalls=0/,
    );
    await expect(
      imageDatasetFromDirectory(dir, { imageSize: [4, 0] as [number, number] }),
    ).rejects.toThrow(
      /imageSize must be two positive integers \[height, width\]. Received: imageSize=\[4,0\]/,
    );
    await expect(
      imageDatasetFromDirectory(dir, { interpolation: 'cubic' as 'bicubic' }),
    ).rejects.toThrow(/unknown interpolation "cubic". Expected one of nearest, bilinear/);
    await expect(
      imageDatasetFromDirectory(dir, { cropToAspectRatio: true, padToAspectRatio: true }),
    ).rejects.toThrow(/cropToAspectRatio and padToAspectRatio cannot both be true/);
    await expect(
      imageDatasetFromDirectory(dir, { invalidImages: 'ignore' as 'skip' }),
    ).rejects.toThrow(/invalidImages must be 'skip' or 'raise'. Received: invalidImages="ignore"/);
  });

  it('takes explicit labels, one per image file in sorted path order', async () => {
    // sorted paths: cats/cats_0..4.png, dogs/broken.jpg, dogs/dogs_0..2.png (9 files)
    const labels = [4, 3, 2, 1, 0, 9, 5, 6, 7];
    const ds = await imageDatasetFromDirectory(dir, {
      labels,
      imageSize: [4, 4],
      shuffle: false,
      onInvalidImage: () => {},
    });
    expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '9']);
    const { levels, labels: seen } = await collect(ds);
    // the broken file (label 9) is skipped; every other image keeps its own label
    expect(levels).toEqual([10, 11, 12, 13, 14, 200, 201, 202]);
    expect(seen.flat()).toEqual([4, 3, 2, 1, 0, 5, 6, 7]);
    await expect(imageDatasetFromDirectory(dir, { labels: [1, 2] })).rejects.toThrow(
      /labels lists 2 values but '.*' holds 9 image files/,
    );
  });
});
