import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { runLayerTest } from '../../testing/index.js';
import { expectClose } from '../normalization/fixtures.js';
import { CategoryEncoding } from './category-encoding.js';
import { Discretization } from './discretization.js';
import { fingerprint64 } from './farmhash.js';
import { Hashing } from './hashing.js';
import { Normalization } from './normalization.js';
import { Rescaling } from './rescaling.js';

beforeAll(async () => {
  await ready();
});

function out(t: tf.Tensor): unknown {
  const v = t.arraySync();
  t.dispose();
  return v;
}

describe('Normalization', () => {
  it('passes runLayerTest with fixed statistics', () => {
    runLayerTest(Normalization, {
      initArgs: { mean: [1, 2, 3], variance: [1, 4, 9] },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedNumTrainableWeights: 0,
      expectedNumNonTrainableWeights: 0,
    });
  });

  it('adapts mean/variance per feature, as Keras documents, and inverts', () => {
    // Keras docs: adapt([1, 2, 3, 4, 5]) with axis=None; [[1], [2], [3]] -> [[-1.4142], [-0.7071], [0]].
    const scalar = new Normalization({ axis: null });
    scalar.adapt(tf.tensor1d([1, 2, 3, 4, 5]));
    const y = scalar.apply(tf.tensor2d([[1], [2], [3]]));
    expectClose(y, [[-Math.SQRT2], [-Math.SQRT1_2], [0]]);
    const back = new Normalization({ axis: null, invert: true, mean: 3, variance: 2 }).apply(y);
    expectClose(back, [[1], [2], [3]]);
    const perFeature = new Normalization();
    perFeature.adapt(
      tf.tensor2d([
        [1, 10],
        [3, 30],
      ]),
    );
    expect(perFeature.weights.map((w) => [w.name, w.trainable])).toEqual([
      ['mean', false],
      ['variance', false],
    ]);
    expectClose(perFeature.adaptMean?.read() as tf.Tensor, [2, 20]);
    expectClose(perFeature.adaptVariance?.read() as tf.Tensor, [1, 100]);
    const z = perFeature.apply(
      tf.tensor2d([
        [2, 20],
        [3, 40],
      ]),
    );
    expectClose(z, [
      [0, 0],
      [1, 2],
    ]);
    tf.dispose([y, back, z]);
    expect(() => new Normalization({ mean: 1 })).toThrow(/pass both mean and variance/);
  });
});

