import { mkdir } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { tf, ValueError } from '@cornu/core';
import sharp from 'sharp';
import { type BoxFormat, checkFormat, convertFormat } from '../boxes/convert-format.js';

/** Options of {@link plotImageGallery}. */
export interface PlotImageGalleryOptions {
  /** Where to write the PNG (folders are created). */
  path: string;
  /** Boxes per image, `[B, N, 4]` (a tensor or nested arrays); entries whose label is -1 are padding. */
  boxes?: tf.Tensor | number[][][];
  /** Class ids: `[B, N]` for the boxes, or `[B]` (one per image, written under it) without boxes. */
  labels?: tf.Tensor | number[][] | number[];
  /** Box scores `[B, N]`, written beside the class name. */
  scores?: tf.Tensor | number[][];
  /** Names of the class ids. */
  classNames?: string[];
  /** @default 'xyxy' */
  boundingBoxFormat?: BoxFormat;
  /** Grid rows. @default ceil(B / cols) */
  rows?: number;
  /** Grid columns. @default min(B, ceil(sqrt(B))) when rows is absent, else ceil(B / rows) */
  cols?: number;
  /** The range of the pixel values, mapped to 0..255. @default [0, 255] */
  valueRange?: [number, number];
  /** Each image is drawn this many times larger (nearest neighbour). @default 1 */
  scale?: number;
  /** Pixels between tiles. @default 4 */
  padding?: number;
}

const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#ffe119',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#46f0f0',
  '#f032e6',
  '#bcf60c',
  '#fabebe',
];

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string,
  );
}

function toNested(x: tf.Tensor | number[][][] | number[][] | number[] | undefined): unknown {
  if (x === undefined) return undefined;
  return x instanceof tf.Tensor ? x.arraySync() : x;
}

/**
 * Writes a grid of images to a PNG so a person can look at a batch: its augmentations, its
 * bounding boxes (drawn in a colour per class, with the class name and score) or its labels
 * (written under each image). `images` is `[B, h, w, c]` (c = 1, 3 or 4) or a list of `[h, w, c]`.
 *
 * @example
 * ```ts
 * await plotImageGallery(batch, { path: 'gallery.png', boxes, labels, classNames: ['cat', 'dog'], cols: 4 });
 * ```
 */
