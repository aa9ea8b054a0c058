import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend, tf } from '../index.js';
import { CTC, ctc } from './ctc.js';
import { deserialize, get, serialize } from './get.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import { LossFunctionWrapper } from './loss.js';
import {
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  binaryFocalCrossentropy,
  CategoricalCrossentropy,
  CategoricalFocalCrossentropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
} from './probabilistic.js';
import {
  CosineSimilarity,
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
} from './regression.js';
import { Dice, Tversky } from './segmentation.js';

const ref = JSON.parse(
  readFileSync(
    new URL('../../test-fixtures/reference/optimizers/losses.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;
const t = (key: string) => tf.tensor(ref[key] as number[]);
const arr = (key: string) => (ref[key] as number[]).flat(3) as number[];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function close(got: tf.Tensor, want: number[] | number, digits = 5): void {
  const values = Array.from(got.dataSync());
  const expected = typeof want === 'number' ? [want] : want;
  expect(values.length).toBe(expected.length);
  values.forEach((v, i) => expect(v, `element ${i}`).toBeCloseTo(expected[i]!, digits));
  got.dispose();
}

beforeAll(async () => {
  await backend.ready();
});

describe('losses against torch (scripts/reference/optimizers.py)', () => {
  it('categorical and sparse crossentropy, from logits and from probabilities', () => {
    const per = arr('categorical_ce_per_sample');
    const [logits, probs, labels] = [
      t('logits'),
      t('probs'),
      tf.tensor1d(ref.labels as number[], 'int32'),
    ];
    const onehot = tf.oneHot(labels, 5);
    close(
      new CategoricalCrossentropy({ fromLogits: true, reduction: 'none' }).call(onehot, logits),
      per,
    );
    close(new CategoricalCrossentropy().call(onehot, probs), mean(per));
    close(new SparseCategoricalCrossentropy({ fromLogits: true }).call(labels, logits), mean(per));
    close(
      new SparseCategoricalCrossentropy({ reduction: 'sum' }).call(labels.expandDims(-1), probs),
      per.reduce((a, b) => a + b),
    );
    close(
      new CategoricalCrossentropy({
        fromLogits: true,
        labelSmoothing: 0.1,
        reduction: 'none',
      }).call(onehot, logits),
      arr('categorical_ce_smoothing_0_1'),
    );
    tf.dispose([logits, probs, labels, onehot]);
  });

  it('sample weights: sum_over_batch_size divides by the batch, mean_with_sample_weight by the weights', () => {
    const per = arr('categorical_ce_per_sample');
    const sw = arr('sample_weight');
    const [logits, labels, w] = [
      t('logits'),
      tf.tensor1d(ref.labels as number[], 'int32'),
      t('sample_weight'),
    ];
    const weighted = per.map((v, i) => v * sw[i]!);
    close(
      new SparseCategoricalCrossentropy({ fromLogits: true }).call(labels, logits, w),
      weighted.reduce((a, b) => a + b) / 4,
    );
    close(
      new SparseCategoricalCrossentropy({
        fromLogits: true,
        reduction: 'mean_with_sample_weight',
      }).call(labels, logits, w),
      weighted.reduce((a, b) => a + b) / sw.reduce((a, b) => a + b),
    );
    tf.dispose([logits, labels, w]);
  });

  it('sparse ignoreClass masks entries out of the mean', () => {
    const per = arr('categorical_ce_per_sample');
    const labels = ref.labels as number[]; // [0, 3, 1, 4]
    const [logits, y] = [t('logits'), tf.tensor1d(labels, 'int32')];
    // Ignoring class 3 drops sample 1; the mean runs over the 3 others.
    close(
      new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 3 }).call(y, logits),
      (per[0]! + per[2]! + per[3]!) / 3,
    );
    tf.dispose([logits, y]);
  });

  it('binary crossentropy from logits and from probabilities', () => {
    const per = arr('binary_ce_per_sample');
    const [yt, logits] = [t('bin_true'), t('bin_logits')];
    close(new BinaryCrossentropy({ fromLogits: true, reduction: 'none' }).call(yt, logits), per);
    const probs = tf.sigmoid(logits);
    close(new BinaryCrossentropy({ reduction: 'none' }).call(yt, probs), per, 4);
    tf.dispose([yt, logits, probs]);
  });

  it('Huber, MSE, KL divergence and Poisson', () => {
    const [yt, yp, pt, pp] = [t('reg_true'), t('reg_pred'), t('pos_true'), t('pos_pred')];
    close(new Huber({ reduction: 'none' }).call(yt, yp), arr('huber_per_sample'));
    close(new MeanSquaredError({ reduction: 'none' }).call(yt, yp), arr('mse_per_sample'));
    // torch's kl_div does not clip; the fixture's values lie in (0.1, 1.1), so clip only matters above 1.
    const ptClipped = tf.clipByValue(pt, 0, 1);
    const ppClipped = tf.clipByValue(pp, 0, 1);
    const klWant = Array.from(
      tf.tidy(() => tf.sum(tf.mul(ptClipped, tf.log(tf.div(ptClipped, ppClipped))), -1)).dataSync(),
    );
    close(new KLDivergence({ reduction: 'none' }).call(pt, pp), klWant);
    close(new Poisson({ reduction: 'none' }).call(pt, pp), arr('poisson_per_sample'));
    tf.dispose([yt, yp, pt, pp, ptClipped, ppClipped]);
  });

  it('CTC matches torch.nn.functional.ctc_loss (blank 0), and has finite gradients', () => {
    const [labels, logits] = [
      tf.tensor2d(ref.ctc_labels as number[][], undefined, 'int32'),
      t('ctc_logits'),
    ];
    close(new CTC({ reduction: 'none' }).call(labels, logits), arr('ctc_per_sample'), 4);
    const g = tf.grad((x: tf.Tensor) => tf.sum(ctc(labels, x)))(logits);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    // The gradient of -log p(label) w.r.t. the logits sums to zero over classes at each step.
    close(tf.sum(g, -1), new Array(12).fill(0), 4);
    tf.dispose([labels, logits, g]);
  });
});

describe('losses against hand-derived values', () => {
  const y = () =>
    tf.tensor2d([
      [0, 1],
      [1, 1],
    ]);
  const p = () =>
    tf.tensor2d([
      [0.5, 0.5],
      [2, 0],
    ]);

  it('MAE, MAPE, MSLE, LogCosh', () => {
    close(new MeanAbsoluteError({ reduction: 'none' }).call(y(), p()), [0.5, 1]);
    // MAPE: 100 * mean(|y - p| / max(|y|, 1e-7)): row 0 = 100 * (0.5 / 1e-7 + 0.5) / 2.
    close(
      new MeanAbsolutePercentageError({ reduction: 'none' }).call(y(), p()),
      [(100 * (0.5 / 1e-7 + 0.5)) / 2, 100],
      -2,
    );
    const msle = (a: number, b: number) =>
      (Math.log1p(Math.max(b, 1e-7)) - Math.log1p(Math.max(a, 1e-7))) ** 2;
    close(new MeanSquaredLogarithmicError({ reduction: 'none' }).call(y(), p()), [
      (msle(0, 0.5) + msle(1, 0.5)) / 2,
      (msle(1, 2) + msle(1, 0)) / 2,
    ]);
    const lc = (x: number) => Math.log(Math.cosh(x));
    close(new LogCosh({ reduction: 'none' }).call(y(), p()), [
      (lc(0.5) + lc(-0.5)) / 2,
      (lc(1) + lc(-1)) / 2,
    ]);
  });

  it('Hinge converts 0/1 labels to -1/1; SquaredHinge; CategoricalHinge', () => {
    // Row 0 labels [-1, 1]: max(1 - (-0.5), 0) = 1.5, max(1 - 0.5, 0) = 0.5 -> mean 1.
    close(new Hinge({ reduction: 'none' }).call(y(), p()), [1, (0 + 1) / 2]);
    close(new SquaredHinge({ reduction: 'none' }).call(y(), p()), [(2.25 + 0.25) / 2, (0 + 1) / 2]);
    const oneHot = tf.tensor2d([[0, 1, 0]]);
    const scores = tf.tensor2d([[0.3, 0.5, 0.9]]);
    // pos = 0.5, neg = max(0.3, 0, 0.9) = 0.9 -> max(0.9 - 0.5 + 1, 0) = 1.4
    close(new CategoricalHinge().call(oneHot, scores), 1.4);
    tf.dispose([oneHot, scores]);
  });

  it('CosineSimilarity is -1 for aligned vectors and 0 for orthogonal ones', () => {
    const a = tf.tensor2d([
      [1, 0],
      [0, 2],
    ]);
    const b = tf.tensor2d([
      [3, 0],
      [5, 0],
    ]);
    close(new CosineSimilarity({ reduction: 'none' }).call(a, b), [-1, 0]);
    tf.dispose([a, b]);
  });

  it('Dice and Tversky over all entries', () => {
    const yt = tf.tensor2d([
      [1, 0],
      [1, 1],
    ]);
    const yp = tf.tensor2d([
      [0.8, 0.2],
      [0.6, 0.4],
    ]);
    // intersection 1.8; sums 3 and 2 -> 1 - 3.6 / 5 = 0.28
    close(new Dice().call(yt, yp), 1 - 3.6 / (5 + 1e-7));
    // TP 1.8, FN 1.2, FP 0.2; alpha 0.3, beta 0.7 -> 1 - 1.8 / (1.8 + 0.06 + 0.84)
    close(new Tversky({ alpha: 0.3, beta: 0.7 }).call(yt, yp), 1 - 1.8 / 2.7);
    tf.dispose([yt, yp]);
  });

  it('focal crossentropies reduce to the weighted formula', () => {
    const yt = tf.tensor2d([[1], [0]]);
    const yp = tf.tensor2d([[0.9], [0.3]]);
    // p_t = 0.9 and 0.7; bce = -log(0.9), -log(0.7); focal = (1 - p_t)^2 * bce
    const f = [0.01 * -Math.log(0.9), 0.09 * -Math.log(0.7)];
    close(new BinaryFocalCrossentropy({ reduction: 'none' }).call(yt, yp), f);
    close(binaryFocalCrossentropy(yt, yp, { applyClassBalancing: true }), [
      0.25 * f[0]!,
      0.75 * f[1]!,
    ]);
    const oh = tf.tensor2d([[0, 1]]);
    const probs = tf.tensor2d([[0.4, 0.6]]);
    close(new CategoricalFocalCrossentropy().call(oh, probs), 0.25 * 0.4 ** 2 * -Math.log(0.6));
    tf.dispose([yt, yp, oh, probs]);
  });

  it('focal crossentropies from large logits use the unclipped logits formula', () => {
    // Cornu (and tf.keras 2): bce = max(x, 0) - x z + log(1 + exp(-|x|)) from the logits,
    // p = sigmoid(x) only in the focal factor (1 - p_t)^gamma. For x = -30, z = 1: bce = 30.
    // Keras 3 clips sigmoid(x) first and stops at 16.1 (keras-reference.test.ts asserts that).
    const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
    const yt = tf.tensor2d([[1], [0], [1], [1]]);
    const logits = tf.tensor2d([[-30], [40], [30], [2]]);
    close(binaryFocalCrossentropy(yt, logits, { fromLogits: true, gamma: 0 }), [
      30,
      40,
      softplus(-30),
      softplus(-2),
    ]);
    const p2 = sigmoid(2);
    close(
      binaryFocalCrossentropy(yt, logits, {
        fromLogits: true,
        gamma: 2,
        applyClassBalancing: true,
      }),
      [0.25 * 30, 0.75 * 40, 0, 0.25 * (1 - p2) ** 2 * softplus(-2)],
    );
    // d/dx of softplus(-x) * (1 - sigmoid(x))^2 at x = -30 is sigmoid(x) - 1 (plus terms of order
    // e^-30) = -1: the gradient no longer vanishes.
    const x = tf.tensor2d([[-30]]);
    const one = tf.tensor2d([[1]]);
    const g = tf.grad((v: tf.Tensor) => binaryFocalCrossentropy(one, v, { fromLogits: true }))(x);
    close(g, -1);
    // Moderate logits agree with the probability form.
    const moderate = tf.tensor2d([[0.3], [-1.2]]);
    const yt2 = tf.tensor2d([[1], [0]]);
    const probs = tf.sigmoid(moderate);
    const fromProbs = binaryFocalCrossentropy(yt2, probs);
    close(
      binaryFocalCrossentropy(yt2, moderate, { fromLogits: true }),
      Array.from(fromProbs.dataSync()),
    );
    tf.dispose([yt, logits, x, one, moderate, yt2, probs, fromProbs]);

    // Categorical: -log p from logSoftmax. Logits [0, 40, 0] against class 0: log p0 = -40 - log(1 +
    // 2e^-40) = -40, (1 - p0)^2 = 1, so the loss is alpha * 40 = 10 (a clipped softmax gives 4.03).
    const oh = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const catLogits = tf.tensor2d([
      [0, 40, 0],
      [1, 2, 0.5],
    ]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(0.5)];
    const q1 = e[1]! / (e[0]! + e[1]! + e[2]!);
    close(
      new CategoricalFocalCrossentropy({ fromLogits: true, reduction: 'none' }).call(oh, catLogits),
      [10, 0.25 * (1 - q1) ** 2 * -Math.log(q1)],
    );
    const cg = tf.grad((v: tf.Tensor) =>
      tf.sum(new CategoricalFocalCrossentropy({ fromLogits: true, reduction: 'none' }).call(oh, v)),
    )(catLogits);
    // d/dx0 of -alpha log p0 = alpha (p0 - 1) = -0.25 for the saturated row.
    const row0 = tf.slice(cg, [0, 0], [1, 1]);
    close(row0, -0.25);
    tf.dispose([oh, catLogits, cg]);
  });

  it('crossentropies from logits along a non-last class axis, with gradient softmax - y', () => {
    // tfjs's logSoftmax only takes the last axis; axis 1 goes through x - logsumexp(x).
    const x = [
      [
        [0.5, -1],
        [2, 0],
        [-0.5, 3],
      ],
    ]; // [1, 3 classes, 2 positions]
    const y = [
      [
        [0, 1],
        [1, 0],
        [0, 0],
      ],
    ];
    const logits = tf.tensor3d(x);
    const target = tf.tensor3d(y);
    const loss = new CategoricalCrossentropy({ fromLogits: true, axis: 1, reduction: 'sum' });
    const want: number[] = [];
    const grad: number[][] = [[], [], []];
    for (let j = 0; j < 2; j++) {
      const col = x[0]!.map((row) => row[j]!);
      const z = col.reduce((a, v) => a + Math.exp(v), 0);
      const k = y[0]!.findIndex((row) => row[j] === 1);
      want.push(Math.log(z) - col[k]!);
      col.forEach((v, c) => grad[c]!.push(Math.exp(v) / z - y[0]![c]![j]!));
    }
    close(loss.call(target, logits), want[0]! + want[1]!);
    const g = tf.grad((v: tf.Tensor) => loss.call(target, v))(logits);
    close(g, grad.flat());
    tf.dispose([logits, target]);
  });

  it('reductions: sum, none and masks', () => {
    const yt = tf.tensor2d([[1], [2], [3]]);
    const yp = tf.tensor2d([[0], [0], [0]]);
    close(new MeanSquaredError({ reduction: 'sum' }).call(yt, yp), 14);
    close(new MeanSquaredError().call(yt, yp, null, tf.tensor1d([1, 1, 0])), 2.5, 4);
    expect(() => new MeanSquaredError({ reduction: 'avg' as 'sum' })).toThrow(
      /reduction must be one of .* received 'avg'/,
    );
    tf.dispose([yt, yp]);
  });

  it('shape errors name both shapes and the fix', () => {
    const labels = tf.tensor1d([1, 2], 'int32');
    const logits = tf.zeros([2, 3]);
    expect(() => new CategoricalCrossentropy().call(labels, logits)).toThrow(
      /received yTrue \[2\] and yPred \[2,3\]\. Fix: use sparseCategoricalCrossentropy/,
    );
    expect(() => new SparseCategoricalCrossentropy().call(tf.zeros([3]), logits)).toThrow(
      /expected integer labels of shape \[2\] .* received yTrue of shape \[3\]/,
    );
    tf.dispose([labels, logits]);
  });
});

describe('losses.get and configs', () => {
  it('accepts camelCase, snake_case, class names and aliases', () => {
    expect(get('sparseCategoricalCrossentropy')).toBeInstanceOf(SparseCategoricalCrossentropy);
    expect(get('sparse_categorical_crossentropy')).toBeInstanceOf(SparseCategoricalCrossentropy);
    expect(get('BinaryCrossentropy')).toBeInstanceOf(BinaryCrossentropy);
    expect(get('mse')).toBeInstanceOf(MeanSquaredError);
    expect(get('huber_loss')).toBeInstanceOf(Huber);
    expect(get((a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b))).toBeInstanceOf(LossFunctionWrapper);
    expect(() => get('sparse_crossentropy')).toThrow(/unknown loss 'sparse_crossentropy'/);
  });

  it('round-trips Keras configs', () => {
    const loss = new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 });
    const dict = serialize(loss);
    expect(dict).toMatchObject({
      module: 'keras.losses',
      class_name: 'CategoricalCrossentropy',
      config: {
        name: 'categorical_crossentropy',
        reduction: 'sum_over_batch_size',
        from_logits: true,
        label_smoothing: 0.2,
        axis: -1,
      },
    });
    expect(deserialize(dict).getConfig()).toEqual(dict.config);
  });

  it('does not leak tensors', () => {
    const logits = tf.randomNormal([8, 5]);
    const labels = tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2], 'int32');
    const loss = new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: 2 });
    loss.call(labels, logits).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) loss.call(labels, logits).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([logits, labels]);
  });
});
