import { tf, utils } from '@cornu/core';
import { expect } from 'vitest';
import type {
  AugmentationInputs,
  AugmentationOutputs,
  BaseImageAugmentationLayer,
} from './base-image-augmentation-layer.js';

/** A layer's parameter sampler, as the statistics tests reach it. */
export type Sampler<P> = { sampleParameters: (batch: number, height: number, width: number) => P };

/** Records what the layer draws, call by call (the layer still uses the same draws). */
export function captureDraws<P>(layer: BaseImageAugmentationLayer): P[] {
  const draws: P[] = [];
  const target = layer as unknown as Sampler<P>;
  const original = target.sampleParameters.bind(layer);
  target.sampleParameters = (batch, height, width) => {
    const draw = original(batch, height, width);
    draws.push(draw);
    return draw;
  };
  return draws;
}

/**
 * A batch of black images, each with one white axis-aligned rectangle, its xyxy box (label 1) plus
 * one padding entry (label -1), and the matching segmentation mask.
 */
export function rectangleBatch(
  batch: number,
  height: number,
  width: number,
  seed: number,
): { inputs: Required<AugmentationInputs>; boxes: number[][] } {
  const rng = utils.createRng(seed);
  const pixels = new Float32Array(batch * height * width * 3);
  const mask = new Int32Array(batch * height * width);
  const boxes: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const x1 = Math.floor(width * (0.2 + 0.2 * rng()));
    const y1 = Math.floor(height * (0.2 + 0.2 * rng()));
    const x2 = x1 + Math.floor(width * (0.15 + 0.2 * rng()));
    const y2 = y1 + Math.floor(height * (0.15 + 0.2 * rng()));
    boxes.push([x1, y1, x2, y2]);
    for (let y = y1; y < y2; y++) {
      for (let x = x1; x < x2; x++) {
        mask[(b * height + y) * width + x] = 1;
        pixels.fill(
          255,
          ((b * height + y) * width + x) * 3,
          ((b * height + y) * width + x) * 3 + 3,
        );
      }
    }
  }
  return {
    inputs: {
      images: tf.tensor4d(pixels, [batch, height, width, 3]),
      boxes: tf.tensor3d(boxes.flatMap((b) => [b, [-1, -1, -1, -1]]).flat(), [batch, 2, 4]),
      labels: tf.tensor2d(
        boxes.flatMap(() => [1, -1]),
        [batch, 2],
        'int32',
      ),
      segmentationMasks: tf.tensor4d(mask, [batch, height, width, 1], 'int32'),
    },
    boxes,
  };
}

/** The xyxy box (continuous coordinates) enclosing the pixels of `values` [h, w] above `threshold`, or null. */
export function boxOfPixels(
  values: ArrayLike<number>,
  height: number,
  width: number,
  threshold: number,
): number[] | null {
  let x1 = width;
  let y1 = height;
  let x2 = -1;
  let y2 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((values[y * width + x] as number) > threshold) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x);
        y2 = Math.max(y2, y);
      }
    }
  }
  return x2 < 0 ? null : [x1, y1, x2 + 1, y2 + 1];
}

/**
 * Asserts that the transformed boxes enclose the transformed rectangles (first channel of the
 * images above 127, and the masks) to within `tolerance` pixels, and that padding stays padding.
 * Returns how many rectangles were still visible.
 */
export function expectBoxesFollowImages(out: AugmentationOutputs, tolerance: number): number {
  const images = out.images as tf.Tensor4D;
  const [batch, height, width] = images.shape;
  const red = tf.tidy(() => tf.squeeze(tf.slice(images, [0, 0, 0, 0], [-1, -1, -1, 1]), [3]));
  const pixels = red.dataSync();
  const masks = (out.segmentationMasks as tf.Tensor).dataSync();
  const boxes = (out.boxes as tf.Tensor).arraySync() as number[][][];
  const labels = (out.labels as tf.Tensor).arraySync() as number[][];
  red.dispose();
  let visible = 0;
  for (let b = 0; b < batch; b++) {
    const size = height * width;
    const fromPixels = boxOfPixels(pixels.subarray(b * size, (b + 1) * size), height, width, 127);
    const fromMask = boxOfPixels(
      Array.from(masks.slice(b * size, (b + 1) * size)),
      height,
      width,
      0,
    );
    expect(labels[b]?.[1]).toBe(-1);
    expect(boxes[b]?.[1]).toEqual([-1, -1, -1, -1]);
    if (labels[b]?.[0] === -1) {
      // the rectangle left the image: at most a sliver may remain
      if (fromPixels)
        expect((fromPixels[2] as number) - (fromPixels[0] as number)).toBeLessThanOrEqual(
          tolerance + 1,
        );
      continue;
    }
    expect(labels[b]?.[0]).toBe(1);
    const box = boxes[b]?.[0] as number[];
    expect(fromPixels).not.toBeNull();
    expect(fromMask).not.toBeNull();
    visible++;
    for (let k = 0; k < 4; k++) {
      expect(
        Math.abs(((fromPixels as number[])[k] as number) - (box[k] as number)),
      ).toBeLessThanOrEqual(tolerance);
      expect(
        Math.abs(((fromMask as number[])[k] as number) - (box[k] as number)),
      ).toBeLessThanOrEqual(tolerance);
    }
  }
  return visible;
}

export function disposeAll(x: AugmentationInputs | AugmentationOutputs): void {
  tf.dispose(Object.values(x).filter((t): t is tf.Tensor => t instanceof tf.Tensor));
}
