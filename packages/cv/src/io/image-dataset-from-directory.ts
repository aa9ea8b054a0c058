import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { data, tf, utils, ValueError } from '@cornu/core';
import { mapSettledWithLimit } from './bounded-pool.js';
import { decodeImage } from './read-image.js';
import { INTERPOLATIONS, type Interpolation, resizeImage } from './resize-image.js';

/** File extensions read as images. */
export const IMAGE_EXTENSIONS: readonly string[] = [
  '.bmp',
  '.gif',
  '.jpeg',
  '.jpg',
  '.png',
  '.webp',
  '.avif',
  '.tif',
  '.tiff',
];

/** Options of {@link imageDatasetFromDirectory}. */
export interface ImageDatasetFromDirectoryOptions {
  /** `'inferred'`: one class per subfolder; a list: one label per image file (sorted paths); null: no labels. @default 'inferred' */
  labels?: 'inferred' | number[] | null;
  /** How labels are encoded: int32 `[B]`, one-hot float32 `[B, classes]`, float32 `[B, 1]` (two classes), or none. @default 'int' */
  labelMode?: 'int' | 'categorical' | 'binary' | null;
  /** Class subfolders, in label order (only with `labels: 'inferred'`). @default the subfolders, sorted */
  classNames?: string[];
  /** @default 'rgb' */
  colorMode?: 'grayscale' | 'rgb' | 'rgba';
  /** Images per batch; null yields single images. @default 32 */
  batchSize?: number | null;
  /** Every image is resized to this [height, width]. @default [256, 256] */
  imageSize?: [number, number];
  /** Shuffle the files (again on each pass). @default true */
  shuffle?: boolean;
  /** Seed of the shuffles; required with `validationSplit` and `shuffle`. */
  seed?: number;
  /** Fraction of the files held out for validation (the last files after shuffling). */
  validationSplit?: number;
  /** Which part to return when `validationSplit` is set. */
  subset?: 'training' | 'validation' | 'both';
  /** @default 'bilinear' */
  interpolation?: Interpolation;
  /** Follow symbolic links to folders. @default false */
  followLinks?: boolean;
  /** Center-crop each image to the target aspect ratio before resizing. @default false */
  cropToAspectRatio?: boolean;
  /** Pad each image to the target aspect ratio before resizing. @default false */
  padToAspectRatio?: boolean;
  /** Most files decoded at the same time (a pool: sharp runs them on its thread pool). @default 4 */
  numParallelCalls?: number;
  /** What to do with a file that cannot be decoded: report it and go on, or throw. @default 'skip' */
  invalidImages?: 'skip' | 'raise';
  /** Called with the path and error of each skipped file. @default console.warn */
  onInvalidImage?: (path: string, error: Error) => void;
}

/** A dataset of `[images, labels]` batches (or images alone), with its class names and file paths. */
export type ImageDataset = data.Dataset<tf.Tensor | tf.Tensor[]> & {
  readonly classNames: string[];
  readonly filePaths: string[];
};

async function listImages(folder: string, followLinks: boolean): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const path = join(folder, entry.name);
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink() && followLinks) isDir = (await stat(path)).isDirectory();
    if (isDir) out.push(...(await listImages(path, followLinks)));
    else if (
      (entry.isFile() || entry.isSymbolicLink()) &&
      IMAGE_EXTENSIONS.includes(extname(entry.name).toLowerCase())
    )
      out.push(path);
  }
  return out;
}

/** A file that could not be decoded (as opposed to any other error while loading it). */
class DecodeFailure {
  constructor(readonly error: Error) {}
}

