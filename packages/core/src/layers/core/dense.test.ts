import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { Input } from '../../engine/input-layer.js';
import { Model } from '../../engine/model.js';
import { checkGradientsNumerically } from '../../testing/check-gradients.js';
import { runLayerTest } from '../../testing/run-layer-test.js';
import { expectClose, type Nested } from '../normalization/fixtures.js';
import { Dense } from './dense.js';

/**
 * test-fixtures/reference/core/dense.json, written by scripts/reference/dense.py (torch.nn.Linear,
 * float64). Weights are in torch's layout, (units, inputDim); Keras's kernel is its transpose.
 */
interface DenseFixture {
  cases: {
    name: string;
    x: Nested;
    weight: Nested;
    bias: number[] | null;
    outputs: Record<string, Nested>;
  }[];
  gradient: {
    x: Nested;
    weight: Nested;
    bias: number[];
    c: Nested;
    loss: number;
    dx: Nested;
    dweight: Nested;
    dbias: number[];
  };
}

const fixture = JSON.parse(
  readFileSync(
    new URL('../../../test-fixtures/reference/core/dense.json', import.meta.url),
    'utf8',
  ),
) as DenseFixture;

beforeAll(async () => {
  await ready();
});

describe('Dense', () => {
  it('passes the layer harness (rank 2 and rank 3 inputs)', () => {
    runLayerTest(Dense, {
      initArgs: { units: 3, activation: 'relu', kernelRegularizer: 'l2' },
      inputShape: [2, 4],
      expectedOutputShape: [2, 3],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      expectedNumLosses: 1,
      supportsMasking: true,
    });
    runLayerTest(Dense, {
      initArgs: { units: 5, useBias: false },
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 5],
      expectedNumTrainableWeights: 1,
      expectedNumNonTrainableWeights: 0,
    });
  });

  it('computes activation(x W + b) as worked by hand', () => {
    const dense = new Dense({
      units: 2,
      activation: 'relu',
      kernelInitializer: 'ones',
      biasInitializer: 'zeros',
    });
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, -2, -3],
    ]);
    const y = dense.apply(x);
    // Kernel [[1, 2], [3, 4], [5, 6]], bias [0.5, -10]:
    // row 0: [1+6+15+0.5, 2+8+18-10] = [22.5, 18]; row 1: relu([-22+0.5, -28-10]) = [0, 0].
    dense.setWeights([tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([0.5, -10])]);
    const y2 = dense.apply(x);
    expect(Array.from(y.dataSync())).toEqual([6, 6, 0, 0]);
    expect(Array.from(y2.dataSync())).toEqual([22.5, 18, 0, 0]);
    tf.dispose([x, y, y2]);
    dense.dispose();
  });

  it('has gradients that match finite differences', () => {
    const dense = new Dense({ units: 3, activation: 'tanh' });
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 3);
    const results = checkGradientsNumerically(dense, x);
    expect(results.length).toBe(6 + 3);
    x.dispose();
    dense.dispose();
  });

  it('names the layer, the expected and the received shape on a mismatch', () => {
    const dense = new Dense({ units: 2, name: 'dense_shape_check' });
    const a = tf.ones([1, 4]);
    const b = tf.ones([1, 5]);
    dense.apply(a).dispose();
    expect(() => dense.apply(b)).toThrow(
      "Dense 'dense_shape_check': expected input with last dimension 4, received shape [1, 5].",
    );
    const inputs = Input({ shape: [5] });
    expect(() => dense.apply(inputs)).toThrow(
      /expected input with last dimension 4, received shape \[null, 5\]/,
    );
    expect(() => new Dense({ units: 0 })).toThrow(
      /units must be a positive integer\. Received: units=0/,
    );
    expect(() => dense.apply(tf.scalar(1))).toThrow(
      /expected input with rank >= 2, received shape \[\]/,
    );
    tf.dispose([a, b]);
    dense.dispose();
  });

  it('reads a Keras 3 config (DTypePolicy dict) and writes the same keys back', () => {
    // From two_in_two_out.keras (Keras 3.16): layers[2].config.
    const kerasConfig = {
      name: 'shared_dense',
      trainable: true,
      dtype: {
        module: 'keras',
        class_name: 'DTypePolicy',
        config: { name: 'float32' },
        registered_name: null,
      },
      units: 5,
      activation: 'tanh',
      use_bias: true,
      kernel_initializer: {
        module: 'keras.initializers',
        class_name: 'GlorotUniform',
        config: { seed: null, input_axes: null, output_axes: null },
        registered_name: null,
      },
      bias_initializer: {
        module: 'keras.initializers',
        class_name: 'Zeros',
        config: {},
        registered_name: null,
      },
      kernel_regularizer: null,
      bias_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      quantization_config: null,
    };
    const dense = Dense.fromConfig(kerasConfig);
    expect(dense.units).toBe(5);
    const config = dense.getConfig();
    expect(Object.keys(config)).toEqual(Object.keys(kerasConfig));
    expect(config.kernel_initializer).toEqual(kerasConfig.kernel_initializer);
    expect(Dense.fromConfig({ ...kerasConfig, dtype: 'float32' }).getConfig()).toEqual(config);
    const int8 = { module: 'keras.quantizers', class_name: 'Int8QuantizationConfig', config: {} };
    expect(() => Dense.fromConfig({ ...kerasConfig, quantization_config: int8 })).toThrow(
      /quantized layers are not supported; expected quantizationConfig=null, received \{"module":"keras.quantizers"/,
    );
  });

  it('counts parameters like Keras for a Dense-only model', () => {
    const inputs = Input({ shape: [784] });
    const h = new Dense({ units: 64, activation: 'relu' }).apply(inputs);
    const h2 = new Dense({ units: 64, activation: 'relu' }).apply(h);
    const outputs = new Dense({ units: 10 }).apply(h2);
    const model = new Model({ inputs, outputs });
    // Keras's functional API guide: 55,050 parameters.
    expect(model.countParams()).toBe(55050);
    model.dispose();
  });

  describe('agrees with an independent NumPy reference given the same weights', () => {
    it('has the expected reference cases', () => {
      expect(fixture.cases.map((c) => c.name)).toEqual([
        'rank2_bias',
        'rank3_no_bias',
        'rank4_bias',
      ]);
      expect(Object.keys(fixture.cases[0]?.outputs ?? {})).toHaveLength(7);
    });

    for (const c of fixture.cases) {
      for (const activation of Object.keys(c.outputs)) {
        it(`${c.name}, activation '${activation}', to 1e-5`, () => {
          const before = tf.memory().numTensors;
          const kernel = tf.tidy(() => tf.transpose(tf.tensor(c.weight as number[])));
          const units = kernel.shape[1] as number;
          const dense = new Dense({ units, activation, useBias: c.bias !== null });
          const x = tf.tensor(c.x as number[]);
          dense.maybeBuild(x.shape);
          const weights = c.bias === null ? [kernel] : [kernel, tf.tensor1d(c.bias)];
          dense.setWeights(weights);
          const y = dense.apply(x) as tf.Tensor;
          expect(y.shape).toEqual([...x.shape.slice(0, -1), units]);
          expectClose(y, c.outputs[activation] as Nested);
          tf.dispose([x, y, ...weights]);
          dense.dispose();
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    }

    it("gives torch autograd's gradients of sum(c * tanh(x W + b)) for x, kernel and bias", () => {
      const g = fixture.gradient;
      const dense = new Dense({ units: 2, activation: 'tanh' });
      const x = tf.tensor(g.x as number[]);
      const c = tf.tensor(g.c as number[]);
      dense.maybeBuild(x.shape);
      const weights = [
        tf.tidy(() => tf.transpose(tf.tensor(g.weight as number[]))),
        tf.tensor1d(g.bias),
      ];
      dense.setWeights(weights);
      const kernel = (dense.kernel as NonNullable<typeof dense.kernel>).value;
      const bias = (dense.bias as NonNullable<typeof dense.bias>).value;
      const loss = (input: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(c, dense.apply(input) as tf.Tensor));
      const { value, grads } = tf.variableGrads(() => loss(x), [kernel, bias]);
      const dx = tf.grad(loss)(x);
      expect(value.dataSync()[0]).toBeCloseTo(g.loss, 5);
      // torch's weight gradient is (units, inputDim): the kernel's, transposed
      const dkernel = tf.transpose(grads[kernel.name] as tf.Tensor);
      expectClose(dkernel, g.dweight);
      expectClose(grads[bias.name] as tf.Tensor, g.dbias);
      expectClose(dx, g.dx);
      tf.dispose([x, c, value, dx, dkernel, ...Object.values(grads), ...weights]);
      dense.dispose();
    });
  });
});
