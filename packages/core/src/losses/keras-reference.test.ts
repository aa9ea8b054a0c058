import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend, tf } from '../index.js';
import * as losses from './index.js';
import type { Loss, LossConfig, LossFunction } from './loss.js';

/**
 * Differential test against real Keras 3: every case of
 * test-fixtures/reference/keras-losses/losses.json (written by
 * scripts/reference/keras_losses.py with Keras 3.15.1 on jax) is run through the Cornu class built
 * from the same keyword arguments, called like Keras (`loss(yTrue, yPred, sampleWeight)`), and
 * through the function form; values, shapes and configs must agree.
 */

interface TensorJson {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: number[];
}
interface Case {
  id: string;
  class_name: string;
  kwargs: Record<string, unknown>;
  config: LossConfig;
  y_true: TensorJson;
  y_pred: TensorJson;
  sample_weight: TensorJson | null;
  output?: TensorJson;
  keras_error?: string;
  fn_output?: TensorJson;
  numpy_reference?: TensorJson;
}
const fixture = JSON.parse(
  readFileSync(
    new URL('../../test-fixtures/reference/keras-losses/losses.json', import.meta.url),
    'utf8',
  ),
) as { keras_version: string; backend: string; cases: Case[] };
const cases = fixture.cases;

type LossClass = new (args: Record<string, unknown>) => Loss;
const CLASSES: Record<string, LossClass> = {
  CategoricalCrossentropy: losses.CategoricalCrossentropy,
  SparseCategoricalCrossentropy: losses.SparseCategoricalCrossentropy,
  BinaryCrossentropy: losses.BinaryCrossentropy,
  BinaryFocalCrossentropy: losses.BinaryFocalCrossentropy,
  CategoricalFocalCrossentropy: losses.CategoricalFocalCrossentropy,
  KLDivergence: losses.KLDivergence,
  Poisson: losses.Poisson,
  MeanSquaredError: losses.MeanSquaredError,
  MeanAbsoluteError: losses.MeanAbsoluteError,
  MeanAbsolutePercentageError: losses.MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError: losses.MeanSquaredLogarithmicError,
  Huber: losses.Huber,
  LogCosh: losses.LogCosh,
  CosineSimilarity: losses.CosineSimilarity,
  Hinge: losses.Hinge,
  SquaredHinge: losses.SquaredHinge,
  CategoricalHinge: losses.CategoricalHinge,
  Dice: losses.Dice,
  Tversky: losses.Tversky,
  CTC: losses.CTC,
} as unknown as Record<string, LossClass>;

