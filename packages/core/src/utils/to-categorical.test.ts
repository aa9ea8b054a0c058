import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { toCategorical } from './to-categorical.js';

beforeAll(async () => {
  await ready();
});

describe('utils.toCategorical', () => {
  it('one-hot encodes arrays and tensors, dropping a trailing 1 like Keras', () => {
    const before = tf.memory().numTensors;
    const a = toCategorical([0, 2, 1]);
    expect(a.shape).toEqual([3, 3]);
    expect(a.arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    const labels = tf.tensor2d([[1], [3]], [2, 1], 'int32');
    const b = toCategorical(labels, 5);
    expect(b.shape).toEqual([2, 5]);
    expect(b.arraySync()).toEqual([
      [0, 1, 0, 0, 0],
      [0, 0, 0, 1, 0],
    ]);
    tf.dispose([a, b, labels]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the bad argument', () => {
    expect(() => toCategorical([0, 3], 2)).toThrow(
      /numClasses must be an integer greater than the largest label 3\. Received: numClasses=2/,
    );
    expect(() => toCategorical([-1])).toThrow(/non-negative integers\. Received: -1/);
  });
});
