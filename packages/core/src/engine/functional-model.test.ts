import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { MultiHeadAttention } from '../layers/attention/multi-head-attention.js';
import { Conv2D } from '../layers/convolution/conv2d.js';
import { Dense } from '../layers/core/dense.js';
import { Embedding } from '../layers/core/embedding.js';
import { Add } from '../layers/merging/add.js';
import { Concatenate } from '../layers/merging/concatenate.js';
import { MaxPooling2D } from '../layers/pooling/max-pooling2d.js';
import { Dropout } from '../layers/regularization/dropout.js';
import { Flatten } from '../layers/reshaping/flatten.js';
import { GRU } from '../layers/rnn/gru.js';
import { LSTM } from '../layers/rnn/lstm.js';
import { Input } from './input-layer.js';
import type { KerasTensor } from './keras-tensor.js';
import { getMask } from './mask.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

beforeAll(async () => {
  await ready();
});

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);

describe('parameter counts match Keras', () => {
  it('the Keras MNIST convnet example has 34,826 parameters', () => {
    const model = new Sequential([
      Input({ shape: [28, 28, 1] }).node?.layer as never,
      new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
      new MaxPooling2D({ poolSize: 2 }),
      new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
      new MaxPooling2D({ poolSize: 2 }),
      new Flatten(),
      new Dropout({ rate: 0.5 }),
      new Dense({ units: 10, activation: 'softmax' }),
    ]);
    expect(model.countParams()).toBe(34826);
    expect(model.outputs[0]?.shape).toEqual([null, 10]);
    let text = '';
    model.summary((t) => {
      text = t;
    });
    expect(text).toContain('Total params: 34,826');
    model.dispose();
  });

  it('LSTM(32) on 16 features has 6,272 and GRU(32) (reset_after) 4,800; Dense counts', () => {
    const inputs = Input({ shape: [10, 16] });
    const lstm = new LSTM({ units: 32 });
    const gru = new GRU({ units: 32 });
    lstm.apply(inputs);
    gru.apply(inputs);
    expect(lstm.countParams()).toBe(6272);
    expect(gru.countParams()).toBe(4800);
    const gruBefore = new GRU({ units: 32, resetAfter: false });
    gruBefore.apply(inputs);
    expect(gruBefore.countParams()).toBe(3 * (16 * 32 + 32 * 32 + 32));
    [lstm, gru, gruBefore].forEach((l) => {
      l.dispose();
    });
  });
});

