import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, tf } from '@cornu/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageDatasetFromDirectory } from './image-dataset-from-directory.js';

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
});
