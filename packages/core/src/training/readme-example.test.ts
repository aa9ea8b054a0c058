/**
 * The README's first model (root README and the core README's training section) and the core
 * README's optimizers and losses snippets, run as written.
 */
import { beforeAll, expect, it } from 'vitest';
import { backend, datasets, layers, losses, optimizers, Sequential, tf } from '../index.js';

beforeAll(async () => {
  await backend.ready();
});

it('the README first model trains with compile/fit and evaluates with returnDict', async () => {
  const [[xTrain, yTrain], [xTest, yTest]] = await datasets.digits.loadData();
  const model = new Sequential({
    layers: [
      new layers.Rescaling({ scale: 1 / 16, inputShape: [8, 8] }),
      new layers.Flatten(),
      new layers.Dense({ units: 64, activation: 'relu' }),
      new layers.Dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({
    optimizer: 'adam',
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(xTrain, yTrain, {
    epochs: 3,
    batchSize: 32,
    validationSplit: 0.1,
    verbose: 0,
  });
  expect(Object.keys(history.history).sort()).toEqual([
    'accuracy',
    'loss',
    'val_accuracy',
    'val_loss',
  ]);
  const result = await model.evaluate(xTest, yTest, { returnDict: true, verbose: 0 });
  expect(Object.keys(result).sort()).toEqual(['accuracy', 'loss']);
  expect(result.accuracy).toBeGreaterThan(0.8);
  tf.dispose([xTrain, yTrain, xTest, yTest]);
  model.dispose();
});

/** The core README's Optimizers and Losses snippets, as written there, with their stated values. */
it('README: a warmup cosine schedule driving AdamW, and the losses snippet', async () => {
  const model = new Sequential({
    layers: [new layers.Dense({ units: 3, inputShape: [4], activation: 'softmax' })],
  });
  const schedule = new optimizers.schedules.CosineDecay({
    initialLearningRate: 0,
    warmupTarget: 1e-3, // linear warmup from 0 to 1e-3 over 100 steps,
    warmupSteps: 100,
    decaySteps: 1000, // then a cosine decay to 0 over 1000 steps
  });
  expect(schedule.call(50)).toBeCloseTo(5e-4, 10); // halfway through the warmup
  expect(schedule.call(600)).toBeCloseTo(5e-4, 10); // halfway through the decay
  expect(schedule.call(1100)).toBeCloseTo(0, 10);
  const optimizer = new optimizers.AdamW({
    learningRate: schedule,
    weightDecay: 0.01,
    globalClipnorm: 1,
  });
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  // The schedule drives the rate: after 50 updates it is the warmup's midpoint.
  const x = tf.randomNormal([10, 4], 0, 1, 'float32', 1);
  const y = tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32');
  await model.fit(x, y, { epochs: 50, batchSize: 10, verbose: 0 });
  expect(optimizer.iterations).toBe(50);
  expect(optimizer.learningRate).toBeCloseTo(schedule.call(50), 8);

  const labels = tf.tensor1d([0, 2], 'int32');
  const logits = tf.tensor2d([
    [2, 1, 0],
    [0, 1, 3],
  ]);
  // -log softmax: log(e^2 + e + 1) - 2 and log(1 + e + e^3) - 3.
  const ce = [Math.log(Math.exp(2) + Math.E + 1) - 2, Math.log(1 + Math.E + Math.exp(3)) - 3];
  const perSample = losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true });
  expect(Array.from(perSample.dataSync())).toEqual([
    expect.closeTo(ce[0]!, 5),
    expect.closeTo(ce[1]!, 5),
  ]);
  expect(ce.map((v) => v.toFixed(4))).toEqual(['0.4076', '0.1698']);
  const reduced = new losses.SparseCategoricalCrossentropy({ fromLogits: true }).call(
    labels,
    logits,
  );
  expect(reduced.dataSync()[0]).toBeCloseTo((ce[0]! + ce[1]!) / 2, 5);
  expect(((ce[0]! + ce[1]!) / 2).toFixed(4)).toBe('0.2887');

  const mse = new losses.MeanSquaredError();
  const yTrue = tf.tensor2d([[0], [0], [0], [0]]);
  const yPred = tf.tensor2d([[1], [2], [3], [4]]);
  const weights = tf.tensor1d([1, 0, 0, 2]);
  const weighted = mse.call(yTrue, yPred, weights);
  expect(weighted.dataSync()[0]).toBeCloseTo(8.25, 5);
  const byWeight = new losses.MeanSquaredError({ reduction: 'mean_with_sample_weight' }).call(
    yTrue,
    yPred,
    weights,
  );
  expect(byWeight.dataSync()[0]).toBeCloseTo(11, 5);
  tf.dispose([x, y, labels, logits, perSample, reduced, yTrue, yPred, weights, weighted, byWeight]);
  model.dispose();
});
