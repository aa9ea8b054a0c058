/**
 * Every layer with weights, once built, rejects an input its weights do not fit - eagerly and on
 * a symbolic `Input` - with a `ValueError` that names the layer class and name, what it expected
 * and the received shape (not a raw tfjs kernel error), through the layer's `inputSpec` or, for
 * inputs that must agree with each other (attention), the same `assertInputCompatibility`.
 *
 * Not listed: Embedding (any integer indices fit its table), the lookup and encoding
 * preprocessing layers (their tables are indexed by value, not by shape).
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import type { Shape } from '../engine/input-spec.js';
import { Input } from '../engine/input-layer.js';
import type { Layer } from '../engine/layer.js';
import { formatShape } from '../engine/naming.js';
import { ValueError } from '../errors/errors.js';
import * as layers from './index.js';

beforeAll(async () => {
  await ready();
});

interface ShapeErrorCase {
  name: string;
  make: () => Layer;
  /** Shape(s) the layer is built on, batch included (the batch is free in the symbolic check). */
  built: Shape | Shape[];
  /** The offending shape(s). */
  wrong: Shape | Shape[];
  /** The expectation the message states, and which wrong input it is about (default 0). */
  expected: string;
  about?: number;
}

const lstm = () => new layers.LSTM({ units: 3 });
const mhaArgs = { numHeads: 2, keyDim: 2 };

