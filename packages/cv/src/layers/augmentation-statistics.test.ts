import { backend, tf } from '@cornu/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RandomPerspective } from './augmentation/random-perspective.js';
import { RandomElasticTransform } from './augmentation/random-elastic-transform.js';
import { RandomErasing } from './augmentation/random-erasing.js';
import { RandomShear } from './augmentation/random-shear.js';
import { RandomTranslation } from './augmentation/random-translation.js';
import { RandomZoom } from './augmentation/random-zoom.js';
import type { AugmentationOutputs } from './base-image-augmentation-layer.js';
import { RandomGaussianBlur } from './color/random-gaussian-blur.js';
import { RandomHue } from './color/random-hue.js';
import { RandomInvert } from './color/random-invert.js';
import { RandomPosterization } from './color/random-posterization.js';
import { RandomSaturation } from './color/random-saturation.js';
import { RandomSharpness } from './color/random-sharpness.js';
import { Solarization } from './color/solarization.js';
import { disposeAll } from './test-helpers.js';

/**
 * The parameters random layers draw, recovered from their outputs over many images: each must be
 * uniform over the documented range (inside it, reaching both ends, mean and spread of a uniform),
 * and probabilities must come out as the fraction of images changed. Per-layer tests pin the
 * transform at fixed parameters; these pin the draws.
 */
const N = 400;

function expectUniform(values: number[], lo: number, hi: number, what: string): void {
  expect(values.length, what).toBeGreaterThan(N / 4);
  const range = hi - lo;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  expect(Math.min(...values), `${what}: below the range`).toBeGreaterThanOrEqual(lo - 1e-3 * range);
  expect(Math.max(...values), `${what}: above the range`).toBeLessThanOrEqual(hi + 1e-3 * range);
  expect(Math.min(...values), `${what}: lower end not reached`).toBeLessThan(lo + 0.05 * range);
  expect(Math.max(...values), `${what}: upper end not reached`).toBeGreaterThan(hi - 0.05 * range);
  // mean of n uniforms: sd range / sqrt(12 n); 0.06 range is > 3.5 sd for n >= 100
  expect(Math.abs(mean - (lo + hi) / 2), `${what}: mean`).toBeLessThan(0.06 * range);
  expect(Math.abs(sd / (range / Math.sqrt(12)) - 1), `${what}: spread`).toBeLessThan(0.15);
}

/** Fraction of images that differ from the input anywhere. */
function fractionChanged(input: tf.Tensor4D, output: tf.Tensor): number {
  const changed = tf.tidy(() => tf.max(tf.abs(tf.sub(output, input)), [1, 2, 3]).dataSync());
  return Array.from(changed).filter((d) => d > 1e-3).length / input.shape[0];
}

/** One RGB pixel per image, `[N, 1, 1, 3]`. */
function pixels(rgb: [number, number, number]): tf.Tensor4D {
  return tf.tidy(() => tf.tile(tf.tensor4d(rgb, [1, 1, 1, 3]), [N, 1, 1, 1]));
}

/** Scalar RGB (any scale) -> hue in turns [0, 1) and saturation. */
function hueSaturation(r: number, g: number, b: number): [number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let h = 0;
  if (d > 0) {
    if (max === r) h = ((g - b) / d + 6) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
  }
  return [h / 6, max > 0 ? d / max : 0];
}

function rows(t: tf.Tensor): number[][] {
  const [n] = t.shape as [number];
  const data = t.dataSync();
  const size = data.length / n;
  return Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * size, (i + 1) * size)));
}