function shuffleInPlace<T>(items: T[], rng: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/**
 * A `data.Dataset` of the images in a folder (Keras's `image_dataset_from_directory`): with
 * `labels: 'inferred'`, each subfolder is a class (`dir/cat/*.jpg`, `dir/dog/*.jpg`). Images are
 * decoded lazily, one batch at a time with at most `numParallelCalls` files in flight, resized
 * to `imageSize` (float32, 0..255). Files that cannot be decoded are reported by path and skipped,
 * or raised with `invalidImages: 'raise'`.
 *
 * @example
 * ```ts
 * const [train, val] = await imageDatasetFromDirectory('photos', { imageSize: [180, 180], validationSplit: 0.2, subset: 'both', seed: 1 });
 * for await (const [images, labels] of train) { ...; tf.dispose([images, labels]); }
 * ```
 */
export async function imageDatasetFromDirectory(
  dir: string,
  options?: ImageDatasetFromDirectoryOptions & { subset?: 'training' | 'validation' },
): Promise<ImageDataset>;
export async function imageDatasetFromDirectory(
  dir: string,
  options: ImageDatasetFromDirectoryOptions & { subset: 'both' },
): Promise<[ImageDataset, ImageDataset]>;
export async function imageDatasetFromDirectory(
  dir: string,
  options: ImageDatasetFromDirectoryOptions = {},
): Promise<ImageDataset | [ImageDataset, ImageDataset]> {
  const who = 'imageDatasetFromDirectory';
  const {
    labels = 'inferred',
    colorMode = 'rgb',
    batchSize = 32,
    imageSize = [256, 256],
    shuffle = true,
    validationSplit,
    subset,
    interpolation = 'bilinear',
    followLinks = false,
    cropToAspectRatio = false,
    padToAspectRatio = false,
    numParallelCalls = 4,
    invalidImages = 'skip',
    onInvalidImage = (path: string, error: Error) =>
      console.warn(`${who}: skipped '${path}': ${error.message}`),
  } = options;
  let { labelMode = 'int' } = options;
  if (labels === null) labelMode = null;
  const channels = ({ grayscale: 1, rgb: 3, rgba: 4 } as const)[colorMode];
  if (channels === undefined)
    throw new ValueError(
      `${who}: colorMode must be 'grayscale', 'rgb' or 'rgba'. Received: colorMode=${JSON.stringify(colorMode)}.`,
    );
  if (labelMode !== null && !['int', 'categorical', 'binary'].includes(labelMode)) {
    throw new ValueError(
      `${who}: labelMode must be 'int', 'categorical', 'binary' or null. Received: labelMode=${JSON.stringify(labelMode)}.`,
    );
  }
  if (batchSize !== null && (!Number.isInteger(batchSize) || batchSize < 1)) {
    throw new ValueError(
      `${who}: batchSize must be a positive integer or null. Received: batchSize=${batchSize}.`,
    );
  }
  if (!Number.isInteger(numParallelCalls) || numParallelCalls < 1) {
    throw new ValueError(
      `${who}: numParallelCalls must be a positive integer. Received: numParallelCalls=${numParallelCalls}.`,
    );
  }
  if (
    !Array.isArray(imageSize) ||
    imageSize.length !== 2 ||
    !imageSize.every((d) => Number.isInteger(d) && d > 0)
  ) {
    throw new ValueError(
      `${who}: imageSize must be two positive integers [height, width]. Received: imageSize=${JSON.stringify(imageSize)}.`,
    );
  }
  if (!INTERPOLATIONS.includes(interpolation)) {
    throw new ValueError(
      `${who}: unknown interpolation ${JSON.stringify(interpolation)}. Expected one of ${INTERPOLATIONS.join(', ')}.`,
    );
  }
  if (cropToAspectRatio && padToAspectRatio) {
    throw new ValueError(
      `${who}: cropToAspectRatio and padToAspectRatio cannot both be true. Received: cropToAspectRatio=true, padToAspectRatio=true.`,
    );
  }
  if (invalidImages !== 'skip' && invalidImages !== 'raise') {
    throw new ValueError(
      `${who}: invalidImages must be 'skip' or 'raise'. Received: invalidImages=${JSON.stringify(invalidImages)}.`,
    );
  }
  if ((validationSplit === undefined) !== (subset === undefined)) {
    throw new ValueError(
      `${who}: validationSplit and subset go together. Received: validationSplit=${validationSplit}, subset=${JSON.stringify(subset)}.`,
    );
  }
  if (subset !== undefined && !['training', 'validation', 'both'].includes(subset)) {
    throw new ValueError(
      `${who}: subset must be 'training', 'validation' or 'both'. Received: subset=${JSON.stringify(subset)}.`,
    );
  }
  if (validationSplit !== undefined && !(validationSplit > 0 && validationSplit < 1)) {
    throw new ValueError(
      `${who}: validationSplit must be between 0 and 1. Received: validationSplit=${validationSplit}.`,
    );
  }
  if (validationSplit !== undefined && shuffle && options.seed === undefined) {
    throw new ValueError(
      `${who}: with validationSplit and shuffle, pass a seed so that the training and validation subsets do not overlap.`,
    );
  }
  const seed = options.seed ?? utils.nextSeed();

  // Index the files.
  let classNames: string[] = [];
  let files: string[] = [];
  let fileLabels: number[] = [];
  try {
    if (labels === 'inferred') {
      const subfolders = (await readdir(dir, { withFileTypes: true }))
        .filter((e) => e.isDirectory() || (followLinks && e.isSymbolicLink()))
        .map((e) => e.name)
        .sort();
      classNames = options.classNames ?? subfolders;
      for (const name of classNames) {
        if (!subfolders.includes(name)) {
          throw new ValueError(
            `${who}: classNames lists '${name}', but '${dir}' has no such subfolder. Found: ${subfolders.join(', ')}.`,
          );
        }
      }
      for (const [index, name] of classNames.entries()) {
        const found = await listImages(join(dir, name), followLinks);
        files.push(...found);
        fileLabels.push(...found.map(() => index));
      }
    } else {
      if (options.classNames)
        throw new ValueError(`${who}: classNames only applies with labels: 'inferred'.`);
      files = await listImages(dir, followLinks);
      if (Array.isArray(labels)) {
        if (labels.length !== files.length) {
          throw new ValueError(
            `${who}: labels lists ${labels.length} values but '${dir}' holds ${files.length} image files.`,
          );
        }
        fileLabels = [...labels];
        classNames = [...new Set(labels)].sort((a, b) => a - b).map(String);
      }
    }
  } catch (error) {
    if (error instanceof ValueError) throw error;
    throw new ValueError(`${who}: cannot read the folder '${dir}' (${(error as Error).message}).`, {
      cause: error,
    });
  }
  if (files.length === 0)
    throw new ValueError(
      `${who}: no image files (${IMAGE_EXTENSIONS.join(', ')}) found under '${dir}'.`,
    );
  const numClasses = labels === 'inferred' ? classNames.length : Math.max(0, ...fileLabels) + 1;
  if (labelMode === 'binary' && numClasses !== 2) {
    throw new ValueError(
      `${who}: labelMode 'binary' needs exactly 2 classes, found ${numClasses} (${classNames.join(', ')}).`,
    );
  }

  // Shuffle once, then split (Keras's order).
  const order = files.map((_, i) => i);
  if (shuffle) shuffleInPlace(order, utils.createRng(seed));
  const numValidation =
    validationSplit === undefined ? 0 : Math.trunc(validationSplit * files.length);
  const splits: Record<'training' | 'validation', number[]> = {
    training: order.slice(0, order.length - numValidation),
    validation: order.slice(order.length - numValidation),
  };

  const labelTensor = (batchLabels: number[]): tf.Tensor => {
    if (labelMode === 'categorical')
      return tf.cast(tf.oneHot(tf.tensor1d(batchLabels, 'int32'), numClasses), 'float32');
    if (labelMode === 'binary') return tf.tensor2d(batchLabels, [batchLabels.length, 1], 'float32');
    return tf.tensor1d(batchLabels, 'int32');
  };

  const makeDataset = (indices: number[], subsetSeed: number): ImageDataset => {
    let pass = 0;
    const generator = async function* (): AsyncGenerator<tf.Tensor | tf.Tensor[]> {
      const passOrder = [...indices];
      if (shuffle)
        shuffleInPlace(passOrder, utils.createRng((subsetSeed + pass * 0x9e3779b1) >>> 0));
      pass += 1;
      const step = batchSize ?? 1;
      let cursor = 0;
      while (cursor < passOrder.length) {
        // Decode up to `step` good images through a pool of at most numParallelCalls decodes;
        // each file is resized as soon as it is decoded, so its full-size pixels do not wait.
        const images: tf.Tensor3D[] = [];
        const batchLabels: number[] = [];
        try {
          while (images.length < step && cursor < passOrder.length) {
            const wanted = Math.min(step - images.length, passOrder.length - cursor);
            const chunk = passOrder.slice(cursor, cursor + wanted);
            cursor += wanted;
            const decoded = await mapSettledWithLimit(chunk, numParallelCalls, async (i) => {
              let pixels: Awaited<ReturnType<typeof decodeImage>>;
              try {
                pixels = await decodeImage(files[i] as string, channels);
              } catch (error) {
                throw new DecodeFailure(error instanceof Error ? error : new Error(String(error)));
              }
              const { data: bytes, height, width } = pixels;
              return tf.tidy(
                () =>
                  resizeImage(
                    tf.tensor3d(Float32Array.from(bytes), [height, width, channels]),
                    imageSize,
                    { interpolation, cropToAspectRatio, padToAspectRatio },
                  ) as tf.Tensor3D,
              );
            });
            let failure: Error | undefined;
            decoded.forEach((result, k) => {
              const fileIndex = chunk[k] as number;
              const path = files[fileIndex] as string;
              if (result.status === 'fulfilled') {
                if (failure) result.value.dispose();
                else {
                  images.push(result.value);
                  batchLabels.push(fileLabels[fileIndex] ?? 0);
                }
                return;
              }
              if (!(result.reason instanceof DecodeFailure)) {
                // not the file's fault (e.g. resizing): always an error
                failure ??= result.reason as Error;
                return;
              }
              const { error } = result.reason;
              if (invalidImages === 'raise') {
                failure ??= new ValueError(`${who}: cannot decode '${path}': ${error.message}`, {
                  cause: error,
                });
              } else onInvalidImage(path, error);
            });
            if (failure) throw failure;
          }
        } catch (error) {
          tf.dispose(images);
          throw error;
        }
        if (images.length === 0) continue;
        const x = batchSize === null ? (images[0] as tf.Tensor3D) : tf.stack(images);
        if (batchSize !== null) tf.dispose(images);
        if (labelMode === null) yield x;
        else {
          const y = tf.tidy(() => labelTensor(batchLabels));
          yield [x, batchSize === null ? tf.tidy(() => tf.squeeze(y, [0])) : y];
          if (batchSize === null) y.dispose();
        }
      }
    };
    return Object.assign(data.Dataset.fromGenerator(generator), {
      classNames: [...classNames],
      filePaths: indices.map((i) => files[i] as string),
    }) as ImageDataset;
  };

  if (subset === 'both')
    return [makeDataset(splits.training, seed), makeDataset(splits.validation, seed + 1)];
  if (subset === 'validation') return makeDataset(splits.validation, seed + 1);
  return makeDataset(splits.training, seed);
}
