import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { expectClose } from '../normalization/fixtures.js';
import { ELU } from './elu.js';
import { LeakyReLU } from './leaky-relu.js';
import { PReLU } from './prelu.js';
import { ReLU } from './relu.js';
import { Softmax } from './softmax.js';

beforeAll(async () => {
  await ready();
});

const run = (
  layer: { apply(x: tf.Tensor, a?: object): tf.Tensor },
  values: number[],
  args?: object,
): tf.Tensor => {
  const x = tf.tensor1d(values);
  const y = layer.apply(x, args);
  x.dispose();
  return y;
};

describe('ReLU', () => {
  it('passes runLayerTest', () => {
    runLayerTest(ReLU, {
      initArgs: { maxValue: 2, negativeSlope: 0.1, threshold: 0.5 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('applies max_value, negative_slope and threshold (hand-derived)', () => {
    const y = run(
      new ReLU({ maxValue: 2, negativeSlope: 0.1, threshold: 0.5 }),
      [-1, 0.25, 0.5, 1, 3],
    );
    // below 0.5: 0.1 * (x - 0.5); x = 0.5 is not above the threshold -> 0; above: x clipped at 2.
    expectClose(y, [-0.15, -0.025, 0, 1, 2]);
    const plain = run(new ReLU({ maxValue: 6 }), [-1, 3, 9]);
    expectClose(plain, [0, 3, 6]);
    tf.dispose([y, plain]);
    expect(() => new ReLU({ negativeSlope: -1 })).toThrow(
      /negative_slope must be a number >= 0. Received: negative_slope=-1/,
    );
  });
});

describe('LeakyReLU', () => {
  it('passes runLayerTest and uses slope 0.3 by default', () => {
    runLayerTest(LeakyReLU, {
      initArgs: { negativeSlope: 0.2 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
    const y = run(new LeakyReLU(), [-1, 2]);
    expectClose(y, [-0.3, 2]);
    y.dispose();
  });
});

describe('ELU', () => {
  it('passes runLayerTest and computes alpha * (exp(x) - 1) below 0', () => {
    runLayerTest(ELU, {
      initArgs: { alpha: 0.5 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
    const y = run(new ELU({ alpha: 0.5 }), [-1, 2]);
    expectClose(y, [0.5 * (Math.exp(-1) - 1), 2]);
    const one = run(new ELU(), [-2]);
    expectClose(one, [Math.exp(-2) - 1]);
    tf.dispose([y, one]);
  });
});

describe('PReLU', () => {
  it('passes runLayerTest with shared axes', () => {
    runLayerTest(PReLU, {
      initArgs: {
        sharedAxes: [1, 2],
        alphaInitializer: {
          module: 'keras.initializers',
          class_name: 'Constant',
          config: { value: 0.25 },
          registered_name: null,
        },
      },
      inputShape: [2, 3, 3, 4],
      expectedOutputShape: [2, 3, 3, 4],
      expectedNumTrainableWeights: 1,
    });
  });

  it('has alpha of shape input[1:] with shared axes set to 1 and the right gradients', () => {
    const layer = new PReLU({ sharedAxes: [1] });
    const x = tf.tensor3d([
      [
        [-2, 1],
        [3, -4],
      ],
    ]);
    const y0 = layer.apply(x);
    expect(layer.weights.map((w) => w.shape)).toEqual([[1, 2]]);
    const alpha = tf.tensor2d([[0.5, 0.25]]);
    layer.setWeights([alpha]);
    const y = layer.apply(x);
    expectClose(y, [
      [
        [-1, 1],
        [3, -1],
      ],
    ]);
    expect(checkGradientsNumerically(layer, x).length).toBeGreaterThan(0);
    tf.dispose([x, y0, y, alpha]);
    layer.dispose();
  });
});

describe('Softmax', () => {
  it('passes runLayerTest', () => {
    runLayerTest(Softmax, {
      initArgs: { axis: 1 },
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      supportsMasking: true,
    });
  });

  it('normalizes over the axis, honours the mask and multi-axis softmax', () => {
    const x = tf.tensor2d([[1, 2, 3]]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0]! + e[1]! + e[2]!;
    const y = new Softmax().apply(x);
    expectClose(y, [[e[0]! / s, e[1]! / s, e[2]! / s]]);
    const mask = tf.tensor2d([[true, true, false]], undefined, 'bool');
    const masked = new Softmax().apply(x, { mask });
    const s2 = e[0]! + e[1]!;
    expectClose(masked, [[e[0]! / s2, e[1]! / s2, 0]]);
    const both = new Softmax({ axis: [0, 1] }).apply(
      tf.tensor2d([
        [0, 0],
        [0, 0],
      ]),
    );
    expectClose(both, [
      [0.25, 0.25],
      [0.25, 0.25],
    ]);
    tf.dispose([x, y, mask, masked, both]);
  });
});
