import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { NonNeg } from '../constraints/norms.js';
import { ValueError } from '../errors/errors.js';
import { Constant } from '../initializers/constant.js';
import { ReLU } from '../layers/activation/relu.js';
import { PReLU } from '../layers/activation/prelu.js';
import { MultiHeadAttention } from '../layers/attention/multi-head-attention.js';
import { Conv2D } from '../layers/convolution/conv2d.js';
import { Conv2DTranspose } from '../layers/convolution/conv2d-transpose.js';
import { Dense } from '../layers/core/dense.js';
import { GlobalAveragePooling2D } from '../layers/pooling/global-average-pooling2d.js';
import { LSTM } from '../layers/rnn/lstm.js';
import { SGD } from '../optimizers/index.js';
import { L2 } from '../regularizers/penalties.js';
import { Input } from './input-layer.js';
import { Layer, type LayerArgs } from './layer.js';
import type { LayerVariable } from './layer-variable.js';
import { Model } from './model.js';
import { resetNames, toSnakeCase } from './naming.js';
import { Sequential } from './sequential.js';

beforeAll(async () => {
  await ready();
});

// Names are a module-wide counter and vitest shares modules between files (isolate: false).
beforeEach(() => {
  resetNames();
});

describe('automatic layer names', () => {
  it('numbers layers of one class like Keras: dense, dense_1, dense_2', () => {
    expect(
      [new Dense({ units: 1 }), new Dense({ units: 1 }), new Dense({ units: 1 })].map(
        (l) => l.name,
      ),
    ).toEqual(['dense', 'dense_1', 'dense_2']);
  });

  it('keeps one counter per snake_case base, independent of other classes', () => {
    const a = new Dense({ units: 1 });
    const c = new Conv2D({ filters: 1, kernelSize: 1 });
    const b = new Dense({ units: 1 });
    const d = new Conv2D({ filters: 1, kernelSize: 1 });
    expect([a.name, b.name, c.name, d.name]).toEqual(['dense', 'dense_1', 'conv2d', 'conv2d_1']);
  });

  it("derives the base with Keras's to_snake_case (hand-applied regexes)", () => {
    // (.)([A-Z][a-z]+) -> \1_\2, then ([a-z])([A-Z]) -> \1_\2, then lower case.
    expect(toSnakeCase('GlobalAveragePooling2D')).toBe('global_average_pooling2d');
    expect(toSnakeCase('Conv2DTranspose')).toBe('conv2d_transpose');
    expect(toSnakeCase('LSTM')).toBe('lstm');
    expect(toSnakeCase('ReLU')).toBe('re_lu');
    expect(toSnakeCase('PReLU')).toBe('p_re_lu');
    expect(toSnakeCase('MultiHeadAttention')).toBe('multi_head_attention');
    expect(new GlobalAveragePooling2D().name).toBe('global_average_pooling2d');
    expect(new Conv2DTranspose({ filters: 1, kernelSize: 1 }).name).toBe('conv2d_transpose');
    expect(new LSTM({ units: 1 }).name).toBe('lstm');
    expect(new ReLU().name).toBe('re_lu');
    expect(new PReLU().name).toBe('p_re_lu');
    expect(new MultiHeadAttention({ numHeads: 1, keyDim: 1 }).name).toBe('multi_head_attention');
  });

  it('names user subclasses after their JS class name', () => {
    class MyBlock extends Layer {}
    class MyBlock2 extends Layer {
      constructor(args: LayerArgs = {}) {
        super(args);
      }
    }
    expect([new MyBlock().name, new MyBlock().name, new MyBlock2().name]).toEqual([
      'my_block',
      'my_block_1',
      'my_block2',
    ]);
  });

  it('does not spend a number on an explicit name', () => {
    const named = new Dense({ units: 1, name: 'head' });
    const auto = new Dense({ units: 1 });
    expect([named.name, auto.name]).toEqual(['head', 'dense']);
  });

  it('names inputs, Sequential and Functional models as Keras 3 does', () => {
    const inputs = Input({ shape: [2] });
    const outputs = new Dense({ units: 1 }).apply(inputs);
    const functional = new Model({ inputs, outputs });
    const seq1 = new Sequential();
    const seq2 = new Sequential();
    expect(functional.layers.map((l) => l.name)).toEqual(['input_layer', 'dense']);
    expect(functional.name).toBe('functional');
    expect([seq1.name, seq2.name]).toEqual(['sequential', 'sequential_1']);
    functional.dispose();
  });

  it('starts again from the bare name after resetNames()', () => {
    new Dense({ units: 1 });
    expect(new Dense({ units: 1 }).name).toBe('dense_1');
    resetNames();
    expect(new Dense({ units: 1 }).name).toBe('dense');
  });
});

