import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AugMix } from './augmentation/aug-mix.js';
import { CutMix } from './augmentation/cut-mix.js';
import { Mosaic } from './augmentation/mosaic.js';
import { RandAugment } from './augmentation/rand-augment.js';
import type { BaseImageAugmentationLayer } from './base-image-augmentation-layer.js';
import { RandomBrightness } from './color/random-brightness.js';
import { captureDraws, disposeAll, type Sampler } from './test-helpers.js';

/**
 * The random draws of the batch-mixing and multi-operation layers (RandAugment, CutMix, Mosaic,
 * AugMix), checked over many draws. The draws are captured from the layer and tied exactly to the
 * output (what was drawn is what was applied); their distributions are then checked with bounds of
 * 5 standard deviations of the statistic (or a KS test at p ~ 1e-6). Everything is seeded, so a
 * run is deterministic: a bound that holds holds every time, and 5 sigma keeps a change of seed safe.
 */

beforeAll(async () => {
  await backend.ready();
});

interface OpCall {
  op: number;
  input: Float32Array;
  output: Float32Array;
}

/** Records every call of the pool's operations, in order, with the images in and out. */
function recordOperations(ops: BaseImageAugmentationLayer[]): OpCall[] {
  const calls: OpCall[] = [];
  ops.forEach((layer, op) => {
    const original = layer.augment.bind(layer);
    layer.augment = (inputs, args) => {
      const out = original(inputs, args);
      calls.push({
        op,
        input: inputs.images.dataSync() as Float32Array,
        output: out.images.dataSync() as Float32Array,
      });
      return out;
    };
  });
  return calls;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const variance = (v: number[]) => {
  const m = mean(v);
  return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
};

/** |observed - expected| within 5 standard deviations of the statistic. */
function expectWithin5Sigma(observed: number, expected: number, sd: number, what: string): void {
  expect(
    Math.abs(observed - expected),
    `${what}: ${observed} vs ${expected} (sd ${sd})`,
  ).toBeLessThan(5 * sd);
}

/** Category counts against probabilities, each a binomial within 5 sigma. */
function expectFrequencies(counts: number[], probabilities: number[], what: string): void {
  const n = counts.reduce((a, b) => a + b, 0);
  counts.forEach((c, k) => {
    const p = probabilities[k] as number;
    expectWithin5Sigma(c, n * p, Math.sqrt(n * p * (1 - p)), `${what}[${k}]`);
  });
}

/** Two-sample Kolmogorov-Smirnov distance. */
function ksDistance(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i] as number, y[j] as number);
    while (i < x.length && (x[i] as number) <= v) i++;
    while (j < y.length && (y[j] as number) <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** KS critical distance at p ~ 1e-6: c = sqrt(-ln(p / 2) / 2) = 2.69. */
const ksCritical = (n: number, m: number) => 2.69 * Math.sqrt((n + m) / (n * m));

/** mulberry32: an independent uniform stream for the reference samples. */
function referenceStream(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('RandAugment', () => {
  it('applies exactly the drawn operations; per image Binomial(augmentationsPerImage, rate) of them, uniform over the pool', () => {
    const layer = new RandAugment({ augmentationsPerImage: 3, rate: 0.6, seed: 21 });
    const draws = captureDraws<number[][]>(layer);
    const calls = recordOperations(layer.operations);
    const images = tf.tidy(() => tf.round(tf.randomUniform([150, 4, 4, 3], 0, 255, 'float32', 2)));
    const before = tf.memory().numTensors;
    for (let r = 0; r < 4; r++) disposeAll(layer.apply({ images }, { training: true }));
    expect(tf.memory().numTensors).toBe(before);

    const choices = draws.flat();
    expect(choices.length).toBe(600);
    // what ran is what was drawn, image after image, in order
    expect(calls.map((c) => c.op)).toEqual(choices.flat().filter((op) => op >= 0));
    const pool = layer.operations.length;
    expect(pool).toBe(12);
    for (const slots of choices) {
      expect(slots.length).toBe(3);
      for (const op of slots) expect(Number.isInteger(op) && op >= -1 && op < pool).toBe(true);
    }
    // operations per image: Binomial(3, 0.6) = [0.064, 0.288, 0.432, 0.216]
    const perImage = [0, 0, 0, 0];
    for (const slots of choices) {
      const applied = slots.filter((op) => op >= 0).length;
      perImage[applied] = (perImage[applied] as number) + 1;
    }
    expectFrequencies(perImage, [0.064, 0.288, 0.432, 0.216], 'operations per image');
    // which operation: uniform over the 12
    const perOp = new Array(pool).fill(0);
    for (const c of calls) perOp[c.op]++;
    expectFrequencies(perOp, new Array(pool).fill(1 / pool), 'operation');
    images.dispose();
    layer.dispose();
  });

  it('magnitude sets the strength: brightness offsets uniform over +-0.5 * min(1, magnitude + stddev) * 255', () => {
    for (const magnitude of [0.2, 0.8]) {
      const layer = new RandAugment({
        augmentationsPerImage: 1,
        rate: 1,
        magnitude,
        magnitudeStddev: 0.1,
        geometric: false,
        seed: 5,
      });
      const brightness = layer.operations.findIndex((op) => op instanceof RandomBrightness);
      expect(brightness).toBeGreaterThanOrEqual(0);
      const calls = recordOperations(layer.operations);
      // pixels in [120, 135]: no offset within +-115 clips
      const images = tf.tidy(() => tf.randomUniform([700, 2, 2, 3], 120, 135, 'float32', 3));
      disposeAll(layer.apply({ images }, { training: true }));
      const deltas = calls
        .filter((c) => c.op === brightness)
        .map((c) => {
          const d = (c.output[0] as number) - (c.input[0] as number);
          // one offset for the whole image
          for (let k = 0; k < c.input.length; k++)
            expect((c.output[k] as number) - (c.input[k] as number)).toBeCloseTo(d, 3);
          return d;
        });
      // 700 images, 7 colour operations: ~100 brightness calls
      expect(deltas.length).toBeGreaterThan(60);
      const bound = 0.5 * Math.min(1, magnitude + 0.1) * 255;
      const n = deltas.length;
      expect(Math.max(...deltas.map(Math.abs))).toBeLessThanOrEqual(bound + 1e-3);
      // both ends reached: P(no draw in the top 15%) = 0.85^n < 1e-7
      expect(Math.max(...deltas)).toBeGreaterThan(0.7 * bound);
      expect(Math.min(...deltas)).toBeLessThan(-0.7 * bound);
      // uniform on [-b, b]: mean 0 (sd b / sqrt(3n)), variance b^2 / 3
      expectWithin5Sigma(
        mean(deltas),
        0,
        bound / Math.sqrt(3 * n),
        `mean offset, magnitude ${magnitude}`,
      );
      // sample variance of a uniform: relative sd sqrt(0.8 / n)
      expectWithin5Sigma(
        variance(deltas) / (bound ** 2 / 3),
        1,
        Math.sqrt(0.8 / n),
        `offset variance, magnitude ${magnitude}`,
      );
      images.dispose();
      layer.dispose();
    }
  });
});

describe('CutMix', () => {
  const H = 16;
  const W = 16;

  /** The documented draw, from an independent stream: lambda ~ Beta(alpha, alpha), patch side sqrt(1 - lambda), clipped. */
  function referenceAreas(sampleLambda: (u: () => number) => number, n: number): number[] {
    const u = referenceStream(99);
    return Array.from({ length: n }, () => {
      const cut = Math.sqrt(1 - sampleLambda(u));
      const h = Math.round(H * cut);
      const w = Math.round(W * cut);
      const cy = Math.floor(u() * H);
      const cx = Math.floor(u() * W);
      const clampH = (v: number) => Math.max(0, Math.min(H, v));
      const clampW = (v: number) => Math.max(0, Math.min(W, v));
      const rows = clampH(cy + Math.ceil(h / 2)) - clampH(cy - Math.floor(h / 2));
      const cols = clampW(cx + Math.ceil(w / 2)) - clampW(cx - Math.floor(w / 2));
      return (rows * cols) / (H * W);
    });
  }
  // Beta(0.5, 0.5) is the arcsine law sin^2(pi U / 2); Beta(4, 4) the 4th smallest of 7 uniforms
  const arcsine = (u: () => number) => Math.sin((Math.PI * u()) / 2) ** 2;
  const orderStatistic = (u: () => number) =>
    Array.from({ length: 7 }, u).sort((a, b) => a - b)[3] as number;

  it('labels are mixed by exactly the pasted area, per sample; the patch is one partner rectangle', () => {
    const n = 400;
    const layer = new CutMix({ alpha: 1, seed: 13 });
    const draws = captureDraws<{ partners: number[]; patches: number[][] }>(layer);
    // image i is the constant i + 1; label one-hot i
    const images = tf.tidy(() =>
      tf.mul(tf.reshape(tf.range(1, n + 1, 1, 'float32'), [n, 1, 1, 1]), tf.ones([n, H, W, 1])),
    );
    const labels = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    const before = tf.memory().numTensors;
    const out = layer.apply({ images, labels }, { training: true });
    const pixels = out.images.dataSync();
    const y = (out.labels as tf.Tensor).dataSync();
    disposeAll(out);
    expect(tf.memory().numTensors).toBe(before);
    const { partners, patches } = draws[0] as { partners: number[]; patches: number[][] };
    let checked = 0;
    for (let i = 0; i < n; i++) {
      const partner = partners[i] as number;
      const [top, left, ph, pw] = patches[i] as [number, number, number, number];
      const own = y[i * n + i] as number;
      if (partner === i) {
        expect(own).toBeCloseTo(1, 6);
        continue;
      }
      let pasted = 0;
      let wrong = 0;
      for (let r = 0; r < H; r++)
        for (let c = 0; c < W; c++) {
          const v = pixels[(i * H + r) * W + c] as number;
          const inside = r >= top && r < top + ph && c >= left && c < left + pw;
          // inside the drawn rectangle the partner's pixels, outside the image's own
          if (v !== (inside ? partner + 1 : i + 1)) wrong++;
          if (inside) pasted++;
        }
      expect(wrong, `image ${i}`).toBe(0);
      expect(own).toBeCloseTo(1 - pasted / (H * W), 6);
      expect(y[i * n + partner] as number).toBeCloseTo(pasted / (H * W), 6);
      const rowSum = Array.from(y.subarray(i * n, (i + 1) * n)).reduce((a, b) => a + b, 0);
      expect(rowSum).toBeCloseTo(1, 5);
      checked++;
    }
    expect(checked).toBeGreaterThan(n - 10);
    tf.dispose([images, labels]);
    layer.dispose();
  });

  it('pasted-area distribution follows lambda ~ Beta(alpha, alpha) (KS against independent Beta(0.5) and Beta(4) samples)', () => {
    const n = 1000;
    const areasFor = (alpha: number) => {
      const layer = new CutMix({ alpha, seed: 31 });
      const draws = captureDraws<{ patches: number[][] }>(layer);
      const images = tf.zeros([n, H, W, 1]);
      disposeAll(layer.apply({ images }, { training: true }));
      images.dispose();
      layer.dispose();
      return (draws[0] as { patches: number[][] }).patches.map(
        ([, , h, w]) => ((h as number) * (w as number)) / (H * W),
      );
    };
    const m = 20000;
    const refHalf = referenceAreas(arcsine, m);
    const refFour = referenceAreas(orderStatistic, m);
    const half = areasFor(0.5);
    const four = areasFor(4);
    const critical = ksCritical(n, m);
    expect(ksDistance(half, refHalf)).toBeLessThan(critical);
    expect(ksDistance(four, refFour)).toBeLessThan(critical);
    // and the test tells the two apart
    expect(ksDistance(half, refFour)).toBeGreaterThan(2 * critical);
    expect(ksDistance(four, refHalf)).toBeGreaterThan(2 * critical);
  });
});

describe('Mosaic', () => {
  it('four quadrants from the drawn sources with their boxes; per quadrant a uniform permutation; centre uniform over offset', () => {
    const B = 8;
    const S = 32;
    const layer = new Mosaic({ seed: 17 });
    // pixel (y, x) of image i is i * 1024 + y * 32 + x: a pixel names its source and its place
    const images = tf.tidy(() =>
      tf.add(
        tf.mul(tf.reshape(tf.range(0, B, 1, 'float32'), [B, 1, 1, 1]), 1024),
        tf.reshape(tf.range(0, S * S, 1, 'float32'), [1, S, S, 1]),
      ),
    );
    // each image: a box over the whole image and a small one near the top-left corner, both label i
    const boxes = tf.tidy(() =>
      tf.tile(
        tf.tensor3d([
          [
            [0, 0, S, S],
            [2, 2, 6, 6],
          ],
        ]),
        [B, 1, 1],
      ),
    );
    const labels = tf.tidy(() => tf.tile(tf.reshape(tf.range(0, B, 1, 'float32'), [B, 1]), [1, 2]));
    const centres: number[] = [];
    const fixedPoints: number[] = [];
    const coincidences: number[] = [];
    const before = tf.memory().numTensors;
    for (let call = 0; call < 100; call++) {
      const out = layer.apply({ images, boxes, labels }, { training: true });
      const px = out.images.dataSync();
      const bx = (out.boxes as tf.Tensor).arraySync() as number[][][];
      const lb = (out.labels as tf.Tensor).arraySync() as number[][];
      disposeAll(out);
      const sources: number[][] = [[], [], [], []];
      for (let b = 0; b < B; b++) {
        const [cx, cy] = [bx[b]?.[0]?.[2] as number, bx[b]?.[0]?.[3] as number];
        centres.push(cx, cy);
        const regions = [
          [0, 0, cx, cy],
          [cx, 0, S, cy],
          [0, cy, cx, S],
          [cx, cy, S, S],
        ];
        for (let q = 0; q < 4; q++) {
          const region = regions[q] as number[];
          // the whole-image box of quadrant q's source, clipped to the quadrant
          expect(bx[b]?.[2 * q]).toEqual(region);
          const source = lb[b]?.[2 * q] as number;
          sources[q]?.push(source);
          if (q === 0) expect(source).toBe(b);
          // every pixel of the quadrant is its source's pixel at the same place
          const [x1, y1, x2, y2] = region as [number, number, number, number];
          let wrong = 0;
          for (let y = y1; y < y2; y++)
            for (let x = x1; x < x2; x++)
              if (px[(b * S + y) * S + x] !== source * 1024 + y * S + x) wrong++;
          expect(wrong, `output ${b} quadrant ${q}`).toBe(0);
          // the small box lies in the top-left quadrant (centre >= 8): kept there, dropped elsewhere
          expect(bx[b]?.[2 * q + 1]).toEqual(q === 0 ? [2, 2, 6, 6] : [-1, -1, -1, -1]);
          expect(lb[b]?.[2 * q + 1]).toBe(q === 0 ? b : -1);
        }
      }
      for (let q = 1; q < 4; q++) {
        const s = sources[q] as number[];
        expect([...s].sort((a, c) => a - c)).toEqual([...Array(B).keys()]);
        fixedPoints.push(s.filter((v, b) => v === b).length);
        for (let r = q + 1; r < 4; r++)
          coincidences.push(s.filter((v, b) => v === (sources[r] as number[])[b]).length);
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    // uniform random permutations: fixed points and agreements of two independent ones have mean 1, variance 1
    expectWithin5Sigma(mean(fixedPoints), 1, 1 / Math.sqrt(fixedPoints.length), 'fixed points');
    expectWithin5Sigma(mean(coincidences), 1, 1 / Math.sqrt(coincidences.length), 'coincidences');
    // centre: round(U(0.25, 0.75) * 32), integers 8..24, mean 16, variance 16^2 / 12 + 1 / 12
    expect(Math.min(...centres)).toBe(8);
    expect(Math.max(...centres)).toBe(24);
    expect(centres.every(Number.isInteger)).toBe(true);
    const sd = Math.sqrt(256 / 12 + 1 / 12);
    expectWithin5Sigma(mean(centres), 16, sd / Math.sqrt(centres.length), 'centre mean');
    expectWithin5Sigma(
      variance(centres) / sd ** 2,
      1,
      Math.sqrt(0.8 / centres.length),
      'centre variance',
    );
    tf.dispose([images, boxes, labels]);
    layer.dispose();
  });
});

describe('AugMix', () => {
  interface MixDraw {
    chains: number[][][];
    weights: number[][];
    skip: number[];
  }

  it('outputs skip * x + (1 - skip) * sum of weight * chain output, with the drawn chains', () => {
    const layer = new AugMix({ seed: 3 });
    const draws = captureDraws<MixDraw>(layer);
    const calls = recordOperations(layer.operations);
    const n = 30;
    const images = tf.tidy(() => tf.round(tf.randomUniform([n, 4, 4, 3], 0, 255, 'float32', 8)));
    const x = images.dataSync();
    const before = tf.memory().numTensors;
    const out = layer.apply({ images }, { training: true });
    const y = out.images.dataSync();
    disposeAll(out);
    expect(tf.memory().numTensors).toBe(before);
    const draw = draws[0] as MixDraw;
    expect(calls.map((c) => c.op)).toEqual(draw.chains.flat(2));
    let k = 0;
    const size = 4 * 4 * 3;
    for (let b = 0; b < n; b++) {
      const mix = new Float64Array(size);
      (draw.chains[b] as number[][]).forEach((chain, c) => {
        const first = calls[k] as OpCall;
        // each chain starts from the original image
        expect(Array.from(first.input)).toEqual(Array.from(x.subarray(b * size, (b + 1) * size)));
        k += chain.length;
        const last = (calls[k - 1] as OpCall).output;
        const w = (draw.weights[b] as number[])[c] as number;
        for (let i = 0; i < size; i++) mix[i] = (mix[i] as number) + w * (last[i] as number);
      });
      const m = draw.skip[b] as number;
      for (let i = 0; i < size; i++)
        expect(y[b * size + i] as number).toBeCloseTo(
          m * (x[b * size + i] as number) + (1 - m) * (mix[i] as number),
          2,
        );
    }
    images.dispose();
    layer.dispose();
  });

  it('draws Dirichlet(alpha) chain weights, a Beta(alpha, alpha) skip weight, uniform depths and operations', () => {
    const n = 2000;
    const k = 3;
    for (const alpha of [1, 10]) {
      const layer = new AugMix({ alpha, numChains: k, chainDepth: [1, 3], seed: 41 });
      const draw = (layer as unknown as Sampler<MixDraw>).sampleParameters(n, 4, 4);
      for (const w of draw.weights) {
        expect(w.length).toBe(k);
        expect(w.every((v) => v >= 0)).toBe(true);
        expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }
      expect(draw.skip.every((v) => v >= 0 && v <= 1)).toBe(true);
      // a Dirichlet(alpha, k) weight is Beta(alpha, (k - 1) alpha): mean 1/k, variance (1/k)(1 - 1/k) / (k alpha + 1)
      const wVar = ((1 / k) * (1 - 1 / k)) / (k * alpha + 1);
      for (let c = 0; c < k; c++) {
        const w = draw.weights.map((row) => row[c] as number);
        expectWithin5Sigma(mean(w), 1 / k, Math.sqrt(wVar / n), `alpha ${alpha} weight ${c} mean`);
        // relative sd of a sample variance: sqrt((kurtosis - 1) / n) <= sqrt(2 / n) (these Beta laws have kurtosis <= 3)
        expectWithin5Sigma(
          variance(w) / wVar,
          1,
          Math.sqrt(2 / n),
          `alpha ${alpha} weight ${c} variance`,
        );
      }
      // skip ~ Beta(alpha, alpha): mean 1/2, variance 1 / (4 (2 alpha + 1))
      const sVar = 1 / (4 * (2 * alpha + 1));
      expectWithin5Sigma(mean(draw.skip), 0.5, Math.sqrt(sVar / n), `alpha ${alpha} skip mean`);
      expectWithin5Sigma(
        variance(draw.skip) / sVar,
        1,
        Math.sqrt(2 / n),
        `alpha ${alpha} skip variance`,
      );
      // depths uniform over 1..3, operations uniform over the pool
      const depths = [0, 0, 0];
      const ops = new Array(layer.operations.length).fill(0);
      for (const chains of draw.chains) {
        expect(chains.length).toBe(k);
        for (const chain of chains) {
          depths[chain.length - 1] = (depths[chain.length - 1] as number) + 1;
          for (const op of chain) ops[op]++;
        }
      }
      expectFrequencies(depths, [1 / 3, 1 / 3, 1 / 3], `alpha ${alpha} depth`);
      expectFrequencies(
        ops,
        new Array(ops.length).fill(1 / ops.length),
        `alpha ${alpha} operation`,
      );
      layer.dispose();
    }
  });
});
