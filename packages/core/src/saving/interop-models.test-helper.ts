/**
 * The models whose Cornu-written `.keras` archives Python Keras 3 must load
 * (scripts/interop/keras_reads_cornu.py); shared by the writer script and interop.test.ts.
 * Weights come from seeded initializers so every run builds the same model.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Input } from '../engine/input-layer.js';
import type { KerasTensor } from '../engine/keras-tensor.js';
import { Model } from '../engine/model.js';
import { resetNames } from '../engine/naming.js';
import { Sequential } from '../engine/sequential.js';
import * as layers from '../layers/index.js';
import '../training/trainer.js';
import { setRandomSeed } from '../utils/random.js';

export interface InteropModel {
  name: string;
  build(): Promise<Model>;
  inputs(): tf.Tensor | tf.Tensor[];
}

const normal = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

function start(seed: number): void {
  resetNames();
  setRandomSeed(seed);
}

export function interopModels(): InteropModel[] {
  return [
    {
      name: 'compiled_mlp',
      async build() {
        start(1);
        const model = new Sequential([
          new layers.Dense({
            units: 16,
            activation: 'relu',
            kernelRegularizer: 'l2',
            inputShape: [6],
          }),
          new layers.Dropout({ rate: 0.25 }),
          new layers.Dense({ units: 8, activation: 'tanh', useBias: false }),
          new layers.Dense({ units: 3, activation: 'softmax' }),
        ]);
        model.compile({
          optimizer: 'adam',
          loss: 'sparse_categorical_crossentropy',
          metrics: ['accuracy'],
        });
        const x = normal([32, 6], 11);
        const y = tf.tensor1d(
          Array.from({ length: 32 }, (_, i) => i % 3),
          'float32',
        );
        await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false });
        tf.dispose([x, y]);
        return model;
      },
      inputs: () => normal([4, 6], 12),
    },
    {
      name: 'conv_stack',
      async build() {
        start(2);
        const inputs = Input({ shape: [12, 12, 3] });
        let x = new layers.ZeroPadding2D({ padding: 1 }).apply(inputs);
        x = new layers.Conv2D({ filters: 4, kernelSize: 3, strides: 1, activation: 'relu' }).apply(
          x,
        );
        x = new layers.BatchNormalization({ momentum: 0.9, epsilon: 1e-3 }).apply(x);
        x = new layers.DepthwiseConv2D({
          kernelSize: 3,
          depthMultiplier: 2,
          padding: 'same',
        }).apply(x);
        x = new layers.SeparableConv2D({ filters: 5, kernelSize: 3, activation: 'elu' }).apply(x);
        x = new layers.MaxPooling2D({ poolSize: 2 }).apply(x);
        x = new layers.Conv2DTranspose({
          filters: 3,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
        }).apply(x);
        x = new layers.Cropping2D({
          cropping: [
            [1, 1],
            [2, 0],
          ],
        }).apply(x);
        x = new layers.UpSampling2D({ size: 2 }).apply(x);
        x = new layers.AveragePooling2D({ poolSize: 3, strides: 2 }).apply(x);
        x = new layers.GlobalAveragePooling2D().apply(x);
        const outputs = new layers.Dense({ units: 2 }).apply(x);
        const model = new Model({ inputs, outputs, name: 'conv_stack' });
        // Move the BatchNormalization statistics away from their initial values.
        const batch = normal([8, 12, 12, 3], 21);
        model.apply(batch, { training: true });
        batch.dispose();
        return model;
      },
      inputs: () => normal([2, 12, 12, 3], 22),
    },
    {
      name: 'two_in_two_out',
      async build() {
        start(3);
        const a = Input({ shape: [5], name: 'a' });
        const b = Input({ shape: [5], name: 'b' });
        const shared = new layers.Dense({ units: 5, activation: 'sigmoid', name: 'shared' });
        const sa = shared.apply(a);
        const sb = shared.apply(b);
        const sum = new layers.Add().apply([sa, sb]);
        const prod = new layers.Multiply().apply([sa, sb]);
        const diff = new layers.Subtract().apply([sa, sb]);
        const joined = new layers.Concatenate({ axis: -1 }).apply([sum, prod, diff]);
        const normed = new layers.LayerNormalization().apply(joined);
        const dot = new layers.Dot({ axes: 1, normalize: true }).apply([sa, sb]);
        const out1 = new layers.Dense({ units: 3, name: 'head_one' }).apply(normed);
        const out2 = new layers.Concatenate().apply([
          new layers.Maximum().apply([sa, sb]),
          new layers.Minimum().apply([sa, sb]),
          new layers.Average().apply([sa, sb]),
          dot,
        ]);
        return new Model({ inputs: [a, b], outputs: [out1, out2], name: 'two_in_two_out' });
      },
      inputs: () => [normal([3, 5], 31), normal([3, 5], 32)],
    },
    {
      name: 'masked_rnn',
      async build() {
        start(4);
        const inputs = Input({ shape: [7], dtype: 'int32' });
        let x = new layers.Embedding({ inputDim: 20, outputDim: 6, maskZero: true }).apply(inputs);
        x = new layers.LSTM({ units: 5, returnSequences: true }).apply(x);
        x = new layers.Bidirectional({
          layer: new layers.GRU({ units: 4, returnSequences: true }),
          mergeMode: 'concat',
        }).apply(x);
        x = new layers.TimeDistributed({ layer: new layers.Dense({ units: 3 }) }).apply(x);
        x = new layers.SimpleRNN({ units: 4 }).apply(x);
        const outputs = new layers.Dense({ units: 1 }).apply(x);
        return new Model({ inputs, outputs, name: 'masked_rnn' });
      },
      inputs: () =>
        tf.tensor2d(
          [
            [3, 7, 1, 9, 0, 0, 0],
            [12, 5, 5, 19, 2, 8, 4],
          ],
          [2, 7],
          'int32',
        ),
    },
    {
      name: 'attention_block',
      async build() {
        start(5);
        const inputs = Input({ shape: [6, 8] });
        const attended = new layers.MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([
          inputs,
          inputs,
        ]) as KerasTensor;
        let x = new layers.Add().apply([inputs, attended]);
        x = new layers.LayerNormalization({ epsilon: 1e-6 }).apply(x);
        x = new layers.EinsumDense({
          equation: 'abc,cd->abd',
          outputShape: [null, 12],
          biasAxes: 'd',
        }).apply(x);
        x = new layers.GroupNormalization({ groups: 3 }).apply(x);
        x = new layers.Conv1D({ filters: 4, kernelSize: 2 }).apply(x);
        x = new layers.MaxPooling1D({ poolSize: 2 }).apply(x);
        x = new layers.GlobalMaxPooling1D().apply(x);
        const outputs = new layers.Dense({ units: 2, activation: 'softmax' }).apply(x);
        return new Model({ inputs, outputs, name: 'attention_block' });
      },
      inputs: () => normal([2, 6, 8], 51),
    },
    {
      name: 'nested_and_reshaping',
      async build() {
        start(6);
        const inner = new Sequential({
          layers: [
            new layers.Flatten({ inputShape: [4, 3] }),
            new layers.Dense({ units: 6 }),
            new layers.PReLU(),
          ],
          name: 'inner',
        });
        const inputs = Input({ shape: [12] });
        let x = new layers.Reshape({ targetShape: [4, 3] }).apply(inputs);
        x = new layers.Permute({ dims: [2, 1] }).apply(x);
        x = new layers.Permute({ dims: [2, 1] }).apply(x);
        x = inner.apply(x);
        x = new layers.LeakyReLU({ negativeSlope: 0.2 }).apply(x);
        x = new layers.RepeatVector({ n: 2 }).apply(x);
        x = new layers.Flatten().apply(x);
        x = new layers.ReLU({ maxValue: 6 }).apply(x);
        x = new layers.UnitNormalization().apply(x);
        const outputs = new layers.Softmax().apply(x);
        return new Model({ inputs, outputs, name: 'nested_and_reshaping' });
      },
      inputs: () => normal([3, 12], 61),
    },
  ];
}
