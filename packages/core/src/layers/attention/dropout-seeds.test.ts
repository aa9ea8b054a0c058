/**
 * Dropout inside attention and recurrent layers draws its seeds from Cornu's stream: runs repeat
 * under utils.setRandomSeed (tfjs's own seedless dropout would use Math.random), and a layer seed
 * gives a new mask per call, as Keras's SeedGenerator does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import type { Layer } from '../../engine/layer.js';
import { clearRandomSeed, setRandomSeed } from '../../utils/random.js';
import { LSTM } from '../rnn/lstm.js';
import { Attention } from './attention.js';
import { MultiHeadAttention } from './multi-head-attention.js';

beforeAll(async () => {
  await ready();
});
afterEach(() => clearRandomSeed());

const cases: [string, (seed: number | null) => Layer, () => tf.Tensor[]][] = [
  [
    'MultiHeadAttention',
    (seed) => new MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.5, seed }),
    () => [tf.ones([2, 5, 8]), tf.ones([2, 5, 8])],
  ],
  [
    'Attention',
    (seed) => new Attention({ dropout: 0.5, seed }),
    () => [tf.ones([2, 5, 4]), tf.ones([2, 6, 4])],
  ],
  [
    'LSTM',
    (seed) =>
      new LSTM({ units: 4, dropout: 0.5, recurrentDropout: 0.5, seed, returnSequences: true }),
    () => [tf.ones([2, 5, 3])],
  ],
];

function run(make: () => Layer, inputs: () => tf.Tensor[], calls = 1): number[][] {
  const layer = make();
  const xs = inputs();
  const out: number[][] = [];
  for (let i = 0; i < calls; i++) {
    const y = layer.apply(xs.length === 1 ? (xs[0] as tf.Tensor) : xs, {
      training: true,
    }) as tf.Tensor;
    out.push(Array.from(y.dataSync()));
    y.dispose();
  }
  tf.dispose(xs);
  layer.dispose();
  return out;
}

describe.each(cases)('%s dropout', (_name, make, inputs) => {
  it('repeats under the same global seed and changes under another', () => {
    setRandomSeed(7);
    const a = run(() => make(null), inputs);
    setRandomSeed(7);
    const b = run(() => make(null), inputs);
    setRandomSeed(8);
    const c = run(() => make(null), inputs);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('with a layer seed, draws a new mask on each call and repeats the sequence', () => {
    setRandomSeed(3); // fixes the initial weights
    const [first, second] = run(() => make(11), inputs, 2);
    expect(second).not.toEqual(first);
    setRandomSeed(3);
    expect(run(() => make(11), inputs, 2)).toEqual([first, second]);
  });
});