describe('Functional models', () => {
  it('multiple inputs and outputs, a shared layer called on two inputs, named outputs', () => {
    const a = Input({ shape: [4], name: 'a' });
    const b = Input({ shape: [4], name: 'b' });
    const shared = new Dense({ units: 3, name: 'shared' });
    const ha = shared.apply(a);
    const hb = shared.apply(b);
    expect(shared.inboundNodes.length).toBe(2);
    const sum = new Add({ name: 'sum' }).apply([ha, hb]);
    const cls = new Dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(sum);
    const reg = new Dense({ units: 1, name: 'reg' }).apply(
      new Concatenate({ name: 'cat' }).apply([ha, hb]),
    );
    const model = new Model({ inputs: [a, b], outputs: [cls, reg], name: 'two_heads' });
    expect(model.inputNames).toEqual(['a', 'b']);
    expect(model.outputNames).toEqual(['cls', 'reg']);
    expect(model.countParams()).toBe(4 * 3 + 3 + 3 * 2 + 2 + 6 * 1 + 1);
    expect(model.getLayer('shared')).toBe(shared);
    const xa = tf.randomNormal([3, 4], 0, 1, 'float32', 1);
    const xb = tf.randomNormal([3, 4], 0, 1, 'float32', 2);
    tf.dispose(model.apply([xa, xb]));
    const before = tf.memory().numTensors;
    const [yc, yr] = model.apply([xa, xb]) as tf.Tensor[];
    expect(yc?.shape).toEqual([3, 2]);
    expect(yr?.shape).toEqual([3, 1]);
    // Independent path: the same layers called eagerly one by one.
    tf.tidy(() => {
      const ea = shared.apply(xa);
      const eb = shared.apply(xb);
      const expectedReg = (model.getLayer('reg') as Dense).apply(tf.concat([ea, eb], 1));
      expect(maxDiff(yr as tf.Tensor, expectedReg)).toBeLessThan(1e-6);
      expect(
        maxDiff(yc as tf.Tensor, (model.getLayer('cls') as Dense).apply(tf.add(ea, eb))),
      ).toBeLessThan(1e-6);
    });
    tf.dispose([yc as tf.Tensor, yr as tf.Tensor]);
    expect(tf.memory().numTensors).toBe(before);
    let text = '';
    model.summary((t) => {
      text = t;
    });
    expect(text).toContain('Connected to');
    expect(text).toContain('a[0][0]');
    tf.dispose([xa, xb]);
    model.dispose();
  });

  it('a model used as a layer inside another model (Functional and Sequential), sharing its weights', () => {
    const inner = new Sequential({
      layers: [
        new Dense({ units: 3, inputShape: [5], activation: 'tanh' }),
        new Dense({ units: 2 }),
      ],
      name: 'encoder',
    });
    const x = Input({ shape: [5] });
    const encoded = inner.apply(x);
    expect(encoded.shape).toEqual([null, 2]);
    const outer = new Model({
      inputs: x,
      outputs: new Dense({ units: 1, name: 'out' }).apply(encoded),
    });
    expect(outer.layers.map((l) => l.name)).toContain('encoder');
    expect(outer.countParams()).toBe(5 * 3 + 3 + 3 * 2 + 2 + 2 + 1);
    expect(outer.weights.slice(0, 4)).toEqual(inner.weights);
    const data = tf.randomNormal([4, 5], 0, 1, 'float32', 3);
    tf.tidy(() => {
      const direct = (outer.getLayer('out') as Dense).apply(inner.apply(data));
      expect(maxDiff(outer.apply(data), direct)).toBeLessThan(1e-6);
    });
    inner.trainable = false;
    expect(outer.trainableWeights.length).toBe(2);
    inner.trainable = true;
    const stack = new Sequential([inner, new Dense({ units: 1 })]);
    tf.tidy(() => {
      expect(stack.apply(data).shape).toEqual([4, 1]);
    });
    data.dispose();
    outer.dispose();
  });

  it('round-trips its Keras config with a nested Sequential, a nested Functional model and a shared layer', () => {
    const innerSeq = new Sequential({
      layers: [new Dense({ units: 3, inputShape: [4] })],
      name: 'inner_seq',
    });
    const innerIn = Input({ shape: [3] });
    const innerFn = new Model({
      inputs: innerIn,
      outputs: new Dense({ units: 2, name: 'inner_dense' }).apply(innerIn),
      name: 'inner_fn',
    });
    const a = Input({ shape: [4], name: 'in_a' });
    const b = Input({ shape: [4], name: 'in_b' });
    const ea = innerSeq.apply(a);
    const eb = innerSeq.apply(b);
    const out = innerFn.apply(new Add({ name: 'merge' }).apply([ea, eb]));
    const model = new Model({ inputs: [a, b], outputs: out, name: 'outer' });
    const config = JSON.parse(JSON.stringify(model.getConfig()));
    const classes = (config.layers as { class_name: string }[]).map((l) => l.class_name);
    expect(classes).toEqual(['InputLayer', 'InputLayer', 'Sequential', 'Add', 'Functional']);
    const seqEntry = (config.layers as { name: string; inbound_nodes: unknown[] }[]).find(
      (l) => l.name === 'inner_seq',
    );
    expect(seqEntry?.inbound_nodes.length).toBe(2);
    const rebuilt = Model.fromConfig(config);
    expect(rebuilt.countParams()).toBe(model.countParams());
    rebuilt.setWeights(model.getWeights());
    tf.tidy(() => {
      const xa = tf.randomNormal([2, 4], 0, 1, 'float32', 8);
      const xb = tf.randomNormal([2, 4], 0, 1, 'float32', 9);
      expect(
        maxDiff(rebuilt.apply([xa, xb]) as tf.Tensor, model.apply([xa, xb]) as tf.Tensor),
      ).toBe(0);
    });
    expect(JSON.parse(JSON.stringify(rebuilt.getConfig()))).toEqual(config);
    model.dispose();
    rebuilt.dispose();
  });

  it('graph errors: inputs not from Input(), disconnected graphs, duplicate layer names', () => {
    const x = Input({ shape: [3], name: 'x_in' });
    const y = new Dense({ units: 2 }).apply(x);
    expect(() => new Model({ inputs: y, outputs: y })).toThrow(
      /inputs\[0\] .* must come from Input\(\)/,
    );
    const other = Input({ shape: [3], name: 'other_in' });
    const z = new Add().apply([y, new Dense({ units: 2 }).apply(other)]);
    expect(() => new Model({ inputs: x, outputs: z })).toThrow(
      /graph disconnected: cannot obtain the value of input 'other_in'/,
    );
    const d1 = new Dense({ units: 2, name: 'dup' }).apply(x);
    const d2 = new Dense({ units: 2, name: 'dup' }).apply(d1);
    expect(() => new Model({ inputs: x, outputs: d2 })).toThrow(
      /layer names must be unique within a model; 'dup'/,
    );
  });

  it('shape errors name the layer, the expected and the received shape', () => {
    const dense = new Dense({ units: 2, name: 'fixed' });
    dense.apply(Input({ shape: [4] }));
    expect(() => dense.apply(Input({ shape: [5] }))).toThrow(/fixed.*4.*\[null, 5\]/);
    const conv = new Conv2D({ filters: 2, kernelSize: 3, name: 'conv_rank' });
    expect(() => conv.apply(Input({ shape: [8, 3] }))).toThrow(
      /Conv2D 'conv_rank'.*4.*\[null, 8, 3\]/,
    );
    const lstm = new LSTM({ units: 2, name: 'lstm_rank' });
    expect(() => lstm.apply(Input({ shape: [8] }))).toThrow(
      /LSTM 'lstm_rank'.*rank >= 3.*\[null, 8\]/,
    );
  });
});