type Kw = Record<string, unknown>;
const num = (v: unknown) => v as number | undefined;
const bool = (v: unknown) => v as boolean | undefined;
const axes = (v: unknown) => v as number | number[] | null | undefined;
/** The function form of each loss, given the case's snake_case keyword arguments. */
const FUNCTIONS: Record<string, (kw: Kw) => LossFunction> = {
  CategoricalCrossentropy: (kw) => (t, p) =>
    losses.categoricalCrossentropy(t, p, {
      fromLogits: bool(kw.from_logits),
      labelSmoothing: num(kw.label_smoothing),
      axis: num(kw.axis),
    }),
  SparseCategoricalCrossentropy: (kw) => (t, p) =>
    losses.sparseCategoricalCrossentropy(t, p, {
      fromLogits: bool(kw.from_logits),
      ignoreClass: kw.ignore_class as number | null | undefined,
    }),
  BinaryCrossentropy: (kw) => (t, p) =>
    losses.binaryCrossentropy(t, p, {
      fromLogits: bool(kw.from_logits),
      labelSmoothing: num(kw.label_smoothing),
      axis: num(kw.axis),
    }),
  BinaryFocalCrossentropy: (kw) => (t, p) =>
    losses.binaryFocalCrossentropy(t, p, {
      applyClassBalancing: bool(kw.apply_class_balancing),
      alpha: num(kw.alpha),
      gamma: num(kw.gamma),
      fromLogits: bool(kw.from_logits),
      labelSmoothing: num(kw.label_smoothing),
      axis: num(kw.axis),
    }),
  CategoricalFocalCrossentropy: (kw) => (t, p) =>
    losses.categoricalFocalCrossentropy(t, p, {
      alpha: num(kw.alpha),
      gamma: num(kw.gamma),
      fromLogits: bool(kw.from_logits),
      labelSmoothing: num(kw.label_smoothing),
      axis: num(kw.axis),
    }),
  KLDivergence: () => losses.klDivergence,
  Poisson: () => losses.poisson,
  MeanSquaredError: () => losses.meanSquaredError,
  MeanAbsoluteError: () => losses.meanAbsoluteError,
  MeanAbsolutePercentageError: () => losses.meanAbsolutePercentageError,
  MeanSquaredLogarithmicError: () => losses.meanSquaredLogarithmicError,
  Huber: (kw) => (t, p) => losses.huber(t, p, num(kw.delta)),
  LogCosh: () => losses.logCosh,
  CosineSimilarity: (kw) => (t, p) => losses.cosineSimilarity(t, p, num(kw.axis)),
  Hinge: () => losses.hinge,
  SquaredHinge: () => losses.squaredHinge,
  CategoricalHinge: () => losses.categoricalHinge,
  Dice: (kw) => (t, p) => losses.dice(t, p, axes(kw.axis)),
  Tversky: (kw) => (t, p) => losses.tversky(t, p, num(kw.alpha), num(kw.beta), axes(kw.axis)),
  CTC: () => losses.ctc,
};

/**
 * Config keys Cornu writes and Keras 3.15.1's `get_config` drops (Huber and CosineSimilarity
 * return only `Loss.get_config`, so Keras itself loses `delta` and `axis` on a round trip).
 * Deliberate: Cornu keeps them so its configs round-trip, and Keras's constructors accept them,
 * so a Cornu config still loads in Keras.
 */
const CONFIG_EXTRAS: Record<string, Record<string, unknown>> = {
  Huber: { delta: 1.0 },
  CosineSimilarity: { axis: -1 },
};

/**
 * Cases where Cornu deliberately computes something else than Keras 3.15.1; each carries a
 * float64 numpy value of what Cornu computes (`numpy_reference`), and the test asserts Cornu
 * against it and that Keras's value differs (or that Keras refuses the inputs).
 * - Focal crossentropies from logits: Keras 3 takes sigmoid/softmax of the logits and a clipped
 *   log (capped at -log(1e-7) = 16.1, gradient 0 for a confidently wrong logit); Cornu takes the
 *   crossentropy from the logits. Identical while the probabilities lie in [1e-7, 1 - 1e-7].
 * - Per-sample weights [batch] against rank-2 per-sample losses [batch, time]: Keras applies
 *   numpy broadcasting (aligns the weights with the time axis: an error when batch != time and
 *   timestep j weighted by sw[j] when they are equal); Cornu aligns them with the batch axis
 *   (Keras 2's and tf.keras's reading of a per-sample weight).
 * - Tversky with alpha != beta: Keras 3.15.1 multiplies alpha into sum(yTrue * (1 - yPred)), the
 *   false negatives, contrary to its own docstring and the paper (keras-team/keras#23333 fixes it
 *   upstream after 3.15.1). Cornu follows the documented TP / (TP + alpha FP + beta FN); the test
 *   also checks that Cornu with alpha and beta swapped reproduces Keras 3.15.1 exactly.
 */
const DELIBERATE = new Set([
  'bfce_large_logits',
  'cfce_large_logits',
  'mse_rank3_per_sample_sw_batch_ne_time',
  'mse_rank3_per_sample_sw_batch_eq_time',
  'tversky_alpha_beta_axis_none',
  'tversky_axis_12_sum',
]);
/** The per-sample function form also differs (the weighting cases agree there). */
const DELIBERATE_FN = new Set([
  'bfce_large_logits',
  'cfce_large_logits',
  'tversky_alpha_beta_axis_none',
  'tversky_axis_12_sum',
]);
/**
 * CTC of a label that no path of the given length can emit: Keras's optax-style recursion
 * stands in -1e5 for log(0) and returns about 1e5; Cornu's uses -1e30 (TF's ctc_loss returns
 * inf). Deliberate: both mean "impossible", Cornu's cannot be mistaken for a real loss. The other
 * samples of the case match Keras.
 */