/** Runs a geometric layer on N blank 41 x 41 images carrying one xyxy box; returns the output boxes. */
function movedBoxes(
  layer: RandomTranslation | RandomZoom | RandomShear,
  box: [number, number, number, number],
): number[][] {
  const inputs = {
    images: tf.zeros([N, 41, 41, 1]),
    boxes: tf.tidy(() => tf.tile(tf.tensor3d(box, [1, 1, 4]), [N, 1, 1])),
    labels: tf.ones([N, 1], 'int32'),
  };
  const out: AugmentationOutputs = layer.apply(inputs, { training: true });
  expect(Array.from((out.labels as tf.Tensor).dataSync()).every((l) => l === 1)).toBe(true);
  const result = rows(out.boxes as tf.Tensor);
  disposeAll(out);
  disposeAll(inputs);
  return result;
}

let tensorsBefore = 0;
beforeAll(async () => {
  await backend.ready();
});
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors, 'tensors leaked').toBe(tensorsBefore);
});

describe('drawn parameters of the geometric layers', () => {
  it('RandomTranslation: shifts uniform over heightFactor and widthFactor times the size', () => {
    const boxes = movedBoxes(
      new RandomTranslation({ heightFactor: [-0.2, 0.1], widthFactor: 0.15, seed: 11 }),
      [15, 15, 26, 26],
    );
    expectUniform(
      boxes.map((b) => ((b[0] as number) - 15) / 41),
      -0.15,
      0.15,
      'x shift',
    );
    expectUniform(
      boxes.map((b) => ((b[1] as number) - 15) / 41),
      -0.2,
      0.1,
      'y shift',
    );
    // the box keeps its size
    for (const b of boxes) expect((b[2] as number) - (b[0] as number)).toBeCloseTo(11, 3);
  });

  it('RandomZoom: zoom - 1 uniform over the factor; one factor keeps the aspect ratio', () => {
    // content shrinks by the zoom z (positive factors zoom out): a 21-pixel box becomes 21 / z
    const kept = movedBoxes(
      new RandomZoom({ heightFactor: [-0.3, 0.5], seed: 12 }),
      [10, 10, 31, 31],
    );
    const zy = kept.map((b) => 21 / ((b[3] as number) - (b[1] as number)));
    const zx = kept.map((b) => 21 / ((b[2] as number) - (b[0] as number)));
    expectUniform(
      zy.map((z) => z - 1),
      -0.3,
      0.5,
      'height zoom',
    );
    zx.forEach((z, i) => {
      expect(z).toBeCloseTo(zy[i] as number, 4);
    });
    const free = movedBoxes(
      new RandomZoom({ heightFactor: [-0.3, 0.5], widthFactor: [0, 0.2], seed: 13 }),
      [10, 10, 31, 31],
    );
    expectUniform(
      free.map((b) => 21 / ((b[2] as number) - (b[0] as number)) - 1),
      0,
      0.2,
      'width zoom',
    );
  });

  it('RandomShear: shear uniform over xFactor / yFactor, each on its own axis', () => {
    // a 11 x 21 box sheared along x by s spans 11 + 21 s columns and keeps its 21 rows
    const x = movedBoxes(new RandomShear({ xFactor: [0.1, 0.3], seed: 14 }), [15, 10, 26, 31]);
    expectUniform(
      x.map((b) => ((b[2] as number) - (b[0] as number) - 11) / 21),
      0.1,
      0.3,
      'x shear',
    );
    for (const b of x) expect((b[3] as number) - (b[1] as number)).toBeCloseTo(21, 3);
    const y = movedBoxes(new RandomShear({ yFactor: [0.1, 0.3], seed: 15 }), [10, 15, 31, 26]);
    expectUniform(
      y.map((b) => ((b[3] as number) - (b[1] as number) - 11) / 21),
      0.1,
      0.3,
      'y shear',
    );
    for (const b of y) expect((b[2] as number) - (b[0] as number)).toBeCloseTo(21, 3);
  });

  it('RandomPerspective, RandomElasticTransform, RandomErasing: factor is the probability', () => {
    const x = tf.tidy(() => tf.randomUniform([N, 8, 8, 3], 0, 255, 'float32', 3)) as tf.Tensor4D;
    for (const layer of [
      new RandomPerspective({ factor: [0.3, 0.3], scale: 0.5, seed: 16 }),
      // Keras's elastic factor is a probability range: [0.3, 0.3] deforms with probability 0.3
      new RandomElasticTransform({ factor: [0.3, 0.3], scale: [0.8, 0.8], seed: 17 }),
      new RandomErasing({ factor: [0.3, 0.3], scale: [0.2, 0.4], fillValue: 0, seed: 18 }),
    ]) {
      const y = layer.apply(x, { training: true });
      // binomial(400, 0.3): sd 0.023
      expect(Math.abs(fractionChanged(x, y) - 0.3), layer.className).toBeLessThan(0.08);
      y.dispose();
    }
    x.dispose();
  });
});

