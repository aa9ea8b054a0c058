import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { Dense } from '../layers/core/dense.js';
import { MultiHeadAttention } from '../layers/attention/multi-head-attention.js';
import { Bidirectional } from '../layers/rnn/bidirectional.js';
import { GRU } from '../layers/rnn/gru.js';
import { LSTM } from '../layers/rnn/lstm.js';
import { TimeDistributed } from '../layers/rnn/time-distributed.js';
import { Adam } from '../optimizers/adam.js';
import { Input } from './input-layer.js';
import { Layer } from './layer.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

/** Keras 3.15.1's `variable.path`s, written by scripts/reference/variable_paths.py. */
const reference = JSON.parse(
  readFileSync(
    new URL('../../test-fixtures/reference/core/variable-paths.json', import.meta.url),
    'utf8',
  ),
) as { cases: Record<string, string[]> };

beforeAll(async () => {
  await ready();
});

const paths = (weights: { path: string }[]): string[] => weights.map((w) => w.path);

class Block extends Layer {
  static override readonly className = 'Block';
  inner = new Dense({ units: 2, name: 'inner' });
  override call(x: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return this.inner.apply(x as tf.Tensor);
  }
}

class Net extends Model {
  static override readonly className = 'Net';
  hidden = new Dense({ units: 4, name: 'hidden' });
  head = new Dense({ units: 1, name: 'head' });
  override call(x: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return this.head.apply(this.hidden.apply(x as tf.Tensor));
  }
}

/** Each case builds what scripts/reference/variable_paths.py builds in Keras, under the same names. */
const cases: Record<string, () => { path: string }[]> = {
  'sequential built by build()': () => {
    const m = new Sequential({
      layers: [new Dense({ units: 3, name: 'd1' }), new Dense({ units: 2, name: 'd2' })],
      name: 'seq_lazy',
    });
    m.build([null, 4]);
    return m.weights;
  },
  'sequential with an Input': () =>
    new Sequential({
      layers: [Input({ shape: [4] }), new Dense({ units: 3, name: 'd1' })],
      name: 'seq_input',
    }).weights,
  'adam slots of the sequential with an Input': () => {
    const m = new Sequential({
      layers: [Input({ shape: [4] }), new Dense({ units: 3, name: 'd1' })],
      name: 'seq_input',
    });
    const adam = new Adam({ name: 'adam' });
    adam.build(m.trainableWeights);
    return adam.variablesWithPaths();
  },
  'sequential built by a call': () => {
    const m = new Sequential({ layers: [new Dense({ units: 3, name: 'd1' })], name: 'seq_called' });
    tf.dispose(m.apply(tf.ones([1, 4])));
    return m.weights;
  },
  'multi-head attention': () => {
    const x = Input({ shape: [3, 8] });
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' });
    mha.apply([x, x]);
    return mha.weights;
  },
  'functional model': () => {
    const input = Input({ shape: [4] });
    const h = new Dense({ units: 3, name: 'fd1' }).apply(input);
    const output = new Dense({ units: 2, name: 'fd2' }).apply(h);
    return new Model({ inputs: input, outputs: output, name: 'functional' }).weights;
  },
  'layer building a sublayer in its call': () => {
    const b = new Block({ name: 'blk' });
    tf.dispose(b.apply(tf.ones([1, 3])));
    return b.weights;
  },
  'subclassed model': () => {
    const n = new Net({ name: 'net' });
    tf.dispose(n.apply(tf.ones([1, 3])));
    return n.weights;
  },
  lstm: () => {
    const lstm = new LSTM({ units: 2, name: 'lstm' });
    tf.dispose(lstm.apply(tf.ones([1, 2, 3])));
    return lstm.weights;
  },
  'bidirectional gru': () => {
    const bi = new Bidirectional({ layer: new GRU({ units: 2, name: 'gru' }), name: 'bi' });
    tf.dispose(bi.apply(tf.ones([1, 2, 3])));
    return bi.weights;
  },
  'time distributed': () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2, name: 'inner' }), name: 'td' });
    tf.dispose(td.apply(tf.ones([1, 2, 3])));
    return td.weights;
  },
};

describe('weight paths (Keras name scopes)', () => {
  it('covers every case of the Keras reference', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(reference.cases).sort());
  });

  for (const [name, expected] of Object.entries(reference.cases)) {
    it(`${name}: the same paths as Keras`, () => {
      expect(paths((cases[name] as () => { path: string }[])())).toEqual(expected);
    });
  }

  it('closes the scope when a build throws, so later paths are not prefixed', () => {
    class Failing extends Layer {
      static override readonly className = 'Failing';
      override build(): void {
        throw new Error('no build');
      }
    }
    expect(() => new Failing({ name: 'failing' }).apply(tf.ones([1, 2]))).toThrow('no build');
    const d = new Dense({ units: 1, name: 'after' });
    tf.dispose(d.apply(tf.ones([1, 2])));
    expect(paths(d.weights)).toEqual(['after/kernel', 'after/bias']);
  });
});
