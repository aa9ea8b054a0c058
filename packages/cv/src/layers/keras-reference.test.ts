/**
 * Differential test of the image layers against real Keras 3.15.1 (jax backend): every case in
 * test-fixtures/keras-reference/layers.json is a Keras layer run on a seeded batch of two 8x10x3
 * images (scripts/keras_reference.py). Cornu rebuilds the layer from Keras's own config dict and,
 * where the layer is random, is fed the transformation Keras was fed: its random stream is
 * replaced by the recorded `draws` (Keras's parameters, in Cornu's draw order), each of which must
 * lie in the range Cornu samples for that config. Images must agree to 1e-4 on [0, 255], or
 * 5e-4 (2e-6 relative) where float32 rounding is amplified: pixels interpolated between
 * neighbours (a sampling coordinate one ulp off, ~1e-6 px, times slopes of up to 255 per pixel)
 * and the HSV round trips of RandomHue / RandomSaturation (divisions by small channel ranges).
 * Boxes must agree to 1e-4 px.
 *
 * The geometric cases also carry `pixel_boxes`: the boxes moved by Keras's own image matrix with
 * pixel j spanning [j, j + 1], i.e. what the transformed pixels show. Cornu's boxes must equal
 * those; where Keras's box code disagrees with its own pixels, KERAS_BOX_QUIRKS says how.
 * Differences that Cornu keeps on purpose are listed in IMAGE_DIFFERENCES and asserted there.
 */
