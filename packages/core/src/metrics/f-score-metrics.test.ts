import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { F1Score, FBetaScore } from './f-score-metrics.js';
import { IoU, MeanIoU, OneHotMeanIoU } from './iou-metrics.js';
import type { Metric } from './metric.js';
import { iris } from './test-data.test-helper.js';

beforeAll(async () => {
  await ready();
});

const values = (m: Metric) => {
  const r = m.result();
  const v = Array.from(r.dataSync());
  r.dispose();
  return v;
};

const { labels, predicted } = iris();
const oneHot = (c: number) => [0, 1, 2].map((k) => (k === c ? 1 : 0));
const scores = predicted.map((p) => [0, 1, 2].map((k) => (k === p ? 0.7 : 0.15)));

/** Per-class tp/fp/fn in plain JavaScript. */
const perClass = [0, 1, 2].map((c) => {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  labels.forEach((l, i) => {
    const p = predicted[i]!;
    if (p === c && l === c) tp++;
    else if (p === c) fp++;
    else if (l === c) fn++;
  });
  return { tp, fp, fn, support: labels.filter((l) => l === c).length };
});
const fbeta = (tp: number, fp: number, fn: number, beta: number) => {
  const p = tp / (tp + fp);
  const r = tp / (tp + fn);
  return ((1 + beta * beta) * p * r) / (beta * beta * p + r);
};

describe('F1Score / FBetaScore on iris', () => {
  it('per class, macro, weighted and micro equal the formulas on hand counts', () => {
    const f1 = perClass.map((c) => fbeta(c.tp, c.fp, c.fn, 1));
    const make = (average: 'micro' | 'macro' | 'weighted' | null) => {
      const m = new F1Score({ average });
      m.updateState(labels.slice(0, 75).map(oneHot), scores.slice(0, 75));
      m.updateState(labels.slice(75).map(oneHot), scores.slice(75));
      const v = values(m);
      m.dispose();
      return v;
    };
    for (const [i, v] of make(null).entries()) expect(v).toBeCloseTo(f1[i]!, 5);
    expect(make('macro')[0]).toBeCloseTo(f1.reduce((a, b) => a + b, 0) / 3, 5);
    expect(make('weighted')[0]).toBeCloseTo(
      f1.reduce((s, v, i) => s + v * perClass[i]!.support, 0) / 150,
      5,
    );
    const tp = perClass.reduce((s, c) => s + c.tp, 0);
    const fp = perClass.reduce((s, c) => s + c.fp, 0);
    const fn = perClass.reduce((s, c) => s + c.fn, 0);
    expect(make('micro')[0]).toBeCloseTo(fbeta(tp, fp, fn, 1), 5);
  });

  it('beta = 2 and a threshold', () => {
    const m = new FBetaScore({ beta: 2, threshold: 0.5, average: 'macro' });
    m.updateState(labels.map(oneHot), scores);
    const want = perClass.map((c) => fbeta(c.tp, c.fp, c.fn, 2)).reduce((a, b) => a + b, 0) / 3;
    expect(values(m)[0]).toBeCloseTo(want, 5);
    expect(m.getConfig()).toEqual({
      name: 'fbeta_score',
      dtype: 'float32',
      average: 'macro',
      beta: 2,
      threshold: 0.5,
    });
    expect(() => new FBetaScore({ beta: 0 })).toThrow(/beta must be > 0\. Received: beta=0/);
    m.dispose();
  });
});

describe('IoU metrics on iris', () => {
  const iou = perClass.map((c) => c.tp / (c.tp + c.fp + c.fn));

  it('MeanIoU from class ids and OneHotMeanIoU from one-hot labels and scores agree with hand IoUs', () => {
    const mean = new MeanIoU({ numClasses: 3 });
    mean.updateState(labels, predicted);
    expect(values(mean)[0]).toBeCloseTo((iou[0]! + iou[1]! + iou[2]!) / 3, 5);
    const oneHotMean = new OneHotMeanIoU({ numClasses: 3 });
    oneHotMean.updateState(labels.map(oneHot), scores);
    expect(values(oneHotMean)[0]).toBeCloseTo((iou[0]! + iou[1]! + iou[2]!) / 3, 5);
    const some = new IoU({ numClasses: 3, targetClassIds: [1, 2] });
    some.updateState(labels, predicted);
    expect(values(some)[0]).toBeCloseTo((iou[1]! + iou[2]!) / 2, 5);
    for (const m of [mean, oneHotMean, some]) m.dispose();
  });

  it('Keras docstring: weighted MeanIoU and ignoreClass', () => {
    // The docstring's value needs float weights; Keras 3's default int32 dtype truncates 0.3 to 0.
    const m = new MeanIoU({ numClasses: 2, dtype: 'float32' });
    m.updateState([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1]);
    expect(values(m)[0]).toBeCloseTo(0.2380952, 5);
    const truncated = new MeanIoU({ numClasses: 2 });
    truncated.updateState([0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1]);
    expect(values(truncated)[0]).toBe(0);
    truncated.dispose();
    const ignored = new MeanIoU({ numClasses: 2, ignoreClass: 0 });
    ignored.updateState([0, 0, 1, 1], [0, 1, 0, 1]);
    // Only label-1 rows count: class 1 IoU = 1 / 2, class 0 IoU = 0 / 1.
    expect(values(ignored)[0]).toBeCloseTo(0.25, 5);
    expect(() => new IoU({ numClasses: 2, targetClassIds: [2] })).toThrow(
      /targetClassIds must be in \[0, 2\)\. Received: 2/,
    );
    m.dispose();
    ignored.dispose();
  });
});
