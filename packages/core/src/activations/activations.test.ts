// Gradient registrations (tf.grad below); activations alone do not load them.
import '../backend/tfjs-side-effects.js';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import * as activations from './index.js';

beforeAll(async () => {
  await ready();
});

const X = [-3, -1.5, -0.5, 0, 0.5, 1.5, 3];
/** torch 1.13 (float64) torch.nn.functional values at X; softmax / log_softmax over the whole row. */
const TORCH: Record<string, number[]> = {
  relu: [0, 0, 0, 0, 0.5, 1.5, 3],
  relu6: [0, 0, 0, 0, 0.5, 1.5, 3],
  sigmoid: [0.047425873, 0.18242552, 0.37754067, 0.5, 0.62245933, 0.81757448, 0.95257413],
  tanh: [-0.99505475, -0.90514825, -0.46211716, 0, 0.46211716, 0.90514825, 0.99505475],
  softplus: [0.048587352, 0.20141328, 0.47407698, Math.LN2, 0.97407698, 1.7014133, 3.0485874],
  softsign: [-0.75, -0.6, -0.33333333, 0, 0.33333333, 0.6, 0.75],
  selu: [-1.6705687, -1.3658144, -0.69175819, 0, 0.52535049, 1.5760515, 3.152103],
  elu: [-0.95021293, -0.77686984, -0.39346934, 0, 0.5, 1.5, 3],
  gelu: [-0.0040496941, -0.1002108, -0.15426877, 0, 0.34573123, 1.3997892, 2.9959503],
  gelu_approximate: [-0.0036373921, -0.10042842, -0.15428599, 0, 0.34571401, 1.3995716, 2.9963626],
  silu: [-0.14227762, -0.27363829, -0.18877033, 0, 0.31122967, 1.2263617, 2.8577224],
  swish: [-0.14227762, -0.27363829, -0.18877033, 0, 0.31122967, 1.2263617, 2.8577224],
  hard_sigmoid: [0, 0.25, 0.41666667, 0.5, 0.58333333, 0.75, 1],
  hard_silu: [0, -0.375, -0.20833333, 0, 0.29166667, 1.125, 3],
  hard_swish: [0, -0.375, -0.20833333, 0, 0.29166667, 1.125, 3],
  mish: [-0.14564746, -0.29809974, -0.22074377, 0, 0.37524521, 1.4033783, 2.986535],
  leaky_relu: [-0.6, -0.3, -0.1, 0, 0.5, 1.5, 3],
  exponential: [0.049787068, 0.22313016, 0.60653066, 1, 1.6487213, 4.4816891, 20.085537],
  linear: [-3, -1.5, -0.5, 0, 0.5, 1.5, 3],
  softmax: [
    0.0017720722, 0.0079418766, 0.021588259, 0.035593021, 0.058682971, 0.15951685, 0.71490494,
  ],
  log_softmax: [
    -6.3356057, -4.8356057, -3.8356057, -3.3356057, -2.8356057, -1.8356057, -0.33560569,
  ],
};

describe('activations by Keras name', () => {
  for (const [name, expected] of Object.entries(TORCH)) {
    it(`${name} matches torch`, () => {
      tf.tidy(() => {
        const y = Array.from(
          activations
            .get(name)(tf.tensor2d([X]))
            .dataSync(),
        );
        y.forEach((v, i) => {
          expect(Math.abs(v - (expected[i] as number))).toBeLessThan(
            1e-5 + 1e-5 * Math.abs(expected[i] as number),
          );
        });
      });
    });
  }

  it('resolves camelCase and aliases, serializes to the Keras snake_case name, and round-trips', () => {
    expect(activations.get('hardSigmoid')).toBe(activations.get('hard_sigmoid'));
    expect(activations.serialize(activations.get('swish'))).toBe('silu');
    expect(activations.serialize(activations.get('hard_swish'))).toBe('hard_silu');
    expect(activations.serialize(activations.get('gelu_approximate'))).toBe('gelu_approximate');
    expect(activations.serialize(activations.get(null))).toBe('linear');
    for (const name of Object.keys(TORCH)) {
      const fn = activations.get(name);
      expect(activations.get(activations.serialize(fn))).toBe(fn);
    }
    expect(() => activations.get('relu7')).toThrow(
      /Unknown activation "relu7". Expected one of 'linear', 'relu'/,
    );
  });

  it('registers custom activations for configs', () => {
    const cube = (x: tf.Tensor) => tf.pow(x, 3);
    activations.registerActivation('cube', cube);
    expect(activations.get('cube')).toBe(cube);
    expect(activations.serialize(cube)).toBe('cube');
  });
});

describe('relu6 outside [0, 6]', () => {
  it('clips inputs above 6 to 6 and below 0 to 0, by name and directly', () => {
    // min(max(x, 0), 6), worked by hand.
    const x = [-1e6, -10, -0.1, 0, 3, 5.99, 6, 6.01, 7.5, 100, 1e6];
    const expected = [0, 0, 0, 0, 3, Math.fround(5.99), 6, 6, 6, 6, 6];
    tf.tidy(() => {
      const input = tf.tensor1d(x);
      expect(Array.from(activations.relu6(input).dataSync())).toEqual(expected);
      expect(Array.from(activations.get('relu6')(input).dataSync())).toEqual(expected);
    });
  });

  it('has gradient 1 strictly inside (0, 6) and 0 outside', () => {
    tf.tidy(() => {
      const g = tf.grad((x: tf.Tensor) => tf.sum(activations.relu6(x)))(
        tf.tensor1d([-2, 0.5, 3, 5.5, 6.5, 20]),
      );
      expect(Array.from(g.dataSync())).toEqual([0, 1, 1, 1, 0, 0]);
    });
  });
});