const INFEASIBLE_CTC: Record<string, number[]> = { ctc_infeasible_none: [0] };

/** Keras 3.15.1's Tversky arguments, as Cornu's: alpha and beta trade places. */
const swapTversky = (kw: Kw): Kw => ({ ...kw, alpha: kw.beta ?? 0.5, beta: kw.alpha ?? 0.5 });

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
function classArgs(kwargs: Kw): Kw {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camel(k), v]));
}
const tensor = (j: TensorJson) => tf.tensor(j.data, j.shape, j.dtype);

/** `v` against `w` to 1e-5 relative + 1e-6 absolute. */
const near = (v: number, w: number) => Math.abs(v - w) <= 1e-6 + 1e-5 * Math.abs(w);

/** Mismatches of `got` against `want`: the shape, then each element (see `near`). */
function mismatches(got: tf.Tensor, want: TensorJson, what: string, skip: number[] = []): string[] {
  if (!tf.util.arraysEqual(got.shape, want.shape)) {
    return [`${what}: shape [${got.shape}], reference [${want.shape}]`];
  }
  const out: string[] = [];
  Array.from(got.dataSync()).forEach((v, i) => {
    const w = want.data[i]!;
    if (!skip.includes(i) && !near(v, w)) out.push(`${what}[${i}]: Cornu ${v}, reference ${w}`);
  });
  return out;
}
function differs(got: tf.Tensor, want: TensorJson): boolean {
  const values = Array.from(got.dataSync());
  return values.some((v, i) => Math.abs(v - want.data[i]!) > 1e-3 + 1e-3 * Math.abs(want.data[i]!));
}

beforeAll(async () => {
  await backend.ready();
});