describe('drawn parameters of the colour layers', () => {
  it('RandomHue: hue shifts uniform over factor / 2 turns, both signs', () => {
    const red = pixels([255, 0, 0]);
    // Keras 3: |shift| ~ U(lower, upper) / 2 with a fair sign coin; a number f means [0, f]
    for (const [factor, lo, hi, signed] of [
      [[0.2, 0.6], 0.1, 0.3, true],
      [0.4, -0.2, 0.2, false],
    ] as const) {
      const y = new RandomHue({ factor: factor as [number, number] | number, seed: 21 }).apply(
        red,
        { training: true },
      );
      const shifts = rows(y).map(([r, g, b]) => {
        const [h] = hueSaturation(r as number, g as number, b as number);
        return h > 0.5 ? h - 1 : h;
      });
      const what = `hue shift, factor ${JSON.stringify(factor)}`;
      if (signed) {
        expectUniform(shifts.map(Math.abs), lo, hi, what);
        const negative = shifts.filter((v) => v < 0).length / shifts.length;
        expect(Math.abs(negative - 0.5), `${what}: sign`).toBeLessThan(0.08);
      } else expectUniform(shifts, lo, hi, what);
      y.dispose();
    }
    red.dispose();
  });

  it('RandomSaturation: s uniform over the factor (saturation scaled by s / (1 - s))', () => {
    // saturation 0.3: (200, 140, 140)
    const x = pixels([200, 140, 140]);
    const y = new RandomSaturation({ factor: [0.2, 0.7], seed: 22 }).apply(x, { training: true });
    const s = rows(y).map(([r, g, b]) => {
      const scale = hueSaturation(r as number, g as number, b as number)[1] / 0.3;
      return scale / (1 + scale);
    });
    expectUniform(s, 0.2, 0.7, 'saturation s');
    tf.dispose([x, y]);
  });

  it("RandomSharpness: the sharpness is uniform over Keras's [2 lower, 2 upper]", () => {
    // a 3 x 3 image, centre 200, the rest 100: out = smooth + f * (200 - smooth) at the centre
    const one = Array.from({ length: 9 }, (_, i) => (i === 4 ? 200 : 100));
    const x = tf.tidy(() =>
      tf.tile(tf.reshape(tf.tensor1d(one), [1, 3, 3, 1]), [N, 1, 1, 3]),
    ) as tf.Tensor4D;
    const y = new RandomSharpness({ factor: [0.25, 0.9], seed: 23 }).apply(x, { training: true });
    const smooth = (8 * 100 + 5 * 200) / 13;
    const f = rows(y).map((v) => ((v[4 * 3] as number) - smooth) / (200 - smooth));
    expectUniform(f, 0.5, 1.8, 'sharpness');
    tf.dispose([x, y]);
  });

  it('RandomPosterization: bits uniform over the integers of the factor', () => {
    const ramp = tf.tidy(() =>
      tf.tile(tf.reshape(tf.range(0, 256, 1, 'float32'), [1, 1, 256, 1]), [N, 1, 1, 3]),
    ) as tf.Tensor4D;
    const y = new RandomPosterization({ factor: [2, 5], seed: 24 }).apply(ramp, {
      training: true,
    });
    const counts = new Map<number, number>();
    for (const v of rows(y)) {
      const bits = Math.log2(new Set(v.map((p) => Math.round(p))).size);
      expect(Number.isInteger(bits)).toBe(true);
      counts.set(bits, (counts.get(bits) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([2, 3, 4, 5]);
    // each of 4 values: binomial(400, 0.25), sd 8.7
    for (const count of counts.values()) expect(Math.abs(count - N / 4)).toBeLessThan(30);
    tf.dispose([ramp, y]);
  });

  it('Solarization: threshold and addition uniform over their factors', () => {
    const ramp = tf.tidy(() =>
      tf.tile(tf.reshape(tf.range(0, 256, 1, 'float32'), [1, 1, 256, 1]), [N, 1, 1, 3]),
    ) as tf.Tensor4D;
    const thresholded = new Solarization({ thresholdFactor: [0.2, 0.5], seed: 25 }).apply(ramp, {
      training: true,
    });
    // the first inverted value of the ramp is the threshold (to one grey level)
    const thresholds = rows(thresholded).map((v) => {
      for (let k = 0; k < 256; k++)
        if (Math.abs((v[3 * k] as number) - k) > 1e-3) return (k - 0.5) / 255;
      return 1;
    });
    expectUniform(thresholds, 0.2, 0.5, 'threshold factor');
    const added = new Solarization({
      additionFactor: [0.1, 0.3],
      thresholdFactor: [1, 1],
      seed: 26,
    }).apply(ramp, {
      training: true,
    });
    expectUniform(
      rows(added).map((v) => (v[0] as number) / 255),
      0.1,
      0.3,
      'addition',
    );
    tf.dispose([ramp, thresholded, added]);
  });

  it('RandomInvert and RandomGaussianBlur: factor is the probability; blur sigma uniform', () => {
    const x = pixels([30, 60, 90]);
    const inverted = new RandomInvert({ factor: [0.3, 0.3], seed: 27 }).apply(x, {
      training: true,
    });
    expect(Math.abs(fractionChanged(x, inverted) - 0.3)).toBeLessThan(0.08);
    // Keras's single number f means p ~ U(0, f) per image: f = 0.6 inverts 0.3 of them on average
    const halved = new RandomInvert({ factor: 0.6, seed: 29 }).apply(x, { training: true });
    expect(Math.abs(fractionChanged(x, halved) - 0.3)).toBeLessThan(0.08);
    const point = tf.tidy(() =>
      tf.tile(
        tf.reshape(
          tf.tensor1d(Array.from({ length: 25 }, (_, i) => (i === 12 ? 255 : 0))),
          [1, 5, 5, 1],
        ),
        [N, 1, 1, 3],
      ),
    ) as tf.Tensor4D;
    const blurred = new RandomGaussianBlur({
      factor: [0.4, 0.4],
      sigma: [0.5, 1.5],
      seed: 28,
    }).apply(point, { training: true });
    // each blurred image: its right and lower neighbours over the centre are exp(-1 / (2 sigma^2))
    // along x and along y (Keras 3 draws one sigma per axis)
    const applied = rows(blurred).filter((v) => (v[12 * 3] as number) < 255 - 1e-3);
    expect(Math.abs(applied.length / N - 0.4)).toBeLessThan(0.08);
    const sigma = (ratio: number) => Math.sqrt(-1 / (2 * Math.log(ratio)));
    const sx = applied.map((v) => sigma((v[13 * 3] as number) / (v[12 * 3] as number)));
    const sy = applied.map((v) => sigma((v[17 * 3] as number) / (v[12 * 3] as number)));
    expectUniform(sx, 0.5, 1.5, 'blur sigma x');
    expectUniform(sy, 0.5, 1.5, 'blur sigma y');
    expect(sx.filter((v, i) => Math.abs(v - (sy[i] as number)) > 0.05).length).toBeGreaterThan(
      N / 8,
    );
    tf.dispose([x, inverted, halved, point, blurred]);
  });
});
