import { backend, tf } from '@cornu/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GridMask } from './augmentation/grid-mask.js';
import {
  type ElasticField as Field,
  RandomElasticTransform,
} from './augmentation/random-elastic-transform.js';
import { homography, RandomPerspective } from './augmentation/random-perspective.js';
import { type Matrix3, mapPoint } from './base-geometric-layer.js';
import type { BaseImageAugmentationLayer } from './base-image-augmentation-layer.js';
import { RandomBrightness } from './color/random-brightness.js';
import { RandomColorJitter } from './color/random-color-jitter.js';
import { RandomContrast } from './color/random-contrast.js';
import { RandomHue } from './color/random-hue.js';
import { RandomSaturation } from './color/random-saturation.js';
import { captureDraws, disposeAll, type Sampler } from './test-helpers.js';

/**
 * The random draws of GridMask, RandomPerspective, RandomElasticTransform and RandomColorJitter.
 * Each test captures what the layer drew, ties it exactly to what the layer applied (pixels,
 * boxes), and then checks the draws' distribution with bounds of 5 standard deviations of the
 * statistic. Everything is seeded: a bound that holds holds every run, and 5 sigma keeps a change
 * of seed safe.
 */

/** Makes `layer` use `draws` (one call's parameters) instead of drawing. */
function forceDraws<P>(layer: BaseImageAugmentationLayer, draws: P): void {
  (layer as unknown as Sampler<P>).sampleParameters = () => draws;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[]) => {
  const m = mean(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
};

function correlation(a: number[], b: number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  for (let i = 0; i < a.length; i++) ab += ((a[i] as number) - ma) * ((b[i] as number) - mb);
  return ab / a.length / Math.sqrt(variance(a) * variance(b));
}

/** |observed - expected| within 5 standard deviations of the statistic. */
function expectWithin5Sigma(observed: number, expected: number, sd: number, what: string): void {
  expect(
    Math.abs(observed - expected),
    `${what}: ${observed} vs ${expected} (sd ${sd})`,
  ).toBeLessThan(5 * sd);
}

/**
 * `values` are draws of U(lo, hi): all inside, both ends reached (a gap of c * range at an end has
 * probability (1 - c)^n, set to 1e-7), mean within 5 sd (range / sqrt(12 n)) and variance within
 * 5 sd (relative sd sqrt(0.8 / n)) of a uniform's.
 */
function expectUniform(values: number[], lo: number, hi: number, what: string): void {
  const n = values.length;
  const range = hi - lo;
  const gap = 1 - 1e-7 ** (1 / n);
  expect(Math.min(...values), `${what}: below the range`).toBeGreaterThanOrEqual(lo - 1e-6 * range);
  expect(Math.max(...values), `${what}: above the range`).toBeLessThanOrEqual(hi + 1e-6 * range);
  expect(Math.min(...values), `${what}: lower end not reached`).toBeLessThan(lo + gap * range);
  expect(Math.max(...values), `${what}: upper end not reached`).toBeGreaterThan(hi - gap * range);
  expectWithin5Sigma(mean(values), (lo + hi) / 2, range / Math.sqrt(12 * n), `${what}: mean`);
  expectWithin5Sigma(
    variance(values) / (range ** 2 / 12),
    1,
    Math.sqrt(0.8 / n),
    `${what}: variance`,
  );
}

/** Pairwise correlations of independent draws: each within 5 sd (1 / sqrt(n)) of 0. */
function expectUncorrelated(columns: number[][], what: string): void {
  for (let i = 0; i < columns.length; i++)
    for (let j = i + 1; j < columns.length; j++) {
      const a = columns[i] as number[];
      expectWithin5Sigma(
        correlation(a, columns[j] as number[]),
        0,
        1 / Math.sqrt(a.length),
        `${what} ${i}-${j}`,
      );
    }
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

interface Grid {
  unit: number;
  ratio: number;
  angle: number;
  offsetX: number;
  offsetY: number;
}

describe('GridMask', () => {
  it('masks exactly its drawn grid; unit, ratio, angle and offsets uniform over their ranges', () => {
    const [n, h, w] = [300, 60, 40];
    const layer = new GridMask({
      ratioFactor: [0.2, 0.6],
      rotationFactor: [-0.05, 0.1],
      fillValue: 0,
      seed: 31,
    });
    const draws = captureDraws<Grid[]>(layer);
    const x = tf.fill([n, h, w, 1], 200) as tf.Tensor4D;
    const y = layer.apply(x, { training: true });
    const out = y.dataSync();
    tf.dispose([x, y]);
    const grids = draws.flat();
    expect(grids.length).toBe(n);

    const fractions: number[] = [];
    grids.forEach((grid, b) => {
      const mask = GridMask.gridMask(h, w, grid);
      let masked = 0;
      for (let p = 0; p < h * w; p++) {
        // what was drawn is what was applied: fill exactly on the drawn grid, the image elsewhere
        const v = out[b * h * w + p] as number;
        if (mask[p] === 1) {
          masked++;
          if (v !== 0) expect(v, `image ${b} pixel ${p}: masked`).toBe(0);
        } else if (Math.abs(v - 200) > 1e-3) expect(v, `image ${b} pixel ${p}: kept`).toBe(200);
      }
      fractions.push(masked / (h * w));
    });

    // KerasCV's unit range: [min(h / 2, 0.3 w), max(h / 2, 0.3 w) + 1) = [12, 31)
    expectUniform(
      grids.map((g) => g.unit),
      12,
      31,
      'unit',
    );
    expectUniform(
      grids.map((g) => g.ratio),
      0.2,
      0.6,
      'ratio',
    );
    expectUniform(
      grids.map((g) => g.angle / (2 * Math.PI)),
      -0.05,
      0.1,
      'angle (turns)',
    );
    expectUniform(
      grids.map((g) => g.offsetX / g.unit),
      0,
      1,
      'x offset (units)',
    );
    expectUniform(
      grids.map((g) => g.offsetY / g.unit),
      0,
      1,
      'y offset (units)',
    );
    expectUncorrelated(
      [
        grids.map((g) => g.unit),
        grids.map((g) => g.ratio),
        grids.map((g) => g.angle),
        grids.map((g) => g.offsetX / g.unit),
        grids.map((g) => g.offsetY / g.unit),
      ],
      'grid draws',
    );

    // with offsets uniform over a unit, each pixel is masked with probability ratio^2 exactly:
    // the residuals fraction - ratio^2 are independent with mean 0
    const residuals = fractions.map((f, b) => f - (grids[b] as Grid).ratio ** 2);
    expectWithin5Sigma(
      mean(residuals),
      0,
      Math.sqrt(variance(residuals) / n),
      'masked fraction - ratio^2',
    );
    // and over the draws of the ratio, E[ratio^2] = (a^2 + ab + b^2) / 3 for U(a, b)
    expectWithin5Sigma(
      mean(fractions),
      (0.2 ** 2 + 0.2 * 0.6 + 0.6 ** 2) / 3,
      Math.sqrt(variance(fractions) / n),
      'mean masked fraction',
    );
    // a fraction follows its own ratio, not just the average
    expect(
      correlation(
        fractions,
        grids.map((g) => g.ratio ** 2),
      ),
    ).toBeGreaterThan(0.9);
    layer.dispose();
  });

  it('turns the grid counter-clockwise by the drawn angle (checked on the pixels)', () => {
    // The mask repeats along the grid's axes: shifting by one unit along the turned x axis maps
    // it onto itself up to pixel rounding. With y pointing down, a counter-clockwise turn by a
    // sends the x axis to (cos a, -sin a); the mirror image (cos a, sin a) is, in grid
    // coordinates, (cos 2a, sin 2a) units, at least 0.34 units off the lattice for a in [11, 34]
    // degrees, and agrees on about 60% of the pixels only.
    const [n, size] = [40, 64];
    const layer = new GridMask({
      ratioFactor: [0.5, 0.5],
      rotationFactor: [0.03, 0.095],
      seed: 32,
    });
    const draws = captureDraws<Grid[]>(layer);
    const x = tf.fill([n, size, size, 1], 1) as tf.Tensor4D;
    const y = layer.apply(x, { training: true });
    const out = y.dataSync();
    tf.dispose([x, y]);
    const agreement = (b: number, sx: number, sy: number) => {
      let same = 0;
      let total = 0;
      for (let py = 0; py < size; py++) {
        for (let px = 0; px < size; px++) {
          const qx = Math.round(px + sx);
          const qy = Math.round(py + sy);
          if (qx < 0 || qx >= size || qy < 0 || qy >= size) continue;
          total++;
          const here = out[(b * size + py) * size + px] as number;
          const there = out[(b * size + qy) * size + qx] as number;
          if (here === there) same++;
        }
      }
      return same / total;
    };
    (draws.flat() as Grid[]).forEach(({ unit, angle }, b) => {
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      expect(agreement(b, unit * c, -unit * s), `image ${b}: counter-clockwise`).toBeGreaterThan(
        0.9,
      );
      expect(agreement(b, -unit * s, -unit * c), `image ${b}: turned y axis`).toBeGreaterThan(0.9);
      expect(agreement(b, unit * c, unit * s), `image ${b}: clockwise`).toBeLessThan(0.8);
    });
    layer.dispose();
  });
});

describe('RandomPerspective', () => {
  const cornersOf = (h: number, w: number): [number, number][] => [
    [0, 0],
    [w - 1, 0],
    [w - 1, h - 1],
    [0, h - 1],
  ];

  it('moves each corner coordinate by U(-scale / 2, scale / 2) times the extent, independently', () => {
    const [n, h, w] = [400, 30, 50];
    const scale = 0.6;
    const layer = new RandomPerspective({ factor: [1, 1], scale, seed: 41 });
    const draws = captureDraws<Matrix3[]>(layer);
    const x = tf.zeros([n, h, w, 1]);
    tf.dispose([x, layer.apply(x, { training: true })]);
    const matrices = draws.flat();
    expect(matrices.length).toBe(n);
    // an output corner samples the moved corner: recover the displacements from the matrices
    const columns: number[][] = Array.from({ length: 8 }, () => []);
    for (const m of matrices) {
      cornersOf(h, w).forEach(([cx, cy], k) => {
        const [mx, my] = mapPoint(m, cx, cy);
        (columns[2 * k] as number[]).push((mx - cx) / (scale * (w - 1)));
        (columns[2 * k + 1] as number[]).push((my - cy) / (scale * (h - 1)));
      });
    }
    columns.forEach((values, i) => {
      expectUniform(values, -0.5, 0.5, `corner ${i >> 1} ${i % 2 === 0 ? 'x' : 'y'}`);
    });
    expectUncorrelated(columns, 'corner coordinates');
    layer.dispose();
  });

  it('boxes are the enclosing boxes of the mapped box corners; the pixels go where the corners say', () => {
    const [n, h, w] = [40, 40, 48];
    const layer = new RandomPerspective({ scale: 0.5, interpolation: 'nearest', seed: 42 });
    const draws = captureDraws<Matrix3[]>(layer);
    const pixels = new Float32Array(n * h * w);
    const boxes: number[][] = [];
    for (let b = 0; b < n; b++) {
      // a 4 x 4 square near the centre
      const x0 = 16 + (b % 13);
      const y0 = 14 + ((3 * b) % 9);
      boxes.push([x0, y0, x0 + 4, y0 + 4]);
      for (let yy = y0; yy < y0 + 4; yy++)
        pixels.fill(255, (b * h + yy) * w + x0, (b * h + yy) * w + x0 + 4);
    }
    const inputs = {
      images: tf.tensor4d(pixels, [n, h, w, 1]),
      boxes: tf.tensor3d(boxes.flat(), [n, 1, 4]),
      labels: tf.ones([n, 1], 'int32'),
    };
    const out = layer.apply(inputs, { training: true });
    const outBoxes = (out.boxes as tf.Tensor).dataSync();
    const outImages = (out.images as tf.Tensor).dataSync();
    const outLabels = (out.labels as tf.Tensor).dataSync();
    disposeAll(out);
    disposeAll(inputs);
    const matrices = draws.flat();
    matrices.forEach((m, b) => {
      // the forward map, solved from the corners: moved input corners -> output corners
      const corners = cornersOf(h, w);
      const moved = corners.map(([cx, cy]) => mapPoint(m, cx, cy));
      const forward = homography(moved, corners);
      // continuous coordinates: pixel j spans [j, j + 1], its centre is index j
      const toOutput = (px: number, py: number) => {
        const [u, v] = mapPoint(forward, px - 0.5, py - 0.5);
        return [u + 0.5, v + 0.5] as [number, number];
      };
      const [x1, y1, x2, y2] = boxes[b] as [number, number, number, number];
      const mapped = [toOutput(x1, y1), toOutput(x2, y1), toOutput(x1, y2), toOutput(x2, y2)];
      const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
      const expected = [
        clip(Math.min(...mapped.map((p) => p[0])), w),
        clip(Math.min(...mapped.map((p) => p[1])), h),
        clip(Math.max(...mapped.map((p) => p[0])), w),
        clip(Math.max(...mapped.map((p) => p[1])), h),
      ];
      expect(outLabels[b]).toBe(1);
      expected.forEach((v, k) => {
        expect(outBoxes[4 * b + k] as number, `image ${b} box[${k}]`).toBeCloseTo(v, 3);
      });
      // the square's pixels land around the mapped centre of the square
      let sx = 0;
      let sy = 0;
      let count = 0;
      for (let yy = 0; yy < h; yy++)
        for (let xx = 0; xx < w; xx++)
          if ((outImages[(b * h + yy) * w + xx] as number) > 127) {
            sx += xx + 0.5;
            sy += yy + 0.5;
            count++;
          }
      expect(count, `image ${b}: square visible`).toBeGreaterThan(4);
      const [cx, cy] = toOutput(x1 + 2, y1 + 2);
      expect(Math.abs(sx / count - cx), `image ${b}: x centroid`).toBeLessThan(1);
      expect(Math.abs(sy / count - cy), `image ${b}: y centroid`).toBeLessThan(1);
      // and inside the box
      expect(sx / count).toBeGreaterThan(expected[0] as number);
      expect(sx / count).toBeLessThan(expected[2] as number);
    });
    layer.dispose();
  });
});

/** Per image, the displacement field `[2, h * w]` (dx, dy) of a captured elastic field. */
function displacements(field: Field): Float32Array[][] {
  const [batch, height, width] = field.shape;
  const size = height * width;
  return Array.from({ length: batch }, (_, b) => {
    const dx = new Float32Array(size);
    const dy = new Float32Array(size);
    for (let p = 0; p < size; p++) {
      dx[p] = (field.x[b * size + p] as number) - (p % width);
      dy[p] = (field.y[b * size + p] as number) - Math.floor(p / width);
    }
    return [dx, dy];
  });
}

const peak = (v: Float32Array[]) => Math.max(...v.map((c) => Math.max(...c.map(Math.abs))));

describe('RandomElasticTransform', () => {
  it("samples exactly at its drawn field; probability and strength follow Keras 3's ranges", () => {
    const [n, h, w] = [60, 36, 44];
    // factor 0.5 means p ~ U(0, 0.5) per image, so P(deformed) = 0.25; scale [0.4, 0.4] fixes the
    // strength: alpha = 0.1 * 0.4 * 44 = 1.76, sigma = 0.05 * 0.4 * 36 = 0.72.
    const layer = new RandomElasticTransform({
      scale: [0.4, 0.4],
      factor: 0.5,
      fillMode: 'nearest',
      seed: 51,
    });
    const draws = captureDraws<Field>(layer);
    // channel 0 is x, channel 1 is y: bilinear sampling of a ramp returns the sampled coordinate
    const ramps = tf.tidy(() => {
      const xs = tf.tile(tf.reshape(tf.range(0, w, 1, 'float32'), [1, 1, w, 1]), [n, h, 1, 1]);
      const ys = tf.tile(tf.reshape(tf.range(0, h, 1, 'float32'), [1, h, 1, 1]), [n, 1, w, 1]);
      return tf.concat([xs, ys], 3);
    }) as tf.Tensor4D;
    const y = layer.apply(ramps, { training: true });
    const out = y.dataSync();
    tf.dispose([ramps, y]);
    const field = draws[0] as Field;
    expect(field.distortion).toBeCloseTo(0.4, 6);
    expect(field.alpha).toBeCloseTo(1.76, 5);
    expect(field.sigma).toBeCloseTo(0.72, 5);
    for (let i = 0; i < n * h * w; i++) {
      const sx = Math.min(Math.max(field.x[i] as number, 0), w - 1);
      const sy = Math.min(Math.max(field.y[i] as number, 0), h - 1);
      if (Math.abs((out[2 * i] as number) - sx) > 1e-3) expect(out[2 * i]).toBeCloseTo(sx, 3);
      if (Math.abs((out[2 * i + 1] as number) - sy) > 1e-3)
        expect(out[2 * i + 1]).toBeCloseTo(sy, 3);
    }
    // images left alone have no displacement, deformed ones do
    const peaks = displacements(field).map(peak);
    peaks.forEach((p, b) => {
      if (field.applied[b]) expect(p).toBeGreaterThan(0);
      else expect(p).toBe(0);
    });
    const deformed = field.applied.filter(Boolean).length;
    // binomial(60, 0.25): sd 3.35
    expectWithin5Sigma(deformed, n * 0.25, Math.sqrt(n * 0.25 * 0.75), 'deformed images');
    // the field is alpha * blur(sigma * N(0, 1)): its std is alpha * sigma * sum(k_i^2) (1-D
    // kernel k, squared for the two axes), with Keras's int(6 sigma) | 1 taps
    const size = Math.trunc(6 * field.sigma) | 1;
    const k = Array.from({ length: size }, (_, i) =>
      Math.exp(-0.5 * ((i - (size - 1) / 2) / field.sigma) ** 2),
    );
    const total = k.reduce((a, b) => a + b, 0);
    const sumSquares = k.reduce((a, v) => a + (v / total) ** 2, 0);
    const expectedSd = field.alpha * field.sigma * sumSquares;
    const r = (size - 1) / 2;
    const interior: number[] = [];
    displacements(field).forEach((components, b) => {
      if (!field.applied[b]) return;
      for (const d of components)
        for (let py = r; py < h - r; py++)
          for (let px = r; px < w - r; px++) interior.push(d[py * w + px] as number);
    });
    // neighbouring values are correlated, so judge the sd loosely (10%) rather than at 5 sigma
    expect(Math.sqrt(variance(interior)) / expectedSd).toBeGreaterThan(0.9);
    expect(Math.sqrt(variance(interior)) / expectedSd).toBeLessThan(1.1);
    layer.dispose();
  });

  it('the field is smoothed white noise: its autocorrelation is that of a Gaussian of sigma pixels', () => {
    // Smoothing i.i.d. noise with a kernel g (separable, g x g) gives, along x at lag L,
    // correlation sum_i g_i g_(i+L) / sum_i g_i^2 (the y factor cancels); the factors sigma and
    // alpha are constants and do not change it. Pixels within the kernel radius of the border
    // see the zero padding and are left out.
    const [n, size] = [40, 80];
    for (const sigma of [1.5, 3]) {
      // Keras's sigma is 0.05 * strength * shorter side
      const strength = sigma / (0.05 * size);
      const layer = new RandomElasticTransform({
        scale: [strength, strength],
        factor: [1, 1],
        seed: 52,
      });
      const draws = captureDraws<Field>(layer);
      const x = tf.zeros([n, size, size, 1]);
      tf.dispose([x, layer.apply(x, { training: true })]);
      const images = displacements(draws[0] as Field);
      const taps = Math.trunc(6 * sigma) | 1; // Keras's kernel size
      const r = (taps - 1) / 2;
      const g = Array.from({ length: taps }, (_, i) =>
        Math.exp(-((i - r) ** 2) / (2 * sigma ** 2)),
      );
      const gg = g.reduce((s, v) => s + v * v, 0);
      for (const lag of [1, 2, 4]) {
        let gl = 0;
        for (let i = 0; i + lag < g.length; i++) gl += (g[i] as number) * (g[i + lag] as number);
        const expected = gl / gg;
        for (const [axis, dxStep, dyStep] of [
          ['x', 1, 0],
          ['y', 0, 1],
        ] as const) {
          // ratio estimator over independent images: sum A / sum B, sd from the per-image terms
          const terms = images.flatMap((components) =>
            components.map((d) => {
              let num = 0;
              let den = 0;
              for (let py = r; py < size - r - dyStep * lag; py++)
                for (let px = r; px < size - r - dxStep * lag; px++) {
                  const v = d[py * size + px] as number;
                  num += v * (d[(py + dyStep * lag) * size + px + dxStep * lag] as number);
                  den += v * v;
                }
              return [num, den] as const;
            }),
          );
          const sumA = terms.reduce((s, t) => s + t[0], 0);
          const sumB = terms.reduce((s, t) => s + t[1], 0);
          const rho = sumA / sumB;
          const sd = Math.sqrt(terms.reduce((s, [a, b]) => s + (a - rho * b) ** 2, 0)) / sumB;
          expectWithin5Sigma(rho, expected, sd, `sigma ${sigma}, lag ${lag} along ${axis}`);
        }
      }
      // the x and y displacements are independent fields
      const cross = images.map(([dx, dy]) => {
        let num = 0;
        for (let p = 0; p < (dx as Float32Array).length; p++)
          num += ((dx as Float32Array)[p] as number) * ((dy as Float32Array)[p] as number);
        return (
          num /
          Math.sqrt(
            variance(Array.from(dx as Float32Array)) * variance(Array.from(dy as Float32Array)),
          ) /
          (dx as Float32Array).length
        );
      });
      expectWithin5Sigma(mean(cross), 0, Math.sqrt(variance(cross) / n), `sigma ${sigma}, dx-dy`);
      layer.dispose();
    }
  });
});

describe('RandomColorJitter', () => {
  it('draws each factor within its range, per image, and applies brightness, contrast, saturation, hue in that order', () => {
    const n = 300;
    const jitter = new RandomColorJitter({
      brightnessFactor: [-0.2, 0.3],
      contrastFactor: [0.3, 0.5],
      saturationFactor: [0.3, 0.7],
      hueFactor: [0.1, 0.4],
      seed: 61,
    });
    expect(jitter.steps.map((s) => s.className)).toEqual([
      'RandomBrightness',
      'RandomContrast',
      'RandomSaturation',
      'RandomHue',
    ]);
    const draws = jitter.steps.map((step) => captureDraws<number[]>(step));
    const x = tf.tidy(() => tf.randomUniform([n, 4, 4, 3], 40, 215, 'float32', 6)) as tf.Tensor4D;
    const y = jitter.apply(x, { training: true });
    const [brightness, contrast, saturation, hue] = draws.map((d) => {
      expect(d.length).toBe(1);
      return d[0] as number[];
    }) as [number[], number[], number[], number[]];

    // brightness: an offset of U(-0.2, 0.3) value ranges
    expectUniform(brightness, -0.2, 0.3, 'brightness');
    // contrast: factor f means [1 - 0.3, 1 + 0.5]
    expectUniform(contrast, 0.7, 1.5, 'contrast');
    // saturation: s ~ U(0.3, 0.7), applied as the scale s / (1 - s)
    expectUniform(
      saturation.map((k) => k / (1 + k)),
      0.3,
      0.7,
      'saturation',
    );
    // hue: a shift of +-U(0.1, 0.4) / 2 turns (Keras 3's sign coin)
    expectUniform(
      hue.map((v) => Math.abs(2 * v)),
      0.1,
      0.4,
      'hue',
    );
    expect(Math.abs(hue.filter((v) => v < 0).length / n - 0.5)).toBeLessThan(0.1);
    // four streams, not one draw reused
    expectUncorrelated([brightness, contrast, saturation, hue.map(Math.abs)], 'sub-layer draws');

    // the sub-layers applied by hand on [0, 255] with the same draws, in the documented order
    const byHand = (order: number[]) => {
      const layers = [
        new RandomBrightness({ factor: 0.5 }),
        new RandomContrast({ factor: 0.5 }),
        new RandomSaturation({ factor: 0.5 }),
        new RandomHue({ factor: 0.5 }),
      ];
      const params = [brightness, contrast, saturation, hue];
      let image: tf.Tensor = tf.clone(x);
      for (const k of order) {
        const layer = layers[k] as BaseImageAugmentationLayer;
        forceDraws(layer, params[k]);
        const next = layer.apply(image, { training: true }) as tf.Tensor;
        image.dispose();
        image = next;
      }
      for (const layer of layers) layer.dispose();
      return image;
    };
    const reference = byHand([0, 1, 2, 3]);
    const maxDiff = (a: tf.Tensor) =>
      tf.tidy(() => tf.max(tf.abs(tf.sub(a, y))).dataSync()[0] as number);
    expect(maxDiff(reference)).toBeLessThan(2e-3);
    // the check can tell the order apart: hue and saturation first give other images
    const reversed = byHand([3, 2, 1, 0]);
    expect(maxDiff(reversed)).toBeGreaterThan(1);
    tf.dispose([x, y, reference, reversed]);
    jitter.dispose();
  });
});