describe('Sequential', () => {
  it('add, pop and deferred build', () => {
    const model = new Sequential({ name: 'seq' });
    model.add(new Dense({ units: 4, activation: 'relu' }));
    model.add(new Dense({ units: 3 }));
    expect(model.built).toBe(false);
    expect(() => model.countParams()).toThrow(/not built/);
    model.build([null, 6]);
    expect(model.built).toBe(true);
    expect(model.countParams()).toBe(6 * 4 + 4 + 4 * 3 + 3);
    expect(model.outputs[0]?.shape).toEqual([null, 3]);
    const popped = model.pop();
    expect(popped.name).toBeDefined();
    expect(model.layers.length).toBe(1);
    expect(model.outputs[0]?.shape).toEqual([null, 4]);
    model.add(new Dense({ units: 1 }));
    expect(model.outputs[0]?.shape).toEqual([null, 1]);
    expect(model.countParams()).toBe(6 * 4 + 4 + 4 + 1);
    tf.tidy(() => {
      expect(model.apply(tf.ones([2, 6])).shape).toEqual([2, 1]);
    });
    expect(() => model.add(new Dense({ units: 1, name: model.layers[0]?.name }))).toThrow(
      /unique names/,
    );
    const deferred = new Sequential([new Dense({ units: 2 })]);
    tf.tidy(() => {
      expect(deferred.apply(tf.ones([3, 7])).shape).toEqual([3, 2]);
    });
    expect(deferred.built).toBe(true);
    expect(deferred.countParams()).toBe(7 * 2 + 2);
    // Round trip through the Keras config.
    const rebuilt = Sequential.fromConfig(JSON.parse(JSON.stringify(model.getConfig())));
    expect(rebuilt.countParams()).toBe(model.countParams());
    popped.dispose();
    model.dispose();
    deferred.dispose();
    rebuilt.dispose();
  });
});

describe('masks from Embedding({ maskZero }) reach recurrent and attention layers', () => {
  const padded = () => tf.tensor2d([[3, 1, 2, 0, 0]], [1, 5], 'int32');
  const trimmed = () => tf.tensor2d([[3, 1, 2]], [1, 3], 'int32');

  it('LSTM: eagerly and through a Functional graph, padding changes nothing', () => {
    const embed = new Embedding({ inputDim: 5, outputDim: 4, maskZero: true });
    const lstm = new LSTM({ units: 3 });
    const ids = Input({ shape: [null], dtype: 'int32' });
    const e = embed.apply(ids);
    expect(e.mask?.shape).toEqual([null, null]);
    const model = new Model({ inputs: ids, outputs: lstm.apply(e) });
    tf.tidy(() => {
      const reference = lstm.apply(embed.apply(trimmed()));
      const eager = lstm.apply(embed.apply(padded()));
      expect(maxDiff(eager, reference)).toBeLessThan(1e-6);
      expect(maxDiff(model.apply(padded()), reference)).toBeLessThan(1e-6);
      // Without the mask the padded steps do change the result.
      const unmasked = new Model({
        inputs: ids,
        outputs: lstm.apply(
          new Embedding({ inputDim: 5, outputDim: 4, embeddingsInitializer: 'ones' }).apply(ids),
        ),
      });
      expect(unmasked.apply(padded()).shape).toEqual([1, 3]);
    });
    const x = padded();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) tf.dispose(model.apply(x));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('MultiHeadAttention: padded keys are ignored and the query mask is passed on', () => {
    const embed = new Embedding({ inputDim: 5, outputDim: 4, maskZero: true });
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const ids = Input({ shape: [null], dtype: 'int32' });
    const e = embed.apply(ids);
    const attended = mha.apply([e, e]) as KerasTensor;
    expect(attended.mask?.shape).toEqual([null, null]);
    const model = new Model({ inputs: ids, outputs: attended });
    tf.tidy(() => {
      const reference = mha.apply([embed.apply(trimmed()), embed.apply(trimmed())]) as tf.Tensor;
      const full = model.apply(padded());
      expect(maxDiff(tf.slice(full, [0, 0, 0], [1, 3, 4]), reference)).toBeLessThan(1e-5);
      expect(getMask(full)?.arraySync()).toEqual([[1, 1, 1, 0, 0]]);
    });
    model.dispose();
  });
});
