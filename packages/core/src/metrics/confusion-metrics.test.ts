import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { AUC } from './auc.js';
import {
  FalseNegatives,
  FalsePositives,
  Precision,
  Recall,
  TrueNegatives,
  TruePositives,
} from './confusion-metrics.js';
import type { Metric } from './metric.js';
import {
  PrecisionAtRecall,
  RecallAtPrecision,
  SensitivityAtSpecificity,
  SpecificityAtSensitivity,
} from './sensitivity-metrics.js';
import { breastCancer } from './test-data.test-helper.js';

beforeAll(async () => {
  await ready();
});

const values = (m: Metric) => {
  const r = m.result();
  const v = Array.from(r.dataSync());
  r.dispose();
  return v;
};

/** Counts in plain JavaScript: the independent reference. */
function counts(labels: number[], scores: number[], threshold: number) {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  labels.forEach((l, i) => {
    const pos = scores[i]! > threshold;
    if (pos && l) tp++;
    else if (pos) fp++;
    else if (l) fn++;
    else tn++;
  });
  return { tp, fp, tn, fn };
}

/** Exact ROC AUC: the probability a random positive outscores a random negative (ties count 1/2). */
function exactRocAuc(labels: number[], scores: number[]): number {
  const pos = scores.filter((_, i) => labels[i]);
  const neg = scores.filter((_, i) => !labels[i]);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

const { malignant, score } = breastCancer();

describe('confusion-matrix metrics on breast cancer', () => {
  it('TP/FP/TN/FN, Precision and Recall equal hand counts, over batches and several thresholds', () => {
    const thresholds = [0.3, 0.5, 0.7];
    const metrics = [TruePositives, FalsePositives, TrueNegatives, FalseNegatives].map(
      (C) => new C({ thresholds }),
    );
    const precision = new Precision({ thresholds: 0.5 });
    const recall = new Recall({ thresholds });
    const before = tf.memory().numTensors;
    for (let s = 0; s < malignant.length; s += 100) {
      const y = malignant.slice(s, s + 100);
      const p = score.slice(s, s + 100);
      for (const m of [...metrics, precision, recall]) m.updateState(y, p);
    }
    expect(tf.memory().numTensors).toBe(before);
    const ref = thresholds.map((t) => counts(malignant, score, t));
    expect(values(metrics[0]!)).toEqual(ref.map((r) => r.tp));
    expect(values(metrics[1]!)).toEqual(ref.map((r) => r.fp));
    expect(values(metrics[2]!)).toEqual(ref.map((r) => r.tn));
    expect(values(metrics[3]!)).toEqual(ref.map((r) => r.fn));
    const r5 = ref[1]!;
    expect(values(precision)[0]).toBeCloseTo(r5.tp / (r5.tp + r5.fp), 6);
    for (const [i, v] of values(recall).entries())
      expect(v).toBeCloseTo(ref[i]!.tp / (ref[i]!.tp + ref[i]!.fn), 6);
    for (const m of [...metrics, precision, recall]) m.dispose();
  });

  it('Precision with topK and classId (Keras docstring values)', () => {
    // All four scores tie: top_k keeps exactly the first two (labels 0, 0), as Keras 3.15.1 does.
    const top = new Precision({ topK: 2 });
    top.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expect(values(top)[0]).toBeCloseTo(0, 6);
    const top4 = new Precision({ topK: 4 });
    top4.updateState([0, 0, 1, 1], [1, 1, 1, 1]);
    expect(values(top4)[0]).toBeCloseTo(0.5, 6);
    top4.dispose();
    const cls = new Recall({ classId: 1 });
    cls.updateState(
      [
        [0, 1],
        [1, 0],
        [0, 1],
      ],
      [
        [0.2, 0.8],
        [0.6, 0.4],
        [0.7, 0.3],
      ],
    );
    expect(values(cls)[0]).toBeCloseTo(0.5, 6);
    top.dispose();
    cls.dispose();
  });

  it('rejects thresholds outside [0, 1]', () => {
    expect(() => new Precision({ thresholds: 1.5 })).toThrow(
      /Precision 'precision': thresholds must be in \[0, 1\]\. Received: thresholds=\[1\.5\]/,
    );
  });
});

describe('AUC', () => {
  it('Keras docstring example: 3 thresholds -> ROC 0.75; PR interpolation by hand 0.8207', () => {
    const roc = new AUC({ numThresholds: 3 });
    roc.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    expect(values(roc)[0]).toBeCloseTo(0.75, 6);
    // tp=[2,1,0] fp=[2,0,0] fn=[0,1,2]: (1/3)(1 + (2/3)ln 4)/2 + 1/2.
    const pr = new AUC({ numThresholds: 3, curve: 'PR' });
    pr.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
    expect(values(pr)[0]).toBeCloseTo((1 / 6) * (1 + (2 / 3) * Math.log(4)) + 0.5, 6);
    roc.dispose();
    pr.dispose();
  });

  it('ROC with thresholds at every distinct score equals the exact (Mann-Whitney) AUC', () => {
    const distinct = [...new Set(score)].sort((a, b) => a - b).map((s) => Math.max(0, s - 1e-9));
    const exact = exactRocAuc(malignant, score);
    const m = new AUC({ thresholds: distinct });
    for (let s = 0; s < malignant.length; s += 128)
      m.updateState(malignant.slice(s, s + 128), score.slice(s, s + 128));
    expect(values(m)[0]).toBeCloseTo(exact, 4);
    const grid = new AUC();
    grid.updateState(malignant, score);
    expect(Math.abs(values(grid)[0]! - exact)).toBeLessThan(0.005);
    expect(exact).toBeGreaterThan(0.9);
    m.dispose();
    grid.dispose();
  });

  it('PR minoring/majoring bracket the interpolated value; multiLabel averages per-label AUCs', () => {
    const methods = (['minoring', 'interpolation', 'majoring'] as const).map((summationMethod) => {
      const m = new AUC({ curve: 'PR', summationMethod });
      m.updateState(malignant, score);
      const v = values(m)[0]!;
      m.dispose();
      return v;
    });
    expect(methods[0]).toBeLessThanOrEqual(methods[1]! + 1e-6);
    expect(methods[1]).toBeLessThanOrEqual(methods[2]! + 1e-6);
    const flipped = score.map((s) => 1 - s);
    const multi = new AUC({ multiLabel: true, numThresholds: 50 });
    multi.updateState(
      malignant.map((l) => [l, 1 - l]),
      score.map((s, i) => [s, flipped[i]!]),
    );
    const single = new AUC({ numThresholds: 50 });
    single.updateState(malignant, score);
    expect(values(multi)[0]).toBeCloseTo(values(single)[0]!, 5);
    multi.dispose();
    single.dispose();
  });
});

describe('metrics at a constrained rate', () => {
  it('match a brute-force search over the same threshold grid', () => {
    const grid = [0 - 1e-7, ...Array.from({ length: 198 }, (_, i) => (i + 1) / 199), 1 + 1e-7];
    const rates = grid.map((t) => {
      const c = counts(malignant, score, t);
      const d = (a: number, b: number) => (b === 0 ? 0 : a / b);
      return { sens: d(c.tp, c.tp + c.fn), spec: d(c.tn, c.tn + c.fp), prec: d(c.tp, c.tp + c.fp) };
    });
    const best = (ok: (r: (typeof rates)[0]) => boolean, pick: (r: (typeof rates)[0]) => number) =>
      Math.max(...rates.filter(ok).map(pick));
    const cases: [Metric, number][] = [
      [
        new SensitivityAtSpecificity(0.95),
        best(
          (r) => r.spec >= 0.95,
          (r) => r.sens,
        ),
      ],
      [
        new SpecificityAtSensitivity(0.9),
        best(
          (r) => r.sens >= 0.9,
          (r) => r.spec,
        ),
      ],
      [
        new PrecisionAtRecall(0.8),
        best(
          (r) => r.sens >= 0.8,
          (r) => r.prec,
        ),
      ],
      [
        new RecallAtPrecision(0.97),
        best(
          (r) => r.prec >= 0.97,
          (r) => r.sens,
        ),
      ],
    ];
    for (const [m, want] of cases) {
      m.updateState(malignant, score);
      expect(values(m)[0], m.name).toBeCloseTo(want, 5);
      expect(want).toBeGreaterThan(0.5);
      m.dispose();
    }
    const again = SensitivityAtSpecificity.fromConfig(
      new SensitivityAtSpecificity(0.7, { numThresholds: 10 }).getConfig(),
    );
    expect(again.getConfig()).toMatchObject({
      specificity: 0.7,
      num_thresholds: 10,
      name: 'sensitivity_at_specificity',
    });
    expect(() => new RecallAtPrecision(2)).toThrow(
      /precision must be in \[0, 1\]\. Received: precision=2/,
    );
  });
});
