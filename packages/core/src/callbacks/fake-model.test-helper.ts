import * as tf from '@tensorflow/tfjs-core';
import type { CallbackModel } from './callback.js';

/** A tiny stand-in for Cornu's Model: two weights, an optimizer with a learning rate and a slot. */
export function fakeModel(lr = 0.1): CallbackModel & {
  kernel: tf.Variable;
  saves: string[];
  slot: tf.Variable;
  dispose(): void;
} {
  const kernel = tf.variable(
    tf.tensor2d([
      [1, 2],
      [3, 4],
    ]),
  );
  const bias = tf.variable(tf.tensor1d([0.5, -0.5]));
  const iterations = tf.variable(tf.scalar(0, 'int32'), false);
  const slot = tf.variable(tf.zeros([2, 2]), false);
  const saves: string[] = [];
  const optimizer = { learningRate: lr as number | unknown, variables: () => [iterations, slot] };
  return {
    kernel,
    slot,
    saves,
    stopTraining: false,
    optimizer,
    weights: [
      { path: 'dense/kernel', read: () => kernel },
      { path: 'dense/bias', read: () => bias },
    ],
    getWeights: () => [tf.clone(kernel), tf.clone(bias)],
    setWeights: (values: tf.Tensor[]) => {
      kernel.assign(values[0] as tf.Tensor2D);
      bias.assign(values[1] as tf.Tensor1D);
    },
    saveWeights: async (path: string) => {
      saves.push(path);
    },
    save: async (path: string) => {
      saves.push(path);
    },
    dispose: () => tf.dispose([kernel, bias, iterations, slot]),
  };
}