/** A layer exercising every addWeight option. */
class Probe extends Layer {
  kernel!: LayerVariable;
  bias!: LayerVariable;
  counter!: LayerVariable;
  moving!: LayerVariable;
  override build(inputShape: (number | null)[]): void {
    const n = inputShape.at(-1) as number;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [n, 2],
      initializer: new Constant({ value: -0.5 }),
      regularizer: new L2({ l2: 0.1 }),
      constraint: 'non_neg',
    });
    this.bias = this.addWeight({
      name: 'bias',
      shape: [2],
      initializer: 'ones',
      regularizer: 'l1',
    });
    this.counter = this.addWeight({ name: 'counter', shape: [], dtype: 'int32', trainable: false });
    this.moving = this.addWeight({
      name: 'moving',
      shape: [2],
      initializer: 'zeros',
      regularizer: 'l2',
      trainable: false,
    });
  }
  override call(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x, this.kernel.read()), this.bias.read());
  }
}

describe('Layer.addWeight', () => {
  it('creates weights with the given shape, dtype, initializer, path and trainability', () => {
    const layer = new Probe({ name: 'probe' });
    layer.maybeBuild([null, 3]);
    expect(layer.weights.map((w) => w.path)).toEqual([
      'probe/kernel',
      'probe/bias',
      'probe/counter',
      'probe/moving',
    ]);
    expect(layer.trainableWeights.map((w) => w.name)).toEqual(['kernel', 'bias']);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual(['counter', 'moving']);
    expect(layer.kernel.shape).toEqual([3, 2]);
    expect(layer.kernel.dtype).toBe('float32');
    expect(Array.from(layer.kernel.read().dataSync())).toEqual([
      -0.5, -0.5, -0.5, -0.5, -0.5, -0.5,
    ]);
    expect(Array.from(layer.bias.read().dataSync())).toEqual([1, 1]);
    // A non-float weight defaults to zeros.
    expect(layer.counter.dtype).toBe('int32');
    expect(layer.counter.shape).toEqual([]);
    expect(layer.counter.read().dataSync()[0]).toBe(0);
    expect(layer.moving.trainable).toBe(false);
    expect(layer.moving.value.trainable).toBe(false);
    expect(layer.kernel.value.trainable).toBe(true);
    expect(layer.countParams()).toBe(6 + 2 + 1 + 2);
    layer.dispose();
  });

  it('defaults float weights to glorot_uniform: within +-sqrt(6 / (fanIn + fanOut)), not constant', () => {
    class Plain extends Layer {
      w!: LayerVariable;
      override build(): void {
        this.w = this.addWeight({ name: 'w', shape: [40, 24] });
      }
    }
    const layer = new Plain();
    layer.maybeBuild([null, 40]);
    const values = Array.from(layer.w.read().dataSync());
    const limit = Math.sqrt(6 / (40 + 24));
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(limit);
    layer.dispose();
  });

  it('adds regularization penalties of trainable weights only to layer.losses', () => {
    const layer = new Probe();
    layer.maybeBuild([null, 3]);
    // kernel: 0.1 * 6 * 0.25 = 0.15; bias (l1, 0.01 default): 0.01 * 2 = 0.02.
    // moving is non-trainable, so its l2 penalty is not counted (Keras 3 regularizes trainable_weights).
    const values = tf.tidy(() => layer.losses.map((l) => l.dataSync()[0]));
    expect(values).toHaveLength(2);
    expect(values[0]).toBeCloseTo(0.15, 6);
    expect(values[1]).toBeCloseTo(0.02, 6);
    layer.trainable = false;
    expect(layer.trainableWeights).toEqual([]);
    expect(layer.nonTrainableWeights).toHaveLength(4);
    expect(layer.losses).toEqual([]);
    layer.dispose();
  });

  it('attaches the constraint, which the optimizer applies after an update', () => {
    const layer = new Probe();
    layer.maybeBuild([null, 1]);
    expect(layer.kernel.constraint).toBeInstanceOf(NonNeg);
    expect(layer.bias.constraint).toBeUndefined();
    // kernel [-0.5, -0.5] with gradient [-1, 2] and lr 1: [0.5, -2.5], projected by non_neg to [0.5, 0].
    const opt = new SGD({ learningRate: 1 });
    const g = tf.tensor2d([[-1, 2]]);
    opt.applyGradients([g], [layer.kernel]);
    const [k0, k1] = Array.from(layer.kernel.read().dataSync());
    expect(k0).toBe(0.5);
    expect(k1 === 0).toBe(true); // -0 or +0: Keras's w * (w >= 0) gives -0 too
    g.dispose();
    opt.dispose();
    layer.dispose();
  });

  it('rejects a shape that is not fully known, naming the layer, weight and shape', () => {
    class Bad extends Layer {
      override build(): void {
        this.addWeight({ name: 'kernel', shape: [2, -1] });
      }
    }
    const layer = new Bad({ name: 'bad' });
    expect(() => layer.maybeBuild([null, 2])).toThrow(ValueError);
    expect(() => layer.maybeBuild([null, 2])).toThrow(
      "Bad 'bad': weight 'kernel' needs a fully known shape, received shape [2, -1].",
    );
  });

  it('frees every weight on dispose, with no tensors left over from building', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const layer = new Probe();
      layer.maybeBuild([null, 4]);
      const x = tf.ones([2, 4]);
      const y = layer.apply(x) as tf.Tensor;
      tf.dispose([x, y, ...layer.losses]);
      layer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
