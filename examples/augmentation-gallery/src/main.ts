/**
 * Augmentation gallery: the fixture photos of @cornu/cv with hand-drawn bounding boxes, resized,
 * then augmented three times by a seeded pipeline (flip, rotation, zoom, translation, colour jitter). Boxes travel with the images through every
 * layer; `plotImageGallery` draws them. Writes `augmentation-gallery.png` (or the path given).
 *
 *   pnpm --filter @cornu/example-augmentation-gallery start [out.png]
 */
import { fileURLToPath } from 'node:url';
import { backend, tf } from '@cornu/core';
import {
  type AugmentationInputs,
  boxes,
  plotImageGallery,
  RandomColorJitter,
  RandomFlip,
  RandomRotation,
  RandomTranslation,
  RandomZoom,
  Resizing,
  readImage,
} from '@cornu/cv';

await backend.ready();
const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../packages/cv/test-fixtures/${name}`, import.meta.url));
const out = process.argv[2] ?? 'augmentation-gallery.png';
const classNames = ['head', 'eye'];

// Each photo resized to 160 x 160 (centred window), with its boxes in pixels of the original.
const photos: { file: string; boxes: number[][]; labels: number[] }[] = [
  {
    file: 'cat.jpg',
    boxes: [
      [90, 0, 640, 530],
      [268, 308, 352, 376],
      [456, 262, 536, 334],
    ],
    labels: [0, 1, 1],
  },
  {
    file: 'dog_224.jpg',
    boxes: [
      [45, 25, 185, 165],
      [62, 56, 84, 78],
      [102, 56, 124, 78],
    ],
    labels: [0, 1, 1],
  },
  { file: 'china.jpg', boxes: [], labels: [] },
];
const resize = new Resizing({ height: 160, width: 160, cropToAspectRatio: true });
const resized: AugmentationInputs[] = [];
for (const photo of photos) {
  const image = await readImage(fixture(photo.file));
  const dense = boxes.toDense({ boxes: [photo.boxes], labels: [photo.labels] }, { maxBoxes: 3 });
  resized.push(resize.apply({ images: tf.expandDims(image, 0), ...dense }));
  tf.dispose([image, dense.boxes, dense.labels]);
}
const batch: AugmentationInputs = {
  images: tf.concat(resized.map((r) => r.images)),
  boxes: tf.concat(resized.map((r) => r.boxes as tf.Tensor)),
  labels: tf.concat(resized.map((r) => r.labels as tf.Tensor)),
};
for (const r of resized) tf.dispose(Object.values(r));

const pipeline = [
  new RandomFlip({ mode: 'horizontal', seed: 1 }),
  new RandomRotation({ factor: 0.08, seed: 2 }),
  new RandomZoom({ heightFactor: [-0.2, 0.3], seed: 3 }),
  new RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 4 }),
  new RandomColorJitter({
    brightnessFactor: 0.15,
    contrastFactor: 0.3,
    saturationFactor: [0.3, 0.8],
    hueFactor: 0.1,
    seed: 5,
  }),
];
const rows: AugmentationInputs[] = [batch];
for (let i = 0; i < 3; i++) {
  let x: AugmentationInputs = batch;
  for (const layer of pipeline) {
    const y = layer.apply(x, { training: true });
    if (x !== batch) tf.dispose(Object.values(x));
    x = y;
  }
  rows.push(x);
}
const images = tf.concat(rows.map((r) => r.images));
await plotImageGallery(images, {
  path: out,
  boxes: tf.concat(rows.map((r) => r.boxes as tf.Tensor)),
  labels: tf.concat(rows.map((r) => r.labels as tf.Tensor)),
  classNames,
  cols: 3,
  scale: 1,
});
console.log(`wrote ${out}: ${images.shape[0]} images, top row original, then three augmentations`);