import { readFileSync } from 'node:fs';
import { backend, type Layer, saving, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { fixture } from '../test-utils.js';
import type {
  AugmentationOutputs,
  BaseImageAugmentationLayer,
} from './base-image-augmentation-layer.js';

interface Recorded {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: number[];
}
interface Image {
  shape: number[];
  b64f32: string;
}
interface LayerCase {
  id: string;
  dict: { class_name: string; config: Record<string, unknown> };
  inputs: string;
  training: boolean;
  draws: number[] | null;
  images: Image;
  boxes?: { boxes: Recorded; labels: Recorded };
  pixel_boxes?: { boxes: Recorded; labels: Recorded };
}
interface LayersFixture {
  keras_version: string;
  backend: string;
  height: number;
  width: number;
  inputs: Record<string, Image>;
  boxes: Recorded;
  labels: Recorded;
  cases: LayerCase[];
}

const doc = JSON.parse(
  readFileSync(fixture('keras-reference/layers.json'), 'utf8'),
) as LayersFixture;
const byId = new Map(doc.cases.map((c) => [c.id, c]));

function decode(image: Image): tf.Tensor {
  const bytes = Buffer.from(image.b64f32, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return tf.tensor(new Float32Array(copy.buffer), image.shape, 'float32');
}

function values(image: Image): Float32Array {
  const t = decode(image);
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

/** Largest |a - b| over the entries `keep` selects (all by default). */
function worst(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  keep: (i: number) => boolean = () => true,
): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++)
    if (keep(i)) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Makes the layer's random stream return `draws` in order, each checked against the range asked. */
function script(layer: Layer, draws: number[], id: string): () => number {
  const queue = [...draws];
  (layer as unknown as { uniform: (lo?: number, hi?: number) => number }).uniform = (
    lo = 0,
    hi = 1,
  ) => {
    const v = queue.shift();
    if (v === undefined)
      throw new Error(`${id}: Cornu draws more values than Keras's transform has`);
    const slack = 1e-6 * Math.max(1, Math.abs(lo), Math.abs(hi));
    if (v < Math.min(lo, hi) - slack || v > Math.max(lo, hi) + slack)
      throw new Error(
        `${id}: Keras's value ${v} is outside the range [${lo}, ${hi}] Cornu samples`,
      );
    return v;
  };
  return () => queue.length;
}

interface Run {
  images: Float32Array;
  shape: number[];
  boxes?: Float32Array;
  labels?: Float32Array | Int32Array;
}

/** Rebuilds the case's layer from Keras's dict and runs it the way Keras ran. */
function run(c: LayerCase, inputs = c.inputs): Run {
  const layer = saving.deserializeKerasObject(
    structuredClone(c.dict) as Parameters<typeof saving.deserializeKerasObject>[0],
  ) as BaseImageAugmentationLayer;
  const left = c.draws ? script(layer, c.draws, c.id) : () => 0;
  const images = decode(doc.inputs[inputs] as Image);
  let out: AugmentationOutputs;
  if (c.boxes) {
    const boxes = tf.tensor(doc.boxes.data, doc.boxes.shape);
    const labels = tf.tensor(doc.labels.data, doc.labels.shape);
    out = layer.apply({ images, boxes, labels }, { training: c.training });
    tf.dispose([boxes, labels]);
  } else {
    out = { images: layer.apply(images, { training: c.training }) as tf.Tensor };
  }
  images.dispose();
  expect(left(), `${c.id}: Keras's transform has draws Cornu did not use`).toBe(0);
  const result: Run = {
    images: out.images.dataSync() as Float32Array,
    shape: out.images.shape,
    boxes: out.boxes?.dataSync() as Float32Array | undefined,
    labels: out.labels?.dataSync() as Float32Array | undefined,
  };
  tf.dispose(Object.values(out) as tf.Tensor[]);
  layer.dispose();
  return result;
}

/** Pixels within `rx` columns / `ry` rows of the border of an [n, h, w, c] batch. */
function border(shape: number[], rx: number, ry: number): (i: number) => boolean {
  const [, h, w, c] = shape as [number, number, number, number];
  return (i) => {
    const x = Math.floor(i / c) % w;
    const y = Math.floor(i / (c * w)) % h;
    return x < rx || x >= w - rx || y < ry || y >= h - ry;
  };
}

const AMPLIFIED =
  /^(random_(rotation|zoom|translation|shear)_.*bilinear|random_(zoom|shear)_|resizing_(bilinear|bicubic|lanczos|crop|pad)|center_crop_12x7|random_hue|random_saturation|auto_contrast)/;
const tolerance = (id: string) => (AMPLIFIED.test(id) ? 5e-4 : 1e-4);

/**
 * Image differences Cornu keeps on purpose, each asserted: `check` gets Cornu's run, Keras's
 * values and the case.
 */
const IMAGE_DIFFERENCES: Record<
  string,
  { why: string; check: (got: Run, keras: Float32Array, c: LayerCase) => void }
> = {};

const interiorOnly = (why: string, rx: number, ry: number) => ({
  why,
  check: (got: Run, keras: Float32Array, c: LayerCase) => {
    const edge = border(got.shape, rx, ry);
    expect(
      worst(got.images, keras, (i) => !edge(i)),
      `${c.id} interior`,
    ).toBeLessThan(1e-4 * 5);
    expect(worst(got.images, keras, edge), `${c.id} border`).toBeGreaterThan(1);
  },
});
for (const id of ['random_sharpness_pair', 'random_sharpness_number'])
  IMAGE_DIFFERENCES[id] = interiorOnly(
    "Pillow's sharpness keeps the border pixels (Cornu, documented); Keras smooths them against zero padding",
    1,
    1,
  );
IMAGE_DIFFERENCES.random_gaussian_blur_3 = interiorOnly(
  'Cornu reflect-pads the blur (documented); Keras pads with zeros, darkening a kernel radius of border',
  1,
  1,
);
IMAGE_DIFFERENCES.random_gaussian_blur_5 = interiorOnly(
  IMAGE_DIFFERENCES.random_gaussian_blur_3.why,
  2,
  2,
);
IMAGE_DIFFERENCES.random_gaussian_blur_3x5 = interiorOnly(
  IMAGE_DIFFERENCES.random_gaussian_blur_3.why,
  1,
  2,
);
for (const id of ['resizing_bicubic_5x4', 'resizing_bicubic_11x13'])
  IMAGE_DIFFERENCES[id] = {
    why: "Keras's jax backend (jax.image.resize) and its TensorFlow backend (tf.image.resize) disagree on bicubic near the edges; Cornu follows TensorFlow (resize-image.tf-reference.test.ts), and agrees with jax on every other interpolation here",
    check: (got, keras, c) => {
      const d = worst(got.images, keras);
      expect(d, c.id).toBeGreaterThan(1e-2);
      expect(d, c.id).toBeLessThan(1);
    },
  };
for (const id of ['equalization', 'equalization_one_image'])
  IMAGE_DIFFERENCES[id] = {
    why: "Cornu's Equalization is Pillow's ImageOps.equalize table (as KerasCV's, documented); Keras 3 maps through round(255 (cdf - cdf_min) / (n - cdf_min)), and pools one histogram over the whole batch",
    check: (got, keras, c) => {
      expect(worst(got.images, keras), c.id).toBeGreaterThan(10);
    },
  };
IMAGE_DIFFERENCES.random_crop_inference = {
  why: "Keras 3.15's RandomCrop returns its input unchanged at inference, against its docstring (the centred window of the target aspect ratio, resized) - which is what Cornu does",
  check: (got, keras, c) => {
    expect(Array.from(keras), c.id).toEqual(Array.from(values(doc.inputs.images as Image)));
    const documented = byId.get('resizing_crop_5x6') as LayerCase;
    expect(got.shape).toEqual(documented.images.shape);
    expect(worst(got.images, values(documented.images)), c.id).toBeLessThan(5e-4);
  },
};
IMAGE_DIFFERENCES.random_saturation_oversaturated = {
  why: 'Keras clips the scaled saturation to value_range (255) instead of [0, 1], so oversaturated pixels leave [0, 255]; Cornu clips the saturation to 1',
  check: (got, keras, c) => {
    let agreeing = 0;
    let oversaturated = 0;
    for (let p = 0; p < keras.length; p += 3) {
      const pixel = [keras[p], keras[p + 1], keras[p + 2]] as number[];
      if (pixel.every((v) => v >= 0 && v <= 255)) {
        agreeing++;
        for (let k = 0; k < 3; k++)
          expect(Math.abs((got.images[p + k] as number) - (pixel[k] as number))).toBeLessThan(5e-4);
      } else oversaturated++;
    }
    expect([agreeing > 10, oversaturated > 10], c.id).toEqual([true, true]);
    for (const v of got.images) expect(v >= 0 && v <= 255).toBe(true);
  },
};

/**
 * Cases where Keras's box code does not follow its own pixels (Cornu's boxes follow the pixels:
 * they equal `pixel_boxes`). `check` gets Keras's boxes and the pixel boxes of the kept entries.
 */
const KERAS_BOX_QUIRKS: Record<string, string> = {};
for (const c of doc.cases) {
  if (/^random_(rotation|zoom)_/.test(c.id))
    KERAS_BOX_QUIRKS[c.id] =
      'Keras moves box corners with its index-coordinate image matrix as if they were pixel centres (centre (w - 1) / 2 instead of w / 2): up to half a pixel off';
  if (/^random_shear_/.test(c.id))
    KERAS_BOX_QUIRKS[c.id] =
      'Keras shears boxes in relative coordinates with the pixel factor (only right for square images) and about the continuous origin';
  if (/^resizing_(crop|pad)_/.test(c.id))
    KERAS_BOX_QUIRKS[c.id] =
      'Keras offsets boxes by floor(difference / 2) in output pixels, while its images are cropped / padded by floor(difference / 2) input pixels';
}
KERAS_BOX_QUIRKS.random_crop_training =
  'Keras subtracts the top offset from x and the left offset from y (axes swapped) and does not clip to the crop';

let before = 0;
beforeAll(async () => {
  await backend.ready();
  before = tf.memory().numTensors;
});

describe('image layers against Keras 3.15.1 (keras-reference/layers.json)', () => {
  it('was written by Keras 3.15.1 on jax, with every case accounted for', () => {
    expect([doc.keras_version, doc.backend]).toEqual(['3.15.1', 'jax']);
    expect(doc.cases.length).toBe(69);
    expect(new Set(doc.cases.map((c) => c.id)).size).toBe(doc.cases.length);
    for (const id of [...Object.keys(IMAGE_DIFFERENCES), ...Object.keys(KERAS_BOX_QUIRKS)])
      expect(byId.has(id), id).toBe(true);
    expect(doc.cases.filter((c) => c.draws !== null).length).toBe(40);
    expect(doc.cases.filter((c) => c.boxes).length).toBe(39);
  });

  for (const c of doc.cases) {
    it(`${c.id} (${c.dict.class_name}): images${c.boxes ? ' and boxes' : ''}`, () => {
      const got = run(c);
      const keras = values(c.images);
      const known = IMAGE_DIFFERENCES[c.id];
      if (known) known.check(got, keras, c);
      else {
        expect(got.shape, c.id).toEqual(c.images.shape);
        expect(worst(got.images, keras), c.id).toBeLessThan(tolerance(c.id));
      }
      if (!c.boxes) return;
      const labels = Array.from(got.labels ?? []);
      // Keras and Cornu drop the same boxes
      expect(labels, `${c.id} labels`).toEqual(c.boxes.labels.data);
      const kept = (i: number) => (labels[Math.floor(i / 4)] as number) >= 0;
      expect(labels.filter((l) => l >= 0).length, c.id).toBeGreaterThan(2);
      const boxes = got.boxes as Float32Array;
      const pixel = c.pixel_boxes;
      if (pixel) {
        expect(labels, `${c.id} pixel labels`).toEqual(pixel.labels.data);
        expect(worst(boxes, pixel.boxes.data), `${c.id} vs the pixels`).toBeLessThan(1e-4);
      }
      const quirk = KERAS_BOX_QUIRKS[c.id];
      const offBy = worst(boxes, c.boxes.boxes.data, kept);
      if (!quirk) {
        expect(offBy, `${c.id} vs Keras's boxes`).toBeLessThan(1e-4);
        return;
      }
      expect(pixel ?? c.id === 'random_crop_training', c.id).toBeTruthy();
      expect(offBy, `${c.id}: ${quirk}`).toBeGreaterThan(0.05);
      expect(offBy, `${c.id}: ${quirk}`).toBeLessThan(2.5);
    });
  }

  it("random_crop_training: Keras's boxes are the axis-swapped offsets, unclipped", () => {
    const c = byId.get('random_crop_training') as LayerCase;
    const [top, left] = [2, 3];
    const expected = doc.boxes.data.map((v, i) => Math.max(v - (i % 2 === 0 ? top : left), 0));
    expect(worst(c.boxes?.boxes.data ?? [], expected)).toBeLessThan(1e-6);
  });

  it("RandomFlip 'horizontal_and_vertical': Keras flips both axes on one coin, Cornu tosses one per axis", () => {
    // Keras 3.15 uses the same draw for both flips (so it only ever turns images by 180 degrees);
    // Cornu keeps KerasCV's and tf.keras's independent flips (documented)
    const both = byId.get('random_flip_horizontal_and_vertical') as LayerCase;
    expect(both.draws?.length).toBe(4);
    const onlyHorizontal = run({ ...both, draws: [0.25, 0.75, 0.75, 0.75], boxes: undefined });
    const horizontal = values((byId.get('random_flip_horizontal') as LayerCase).images);
    const n = horizontal.length / 2;
    expect(worst(onlyHorizontal.images.subarray(0, n), horizontal.subarray(0, n))).toBe(0);
    expect(
      worst(onlyHorizontal.images.subarray(0, n), values(both.images).subarray(0, n)),
    ).toBeGreaterThan(1);
  });

  it("Keras's Equalization pools the batch's histogram; Cornu equalizes each image alone", () => {
    const pooled = values((byId.get('equalization') as LayerCase).images);
    const alone = values((byId.get('equalization_one_image') as LayerCase).images);
    const n = alone.length;
    expect(worst(pooled.subarray(0, n), alone)).toBeGreaterThan(1);
    const batch = run(byId.get('equalization') as LayerCase);
    const single = run(byId.get('equalization_one_image') as LayerCase);
    expect(worst(batch.images.subarray(0, n), single.images)).toBe(0);
  });

  it('leaks no tensors', () => {
    expect(tf.memory().numTensors).toBe(before);
  });
});
