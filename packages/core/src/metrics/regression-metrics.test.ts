import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import type { Metric } from './metric.js';
import { Mean, MeanMetricWrapper, Sum } from './reduction-metrics.js';
import {
  MeanAbsoluteError,
  MeanSquaredError,
  R2Score,
  RootMeanSquaredError,
} from './regression-metrics.js';
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

describe('reduction and regression metrics', () => {
  it('Mean and Sum with weights (hand values: 4, weighted 2, sum 17)', () => {
    const mean = new Mean();
    mean.updateState([1, 3, 5, 7]);
    expect(values(mean)[0]).toBeCloseTo(4, 6);
    mean.resetState();
    mean.updateState([1, 3, 5, 7], [1, 1, 0, 0]);
    expect(values(mean)[0]).toBeCloseTo(2, 6);
    const sum = new Sum();
    sum.updateState([1, 3, 5, 7]);
    sum.updateState([2], [0.5]);
    expect(values(sum)[0]).toBeCloseTo(17, 6);
    expect(mean.variables.map((v) => v.trainable)).toEqual([false, false]);
    expect(mean.variables.map((v) => v.path)).toEqual(['mean/total', 'mean/count']);
    mean.dispose();
    sum.dispose();
  });

  it('MSE / MAE / RMSE accumulate over batches like one pass over all data', () => {
    const { features } = iris();
    // Predict petal width from petal length with a fixed line.
    const yTrue = features.map((f) => [f[3]!]);
    const yPred = features.map((f) => [0.416 * f[2]! - 0.366]);
    let se = 0;
    let ae = 0;
    yTrue.forEach(([t], i) => {
      se += (t! - yPred[i]![0]!) ** 2;
      ae += Math.abs(t! - yPred[i]![0]!);
    });
    const mse = new MeanSquaredError();
    const mae = new MeanAbsoluteError();
    const rmse = new RootMeanSquaredError();
    for (let s = 0; s < 150; s += 40) {
      for (const m of [mse, mae, rmse])
        m.updateState(yTrue.slice(s, s + 40), yPred.slice(s, s + 40));
    }
    expect(values(mse)[0]).toBeCloseTo(se / 150, 5);
    expect(values(mae)[0]).toBeCloseTo(ae / 150, 5);
    expect(values(rmse)[0]).toBeCloseTo(Math.sqrt(se / 150), 5);
    for (const m of [mse, mae, rmse]) m.dispose();
  });

  it('R2Score equals 1 - SS_res / SS_tot on iris (single and two outputs, variance weighted)', () => {
    const { features } = iris();
    const t1 = features.map((f) => f[3]!);
    const p1 = features.map((f) => 0.416 * f[2]! - 0.366);
    const t2 = features.map((f) => f[0]!);
    const p2 = features.map((f) => 4.3 + 0.41 * f[2]!);
    const r2 = (t: number[], p: number[]) => {
      const mean = t.reduce((a, b) => a + b, 0) / t.length;
      const res = t.reduce((s, v, i) => s + (v - p[i]!) ** 2, 0);
      const tot = t.reduce((s, v) => s + (v - mean) ** 2, 0);
      return [1 - res / tot, tot] as const;
    };
    const [a, totA] = r2(t1, p1);
    const [b, totB] = r2(t2, p2);
    const single = new R2Score();
    single.updateState(t1.slice(0, 70), p1.slice(0, 70));
    single.updateState(t1.slice(70), p1.slice(70));
    expect(values(single)[0]).toBeCloseTo(a, 4);
    const both = (
      agg: 'uniform_average' | 'variance_weighted_average' | 'variance_weighted' | null,
    ) => {
      const m = new R2Score({ classAggregation: agg });
      m.updateState(
        t1.map((v, i) => [v, t2[i]!]),
        p1.map((v, i) => [v, p2[i]!]),
      );
      const out = values(m);
      m.dispose();
      return out;
    };
    expect(both('uniform_average')[0]).toBeCloseTo((a + b) / 2, 4);
    expect(both('variance_weighted_average')[0]).toBeCloseTo(
      (a * totA + b * totB) / (totA + totB),
      4,
    );
    // Cornu's earlier spelling still reads, as Keras's name.
    expect(both('variance_weighted')).toEqual(both('variance_weighted_average'));
    expect(new R2Score({ classAggregation: 'variance_weighted' }).classAggregation).toBe(
      'variance_weighted_average',
    );
    const perOutput = both(null);
    expect(perOutput[0]).toBeCloseTo(a, 4);
    expect(perOutput[1]).toBeCloseTo(b, 4);
    const adjusted = new R2Score({ numRegressors: 2 });
    adjusted.updateState(t1, p1);
    expect(values(adjusted)[0]).toBeCloseTo(1 - ((1 - a) * 149) / 147, 4);
    single.dispose();
    adjusted.dispose();
  });

  it('MeanMetricWrapper turns a per-sample function into a metric and leaks nothing', () => {
    const m = new MeanMetricWrapper({ fn: (t, p) => tf.abs(tf.sub(t, p)), name: 'l1' });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) m.updateState([1, 2], [2, 4]);
    expect(tf.memory().numTensors).toBe(before);
    expect(values(m)[0]).toBeCloseTo(1.5, 6);
    expect(() => m.updateState([1])).toThrow(
      /MeanMetricWrapper 'l1': updateState needs yTrue and yPred/,
    );
    m.dispose();
  });
});
