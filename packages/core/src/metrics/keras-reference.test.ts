/**
 * Metrics replayed against real Keras 3.15.1 (jax backend): every case in
 * test-fixtures/reference/keras-metrics/metrics.json (written by
 * scripts/reference/keras_metrics.py) is a Keras metric built with non-default arguments, fed
 * several batches (ragged sizes, `sample_weight` of several shapes, tied scores, scores on a
 * threshold, absent classes, scores outside [0, 1]) with `result()` recorded after every update,
 * after `reset_state()` and after one more update. Cornu rebuilds each metric from Keras's
 * serialized dict, must write the same dict back, and must reproduce every result.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import type { KerasObjectDict } from '../saving/registry.js';
import { get, serialize } from './get.js';
import * as metrics from './index.js';
import type { Metric } from './metric.js';

interface Recorded {
  shape: number[];
  data: (number | 'NaN' | 'Infinity' | '-Infinity')[];
}
interface Step {
  update?: { y_true?: Recorded; y_pred?: Recorded; values?: Recorded; sample_weight?: Recorded };
  reset?: true;
  result: Recorded;
}
interface RecordedCase {
  id: string;
  kind: 'pred' | 'values';
  dict: KerasObjectDict;
  steps: Step[];
}
interface Fixture {
  keras_version: string;
  backend: string;
  cases: RecordedCase[];
}

const fixture = JSON.parse(
  readFileSync(
    new URL('../../test-fixtures/reference/keras-metrics/metrics.json', import.meta.url),
    'utf8',
  ),
) as Fixture;

/** Keep in step with the script: a case that silently disappears must fail the test. */
const EXPECTED_CASES = 91;

/**
 * Every result must agree to 1e-5 (relative above 1), AUC and its PR interpolation included: Cornu
 * accumulates the same float32 counts and only sums the curve in float64, which moves results by
 * about 1e-7.
 */
const TOL = 1e-5;

const decode = (v: number | string): number =>
  v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : +v;

const tensor = (r: Recorded) => tf.tensor(r.data.map(decode), r.shape, 'float32');

function build(c: RecordedCase): Metric {
  return get(c.dict);
}

function expectClose(actual: tf.Tensor, expected: Recorded, tol: number, where: string): void {
  expect(actual.shape, `${where}: shape`).toEqual(expected.shape);
  const got = Array.from(actual.dataSync());
  const want = expected.data.map(decode);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (Number.isNaN(w)) {
      expect(g, `${where}[${i}]`).toBeNaN();
    } else {
      const err = Math.abs(g - w);
      expect(err, `${where}[${i}]: got ${g}, Keras ${w}`).toBeLessThanOrEqual(
        tol * Math.max(1, Math.abs(w)),
      );
    }
  });
}

beforeAll(async () => {
  await ready();
});

describe('metrics against Keras 3.15.1', () => {
  it('reads the fixture the script wrote', () => {
    expect(fixture.keras_version).toBe('3.15.1');
    expect(fixture.backend).toBe('jax');
    expect(fixture.cases).toHaveLength(EXPECTED_CASES);
    expect(new Set(fixture.cases.map((c) => c.id)).size).toBe(EXPECTED_CASES);
  });

  it('covers every metric class Cornu exports', () => {
    const exported = Object.entries(metrics)
      .filter(([, v]) => typeof v === 'function' && v.prototype instanceof metrics.Metric)
      .map(([name]) => name)
      .sort();
    const covered = new Set(fixture.cases.map((c) => c.dict.class_name));
    expect(exported.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('writes no fn for a wrapper around a JavaScript function (it has no Keras name)', () => {
    // Deliberate difference: Keras serializes any Python function by name; a JavaScript closure
    // cannot be written, so only the wrapper's own keys are. Named functions round-trip (above).
    const keras = fixture.cases.find((c) => c.id === 'mean_metric_wrapper_mae')!.dict;
    const closure = new metrics.MeanMetricWrapper({ fn: metrics.meanAbsoluteError, name: 'l1' });
    const { fn, ...rest } = keras.config;
    expect(fn).toEqual({
      module: 'builtins',
      class_name: 'function',
      config: 'mean_absolute_error',
      registered_name: 'function',
    });
    expect(closure.getConfig()).toStrictEqual(rest);
    const named = new metrics.MeanMetricWrapper({ fn: 'mean_absolute_error', name: 'l1' });
    expect(named.getConfig()).toStrictEqual(keras.config);
    closure.dispose();
    named.dispose();
  });

  for (const c of fixture.cases) {
    describe(`${c.id} (${c.dict.class_name})`, () => {
      it("writes Keras's serialized dict back", () => {
        const metric = build(c);
        try {
          expect(serialize(metric)).toStrictEqual(c.dict);
        } finally {
          metric.dispose();
        }
      });

      it("reproduces Keras's results, with no tensor leaks", () => {
        const before = tf.memory().numTensors;
        const metric = build(c);
        let flat: number | undefined;
        c.steps.forEach((step, i) => {
          if (step.reset) {
            metric.resetState();
          } else {
            const u = step.update!;
            const inputs = (c.kind === 'values' ? [u.values!] : [u.y_true!, u.y_pred!]).map(tensor);
            const weight = u.sample_weight ? tensor(u.sample_weight) : undefined;
            if (c.kind === 'values') metric.updateState(inputs[0]!, weight);
            else metric.updateState(inputs[0]!, inputs[1]!, weight);
            tf.dispose([...inputs, ...(weight ? [weight] : [])]);
          }
          const result = metric.result();
          expectClose(result, step.result, TOL, `step ${i}${step.reset ? ' (after reset)' : ''}`);
          result.dispose();
          // State variables may be created on the first update; from then on nothing may leak.
          flat ??= tf.memory().numTensors;
          expect(tf.memory().numTensors, `tensors after step ${i}`).toBe(flat);
        });
        metric.dispose();
        expect(tf.memory().numTensors, 'tensors after dispose').toBe(before);
      });
    });
  }
});