describe('Rescaling', () => {
  it('passes runLayerTest and computes x * scale + offset', () => {
    runLayerTest(Rescaling, {
      initArgs: { scale: 0.5, offset: 1 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
    const y = new Rescaling({ scale: 1 / 127.5, offset: -1 }).apply(tf.tensor1d([0, 127.5, 255]));
    expectClose(y, [-1, 0, 1]);
    y.dispose();
  });
});

describe('Discretization', () => {
  it('passes runLayerTest', () => {
    runLayerTest(Discretization, {
      initArgs: { binBoundaries: [0, 1, 2] },
      inputShape: [2, 4],
      expectedOutputShape: [2, 4],
      expectedOutputDtype: 'int32',
    });
  });

  it('buckets and adapts as the Keras documentation examples', () => {
    const x = tf.tensor2d([
      [-1.5, 1.0, 3.4, 0.5],
      [0.0, 3.0, 1.3, 0.0],
    ]);
    const fixed = new Discretization({ binBoundaries: [0, 1, 2] });
    expect(out(fixed.apply(x))).toEqual([
      [0, 2, 3, 1],
      [1, 3, 2, 1],
    ]);
    const learned = new Discretization({ numBins: 4, epsilon: 0.01 });
    learned.adapt(x);
    expect(out(learned.apply(x))).toEqual([
      [0, 2, 3, 1],
      [1, 3, 2, 1],
    ]);
    const oneHot = new Discretization({ binBoundaries: [0], outputMode: 'one_hot' });
    expect(out(oneHot.apply(tf.tensor1d([-1, 1])))).toEqual([
      [1, 0],
      [0, 1],
    ]);
    x.dispose();
    expect(() => new Discretization({ numBins: 3, binBoundaries: [1] })).toThrow(
      /num_bins must equal len\(bin_boundaries\) \+ 1/,
    );
  });
});

describe('CategoryEncoding', () => {
  it('passes runLayerTest', () => {
    runLayerTest(CategoryEncoding, {
      initArgs: { numTokens: 4, outputMode: 'count' },
      inputData: tf.tensor2d(
        [
          [0, 1],
          [3, 3],
        ],
        undefined,
        'int32',
      ),
      expectedOutputShape: [2, 4],
      expectedOutput: [1, 1, 0, 0, 0, 0, 0, 2],
    });
  });

  it('encodes one_hot, multi_hot and weighted counts as Keras documents', () => {
    const oneHot = new CategoryEncoding({ numTokens: 4, outputMode: 'one_hot' });
    expect(out(oneHot.apply(tf.tensor1d([3, 2, 0, 1], 'int32')))).toEqual([
      [0, 0, 0, 1],
      [0, 0, 1, 0],
      [1, 0, 0, 0],
      [0, 1, 0, 0],
    ]);
    const ids = tf.tensor2d(
      [
        [0, 1],
        [0, 0],
        [1, 2],
        [3, 1],
      ],
      undefined,
      'int32',
    );
    expect(out(new CategoryEncoding({ numTokens: 4 }).apply(ids))).toEqual([
      [1, 1, 0, 0],
      [1, 0, 0, 0],
      [0, 1, 1, 0],
      [0, 1, 0, 1],
    ]);
    const w = tf.tensor2d([
      [0.1, 0.2],
      [0.1, 0.1],
      [0.2, 0.3],
      [0.4, 0.2],
    ]);
    const counted = new CategoryEncoding({ numTokens: 4, outputMode: 'count' }).apply(ids, {
      countWeights: w,
    });
    expectClose(counted, [
      [0.1, 0.2, 0, 0],
      [0.2, 0, 0, 0],
      [0, 0.2, 0.3, 0],
      [0, 0.2, 0, 0.4],
    ]);
    expect(() => new CategoryEncoding({ numTokens: 4 }).apply(tf.tensor1d([4], 'int32'))).toThrow(
      /range \[0, 4\)/,
    );
    tf.dispose([ids, w, counted]);
  });
});

describe('Hashing', () => {
  it('passes runLayerTest', () => {
    runLayerTest(Hashing, {
      initArgs: { numBins: 3 },
      inputData: tf.tensor([['A'], ['B'], ['C'], ['D'], ['E']]),
      expectedOutputShape: [5, 1],
      expectedOutputDtype: 'int32',
      expectedOutput: [1, 0, 1, 1, 2],
    });
  });

  // Expected bins are those asserted by Keras's own hashing_test.py (TensorFlow FarmHash / SipHash).
  it('matches Keras FarmHash bins, with and without a mask value', () => {
    const words = [['omar'], ['stringer'], ['marlo'], ['wire'], ['skywalker']];
    expect(out(new Hashing({ numBins: 2 }).apply(words))).toEqual([[0], [0], [1], [0], [0]]);
    expect(out(new Hashing({ numBins: 3, maskValue: '' }).apply(words))).toEqual([
      [1],
      [1],
      [2],
      [1],
      [1],
    ]);
    expect(out(new Hashing({ numBins: 3, maskValue: 'omar' }).apply(words))).toEqual([
      [0],
      [1],
      [2],
      [1],
      [1],
    ]);
    expect(
      out(
        new Hashing({ numBins: 3 }).apply(
          tf.tensor2d([[0], [1], [2], [3], [4]], undefined, 'int32'),
        ),
      ),
    ).toEqual([[1], [0], [1], [0], [2]]);
  });

  it('FarmHash Fingerprint64 and the Keras docstring example agree with published values', () => {
    // Fingerprint64("") is FarmHash's k2 constant (farmhash.cc: `if (len <= 16) ... return k2`).
    expect(fingerprint64(new Uint8Array(0))).toBe(0x9ae16a3b2f90404fn);
    // keras.layers.Hashing docstring: Hashing(num_bins=3) on A..E -> [[1], [0], [1], [1], [2]].
    expect(out(new Hashing({ numBins: 3 }).apply([['A'], ['B'], ['C'], ['D'], ['E']]))).toEqual([
      [1],
      [0],
      [1],
      [1],
      [2],
    ]);
  });

  it('matches Keras SipHash bins with a salt', () => {
    const letters = [['A'], ['B'], ['C'], ['D'], ['E']];
    expect(out(new Hashing({ numBins: 3, salt: [133, 137] }).apply(letters))).toEqual([
      [1],
      [2],
      [1],
      [0],
      [2],
    ]);
    expect(out(new Hashing({ numBins: 3, salt: 133 }).apply(letters))).toEqual([
      [0],
      [0],
      [2],
      [1],
      [0],
    ]);
    const words = [['omar'], ['stringer'], ['marlo'], ['wire'], ['skywalker']];
    expect(out(new Hashing({ numBins: 2, salt: [211, 137] }).apply(words))).toEqual([
      [1],
      [0],
      [1],
      [0],
      [1],
    ]);
  });

  it('encodes one_hot / multi_hot / count like Keras', () => {
    const ints = tf.tensor1d([0, 1, 2, 3, 4], 'int32');
    expect(out(new Hashing({ numBins: 3, outputMode: 'one_hot' }).apply(ints))).toEqual([
      [0, 1, 0],
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(out(new Hashing({ numBins: 3, outputMode: 'count' }).apply(ints))).toEqual([2, 2, 1]);
    ints.dispose();
    expect(() => new Hashing({ numBins: 0 })).toThrow(/cannot be null or non-positive/);
  });
});