const cases: ShapeErrorCase[] = [
  {
    name: 'Dense',
    make: () => new layers.Dense({ units: 3 }),
    built: [2, 4],
    wrong: [2, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'EinsumDense (ab,bc->ac)',
    make: () => new layers.EinsumDense({ equation: 'ab,bc->ac', outputShape: 3, biasAxes: 'c' }),
    built: [2, 4],
    wrong: [2, 5],
    expected: 'input with dimension 4 at axis 1',
  },
  {
    name: 'EinsumDense (...b,bc->...c)',
    make: () => new layers.EinsumDense({ equation: '...b,bc->...c', outputShape: 3 }),
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'PReLU',
    make: () => new layers.PReLU(),
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with dimension 4 at axis 2',
  },
  {
    name: 'Conv1D',
    make: () => new layers.Conv1D({ filters: 2, kernelSize: 2 }),
    built: [2, 5, 4],
    wrong: [2, 5, 3],
    expected: 'input with dimension 4 at axis 2',
  },
  {
    name: 'Conv2D',
    make: () => new layers.Conv2D({ filters: 2, kernelSize: 2 }),
    built: [2, 5, 5, 4],
    wrong: [2, 5, 5, 3],
    expected: 'input with dimension 4 at axis 3',
  },
  {
    name: 'Conv3D',
    make: () => new layers.Conv3D({ filters: 2, kernelSize: 2 }),
    built: [1, 3, 3, 3, 2],
    wrong: [1, 3, 3, 3, 3],
    expected: 'input with dimension 2 at axis 4',
  },
  {
    name: 'Conv1DTranspose',
    make: () => new layers.Conv1DTranspose({ filters: 2, kernelSize: 2 }),
    built: [2, 5, 4],
    wrong: [2, 5, 3],
    expected: 'input with dimension 4 at axis 2',
  },
  {
    name: 'Conv2DTranspose',
    make: () => new layers.Conv2DTranspose({ filters: 2, kernelSize: 2 }),
    built: [2, 3, 3, 4],
    wrong: [2, 3, 3, 3],
    expected: 'input with dimension 4 at axis 3',
  },
  {
    name: 'Conv3DTranspose',
    make: () => new layers.Conv3DTranspose({ filters: 2, kernelSize: 2 }),
    built: [1, 2, 2, 2, 2],
    wrong: [1, 2, 2, 2, 3],
    expected: 'input with dimension 2 at axis 4',
  },
  {
    name: 'DepthwiseConv1D',
    make: () => new layers.DepthwiseConv1D({ kernelSize: 2 }),
    built: [2, 5, 4],
    wrong: [2, 5, 3],
    expected: 'input with dimension 4 at axis 2',
  },
  {
    name: 'DepthwiseConv2D',
    make: () => new layers.DepthwiseConv2D({ kernelSize: 2 }),
    built: [2, 4, 4, 4],
    wrong: [2, 4, 4, 3],
    expected: 'input with dimension 4 at axis 3',
  },
  {
    name: 'SeparableConv1D',
    make: () => new layers.SeparableConv1D({ filters: 2, kernelSize: 2 }),
    built: [2, 5, 4],
    wrong: [2, 5, 3],
    expected: 'input with dimension 4 at axis 2',
  },
  {
    name: 'SeparableConv2D',
    make: () => new layers.SeparableConv2D({ filters: 2, kernelSize: 2 }),
    built: [2, 4, 4, 4],
    wrong: [2, 4, 4, 3],
    expected: 'input with dimension 4 at axis 3',
  },
  {
    name: 'BatchNormalization',
    make: () => new layers.BatchNormalization(),
    built: [2, 4],
    wrong: [2, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'LayerNormalization',
    make: () => new layers.LayerNormalization(),
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with dimension 4 at axis 2',
  },
  {
    name: 'GroupNormalization',
    make: () => new layers.GroupNormalization({ groups: 2 }),
    built: [2, 3, 4],
    wrong: [2, 3, 6],
    expected: 'input with last dimension 4',
  },
  {
    name: 'RMSNormalization',
    make: () => new layers.RMSNormalization(),
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'Normalization (preprocessing)',
    make: () => new layers.Normalization(),
    built: [2, 4],
    wrong: [2, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'SimpleRNN',
    make: () => new layers.SimpleRNN({ units: 3 }),
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'LSTM',
    make: lstm,
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'LSTM (rank 2 after building)',
    make: lstm,
    built: [2, 3, 4],
    wrong: [2, 4],
    expected: 'input with rank >= 3',
  },
  {
    name: 'GRU',
    make: () => new layers.GRU({ units: 3 }),
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'RNN (stacked cells)',
    make: () =>
      new layers.RNN({
        cell: [new layers.SimpleRNNCell({ units: 3 }), new layers.GRUCell({ units: 2 })],
      }),
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'SimpleRNNCell',
    make: () => new layers.SimpleRNNCell({ units: 3 }),
    built: [2, 4],
    wrong: [2, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'LSTMCell',
    make: () => new layers.LSTMCell({ units: 3 }),
    built: [2, 4],
    wrong: [2, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'GRUCell',
    make: () => new layers.GRUCell({ units: 3 }),
    built: [2, 4],
    wrong: [2, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'Bidirectional',
    make: () => new layers.Bidirectional({ layer: new layers.LSTM({ units: 2 }) }),
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'TimeDistributed (Dense)',
    make: () => new layers.TimeDistributed({ layer: new layers.Dense({ units: 2 }) }),
    built: [2, 3, 4],
    wrong: [2, 3, 5],
    expected: 'input with last dimension 4',
  },
  {
    name: 'TimeDistributed (Conv2D)',
    make: () =>
      new layers.TimeDistributed({ layer: new layers.Conv2D({ filters: 2, kernelSize: 2 }) }),
    built: [1, 2, 3, 3, 2],
    wrong: [1, 2, 3, 3, 3],
    expected: 'input with dimension 2 at axis 4',
  },
  {
    name: 'ConvLSTM1D',
    make: () => new layers.ConvLSTM1D({ filters: 2, kernelSize: 2 }),
    built: [1, 2, 4, 3],
    wrong: [1, 2, 4, 2],
    expected: 'input with last dimension 3',
  },
  {
    name: 'ConvLSTM2D',
    make: () => new layers.ConvLSTM2D({ filters: 2, kernelSize: 2 }),
    built: [1, 2, 3, 3, 2],
    wrong: [1, 2, 3, 3, 3],
    expected: 'input with last dimension 2',
  },
  {
    name: 'ConvLSTM3D',
    make: () => new layers.ConvLSTM3D({ filters: 1, kernelSize: 2 }),
    built: [1, 2, 2, 2, 2, 1],
    wrong: [1, 2, 2, 2, 2, 2],
    expected: 'input with last dimension 1',
  },
  {
    name: 'Attention (query and value dims differ)',
    make: () => new layers.Attention({ useScale: true }),
    built: [
      [2, 3, 4],
      [2, 5, 4],
    ],
    wrong: [
      [2, 3, 4],
      [2, 5, 6],
    ],
    expected: 'value with last dimension 4',
    about: 1,
  },
  {
    name: 'Attention (key and value steps differ)',
    make: () => new layers.Attention({ useScale: true }),
    built: [
      [2, 3, 4],
      [2, 5, 4],
    ],
    wrong: [
      [2, 3, 4],
      [2, 5, 4],
      [2, 6, 4],
    ],
    expected: 'value with dimension 6 at axis 1',
    about: 1,
  },
  {
    name: 'AdditiveAttention (built scale)',
    make: () => new layers.AdditiveAttention(),
    built: [
      [2, 3, 4],
      [2, 5, 4],
    ],
    wrong: [
      [2, 3, 6],
      [2, 5, 6],
    ],
    expected: 'query with last dimension 4',
  },
  {
    name: 'MultiHeadAttention (query dim)',
    make: () => new layers.MultiHeadAttention(mhaArgs),
    built: [
      [2, 3, 4],
      [2, 5, 4],
    ],
    wrong: [
      [2, 3, 5],
      [2, 5, 4],
    ],
    expected: 'query with last dimension 4',
  },
  {
    name: 'MultiHeadAttention (value dim)',
    make: () => new layers.MultiHeadAttention(mhaArgs),
    built: [
      [2, 3, 4],
      [2, 5, 6],
    ],
    wrong: [
      [2, 3, 4],
      [2, 5, 4],
    ],
    expected: 'value with last dimension 6',
    about: 1,
  },
  {
    name: 'MultiHeadAttention (query rank)',
    make: () => new layers.MultiHeadAttention(mhaArgs),
    built: [
      [2, 3, 4],
      [2, 5, 4],
    ],
    wrong: [
      [2, 3, 3, 4],
      [2, 5, 4],
    ],
    expected: 'query with rank 3',
  },
  {
    name: 'GroupedQueryAttention',
    make: () =>
      new layers.GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1 }),
    built: [
      [2, 3, 4],
      [2, 3, 4],
    ],
    wrong: [
      [2, 3, 4],
      [2, 3, 5],
    ],
    expected: 'value with last dimension 4',
    about: 1,
  },
];

const isList = (s: Shape | Shape[]): s is Shape[] => Array.isArray(s[0]);
const shapes = (s: Shape | Shape[]): Shape[] => (isList(s) ? s : [s]);

function tensors(s: Shape | Shape[]): tf.Tensor | tf.Tensor[] {
  const made = shapes(s).map((shape, i) =>
    tf.randomNormal(shape as number[], 0, 1, 'float32', 3 + i),
  );
  return isList(s) ? made : (made[0] as tf.Tensor);
}

function inputs(s: Shape | Shape[]) {
  const made = shapes(s).map((shape) => Input({ shape: shape.slice(1) }));
  return isList(s) ? made : made[0];
}

function message(layer: Layer, c: ShapeErrorCase, batch: number | null): string {
  const wrong = shapes(c.wrong)[c.about ?? 0] as Shape;
  const received = formatShape([batch, ...wrong.slice(1)]);
  return `${layer.className} '${layer.name}': expected ${c.expected}, received shape ${received}.`;
}

function expectShapeError(run: () => unknown, text: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ValueError);
  expect((thrown as Error).message).toBe(text);
}

describe('weighted layers reapplied to a shape their weights do not fit', () => {
  for (const c of cases) {
    it(`${c.name}: eagerly`, () => {
      const start = tf.memory().numTensors;
      const layer = c.make();
      const good = tensors(c.built);
      tf.dispose(layer.apply(good) as tf.Tensor | tf.Tensor[]);
      const bad = tensors(c.wrong);
      const batch = (shapes(c.wrong)[c.about ?? 0] as Shape)[0] as number;
      expectShapeError(() => layer.apply(bad), message(layer, c, batch));
      tf.dispose([good, bad]);
      layer.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });

    it(`${c.name}: symbolically`, () => {
      const start = tf.memory().numTensors;
      const layer = c.make();
      layer.apply(inputs(c.built) as never);
      expectShapeError(() => layer.apply(inputs(c.wrong) as never), message(layer, c, null));
      layer.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
  }
});
