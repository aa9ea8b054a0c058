import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import {
  type DownloadArgs,
  fetchDatasetFile,
  KERAS_DATASETS_ORIGIN,
  parseIdx,
} from './download.js';
import type { ImageSplit } from './mnist.js';

/** sha256 of each archive, as Keras publishes them. */
const FILE_HASHES: Record<string, string> = {
  'train-labels-idx1-ubyte.gz': 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
  'train-images-idx3-ubyte.gz': '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
  't10k-labels-idx1-ubyte.gz': '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
  't10k-images-idx3-ubyte.gz': '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
};

/** The ten Fashion-MNIST class names, indexed by label. */
export const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/**
 * Fashion-MNIST (Zalando; 60,000 train + 10,000 test 28x28 grayscale images of 10 clothing
 * classes, MIT licence), downloaded from Keras's mirror into `<cache>/datasets/fashion-mnist`.
 *
 * Returns `[[xTrain, yTrain], [xTest, yTest]]`: x float32 `[n, 28, 28]` (0..255), y int32 `[n]`.
 */
export async function loadData(args: DownloadArgs = {}): Promise<[ImageSplit, ImageSplit]> {
  const read = async (fname: string) => {
    const path = await fetchDatasetFile(fname, KERAS_DATASETS_ORIGIN, FILE_HASHES[fname]!, args, {
      cacheSubdir: 'datasets/fashion-mnist',
    });
    return parseIdx(new Uint8Array(await readFile(path)), fname);
  };
  const split = async (prefix: string): Promise<ImageSplit> => {
    const labels = await read(`${prefix}-labels-idx1-ubyte.gz`);
    const images = await read(`${prefix}-images-idx3-ubyte.gz`);
    const n = labels.dims[0]!;
    return [
      tf.tensor3d(Float32Array.from(images.data), [n, 28, 28], 'float32'),
      tf.tensor1d(Int32Array.from(labels.data), 'int32'),
    ];
  };
  return [await split('train'), await split('t10k')];
}