describe(`losses against Keras ${fixture.keras_version} (${fixture.backend}), scripts/reference/keras_losses.py`, () => {
  it('has every case, for every exported loss class', () => {
    // The generator writes 90 cases; a fixture that lost some fails here rather than passing.
    expect(cases.length).toBe(90);
    expect(fixture.keras_version).toBe('3.15.1');
    const perClass = new Map<string, number>();
    for (const c of cases) perClass.set(c.class_name, (perClass.get(c.class_name) ?? 0) + 1);
    expect([...perClass.keys()].sort()).toEqual(Object.keys(CLASSES).sort());
    for (const [name, n] of perClass) expect(n, name).toBeGreaterThanOrEqual(2);
    expect(cases.filter((c) => DELIBERATE.has(c.id) && c.numpy_reference).length).toBe(
      DELIBERATE.size,
    );
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('class form: loss.call(yTrue, yPred, sampleWeight) matches Keras, tensors flat', () => {
    const before = tf.memory().numTensors;
    const bad: string[] = [];
    let refused = 0;
    for (const c of cases) {
      const Cls = CLASSES[c.class_name]!;
      const loss = new Cls(classArgs(c.kwargs));
      const [yTrue, yPred] = [tensor(c.y_true), tensor(c.y_pred)];
      const sw = c.sample_weight ? tensor(c.sample_weight) : null;
      if (c.keras_error && !DELIBERATE.has(c.id)) {
        // Keras refuses these inputs; so must Cornu, with a message naming yTrue's shape.
        expect(() => loss.call(yTrue, yPred, sw), c.id).toThrow(/received yTrue/);
        refused++;
        tf.dispose([yTrue, yPred, ...(sw ? [sw] : [])]);
        continue;
      }
      const got = loss.call(yTrue, yPred, sw);
      if (DELIBERATE.has(c.id)) {
        bad.push(...mismatches(got, c.numpy_reference!, `${c.id} (Cornu vs numpy)`));
        if (c.keras_error) {
          expect(c.keras_error, c.id).toMatch(/Incompatible shapes/);
        } else {
          expect(differs(got, c.output!), `${c.id}: Keras differs as documented`).toBe(true);
        }
        if (c.class_name === 'Tversky') {
          const kerasLike = new Cls(classArgs(swapTversky(c.kwargs))).call(yTrue, yPred, sw);
          bad.push(...mismatches(kerasLike, c.output!, `${c.id} (alpha/beta swapped vs Keras)`));
          kerasLike.dispose();
        }
      } else if (INFEASIBLE_CTC[c.id]) {
        const skip = INFEASIBLE_CTC[c.id]!;
        bad.push(...mismatches(got, c.output!, c.id, skip));
        const values = got.dataSync();
        for (const i of skip) {
          expect(c.output!.data[i], `${c.id}[${i}] Keras`).toBeCloseTo(1e5, -2);
          expect(values[i], `${c.id}[${i}] Cornu`).toBeGreaterThan(1e29);
        }
      } else {
        bad.push(...mismatches(got, c.output!, c.id));
      }
      tf.dispose([got, yTrue, yPred, ...(sw ? [sw] : [])]);
    }
    expect(bad).toEqual([]);
    expect(refused).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('function form matches Keras per sample, tensors flat', () => {
    const before = tf.memory().numTensors;
    let checked = 0;
    const bad: string[] = [];
    for (const c of cases) {
      if (!c.fn_output) continue;
      const fn = FUNCTIONS[c.class_name]!(c.kwargs);
      const [yTrue, yPred] = [tensor(c.y_true), tensor(c.y_pred)];
      const got = fn(yTrue, yPred);
      if (INFEASIBLE_CTC[c.id]) {
        const skip = INFEASIBLE_CTC[c.id]!;
        bad.push(...mismatches(got, c.fn_output, `${c.id} fn`, skip));
        for (const i of skip) expect(got.dataSync()[i], `${c.id} fn[${i}]`).toBeGreaterThan(1e29);
      } else if (DELIBERATE_FN.has(c.id)) {
        expect(differs(got, c.fn_output), `${c.id} fn: Keras differs as documented`).toBe(true);
        if (c.class_name === 'Tversky') {
          const kerasLike = FUNCTIONS.Tversky!(swapTversky(c.kwargs))(yTrue, yPred);
          bad.push(...mismatches(kerasLike, c.fn_output, `${c.id} fn (alpha/beta swapped)`));
          kerasLike.dispose();
        } else {
          // reduction 'none': the numpy reference is per sample too.
          bad.push(...mismatches(got, c.numpy_reference!, `${c.id} fn (Cornu vs numpy)`));
        }
      } else {
        bad.push(...mismatches(got, c.fn_output, `${c.id} fn`));
      }
      checked++;
      tf.dispose([got, yTrue, yPred]);
    }
    expect(bad).toEqual([]);
    expect(checked).toBe(cases.length - 4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('getConfig matches Keras get_config key for key, and fromConfig reads it back', () => {
    for (const c of cases) {
      const Cls = CLASSES[c.class_name]!;
      const extras = CONFIG_EXTRAS[c.class_name] ?? {};
      const extrasHere = Object.fromEntries(
        Object.entries(extras).map(([k, d]) => [k, k in c.kwargs ? c.kwargs[k] : d]),
      );
      const cfg = new Cls(classArgs(c.kwargs)).getConfig();
      // toStrictEqual: a key Cornu writes as undefined, or leaves out, fails.
      expect(cfg, c.id).toStrictEqual({ ...c.config, ...extrasHere });
      for (const k of Object.keys(extras))
        expect(c.config, `${c.id}: Keras drops ${k}`).not.toHaveProperty(k);
      const fromKeras = (Cls as unknown as { fromConfig(x: LossConfig): Loss }).fromConfig(
        c.config,
      );
      // Keras's config has no delta/axis for Huber/CosineSimilarity: the defaults come back.
      expect(fromKeras.getConfig(), `${c.id} fromConfig`).toStrictEqual({
        ...c.config,
        ...extras,
      });
    }
  });
});