export async function plotImageGallery(
  images: tf.Tensor | tf.Tensor[],
  options: PlotImageGalleryOptions,
): Promise<void> {
  const who = 'plotImageGallery';
  const { path, classNames, valueRange = [0, 255], scale = 1, padding = 4 } = options;
  if (extname(path).toLowerCase() !== '.png')
    throw new ValueError(`${who}: path must end in .png. Received: path='${path}'.`);
  const format = checkFormat(options.boundingBoxFormat ?? 'xyxy', who);
  const list = Array.isArray(images) ? images : images.rank === 4 ? tf.unstack(images) : [images];
  const owned = !Array.isArray(images) && images.rank === 4;
  try {
    for (const [i, image] of list.entries()) {
      if (image.rank !== 3 || ![1, 3, 4].includes(image.shape[2] as number)) {
        throw new ValueError(
          `${who}: image ${i} must be [height, width, 1|3|4], received shape [${image.shape.join(', ')}].`,
        );
      }
    }
    const n = list.length;
    if (n === 0) throw new ValueError(`${who}: received no images.`);
    let { rows, cols } = options;
    if (cols === undefined)
      cols = rows === undefined ? Math.min(n, Math.ceil(Math.sqrt(n))) : Math.ceil(n / rows);
    if (rows === undefined) rows = Math.ceil(n / cols);
    if (rows * cols < n)
      throw new ValueError(
        `${who}: a ${rows} x ${cols} grid cannot hold ${n} images; raise rows or cols.`,
      );
    const tileH = Math.max(...list.map((t) => t.shape[0] as number)) * scale;
    const tileW = Math.max(...list.map((t) => t.shape[1] as number)) * scale;
    const boxes = toNested(options.boxes) as number[][][] | undefined;
    const labels = toNested(options.labels) as number[][] | number[] | undefined;
    const scores = toNested(options.scores) as number[][] | undefined;
    const imageLabels = boxes === undefined && labels !== undefined;
    const caption = imageLabels ? 18 : 0;
    const width = cols * tileW + (cols + 1) * padding;
    const height = rows * (tileH + caption) + (rows + 1) * padding;
    const canvas = Buffer.alloc(width * height * 3, 255);
    const svg: string[] = [];
    const nameOf = (c: number) => classNames?.[c] ?? String(c);
    const [lo, hi] = valueRange;
    for (const [i, image] of list.entries()) {
      const [h, w, c] = image.shape as [number, number, number];
      const bytes = tf.tidy(() => {
        let x = tf.mul(tf.sub(tf.cast(image, 'float32'), lo), 255 / (hi - lo));
        if (c === 1) x = tf.tile(x, [1, 1, 3]);
        if (c === 4) x = tf.slice(x, [0, 0, 0], [-1, -1, 3]);
        return tf.round(tf.clipByValue(x, 0, 255));
      });
      const data = bytes.dataSync();
      bytes.dispose();
      const top = padding + Math.floor(i / cols) * (tileH + caption + padding);
      const left = padding + (i % cols) * (tileW + padding);
      for (let y = 0; y < h * scale; y++) {
        const sy = Math.floor(y / scale);
        for (let x = 0; x < w * scale; x++) {
          const src = (sy * w + Math.floor(x / scale)) * 3;
          const dst = ((top + y) * width + left + x) * 3;
          canvas[dst] = data[src] as number;
          canvas[dst + 1] = data[src + 1] as number;
          canvas[dst + 2] = data[src + 2] as number;
        }
      }
      if (imageLabels) {
        const label = (labels as number[])[i];
        if (label !== undefined) {
          svg.push(
            `<text x="${left + 2}" y="${top + tileH + 14}" font-family="sans-serif" font-size="13" fill="#000">${escapeXml(nameOf(label))}</text>`,
          );
        }
      }
      const imageBoxes = boxes?.[i];
      if (!imageBoxes || imageBoxes.length === 0) continue;
      const boxTensor = tf.tensor2d(imageBoxes, [imageBoxes.length, 4]);
      const xyxy = convertFormat(boxTensor, {
        source: format,
        target: 'xyxy',
        height: h,
        width: w,
      });
      const coords = xyxy.arraySync() as number[][];
      tf.dispose([boxTensor, xyxy]);
      coords.forEach(([x1, y1, x2, y2], j) => {
        const cls = (labels as number[][] | undefined)?.[i]?.[j];
        if (
          cls === -1 ||
          x1 === undefined ||
          y1 === undefined ||
          x2 === undefined ||
          y2 === undefined
        )
          return;
        const colour = PALETTE[(cls ?? 0) % PALETTE.length] as string;
        const bx = left + x1 * scale;
        const by = top + y1 * scale;
        svg.push(
          `<rect x="${bx}" y="${by}" width="${Math.max(0, (x2 - x1) * scale)}" height="${Math.max(0, (y2 - y1) * scale)}" fill="none" stroke="${colour}" stroke-width="2"/>`,
        );
        if (cls !== undefined) {
          const score = scores?.[i]?.[j];
          const text = escapeXml(
            score === undefined ? nameOf(cls) : `${nameOf(cls)} ${score.toFixed(2)}`,
          );
          svg.push(
            `<rect x="${bx}" y="${Math.max(0, by - 14)}" width="${7 * text.length + 6}" height="14" fill="${colour}"/>`,
          );
          svg.push(
            `<text x="${bx + 3}" y="${Math.max(11, by - 3)}" font-family="sans-serif" font-size="11" fill="#000">${text}</text>`,
          );
        }
      });
    }
    let pipeline = sharp(canvas, { raw: { width, height, channels: 3 } });
    if (svg.length > 0) {
      const overlay = `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${svg.join('')}</svg>`;
      pipeline = pipeline.composite([{ input: Buffer.from(overlay), top: 0, left: 0 }]);
    }
    await mkdir(dirname(path), { recursive: true });
    await pipeline.png().toFile(path);
  } finally {
    if (owned) tf.dispose(list);
  }
}
