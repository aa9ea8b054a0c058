/**
 * A small model search used by the model-tuner SIGKILL resume test: run as a script it searches in
 * `argv[2]` and appends a line per training start and per epoch to `argv[3]`.
 */
import { appendFileSync } from 'node:fs';
import {
  backend,
  type CompileArgs,
  callbacks,
  datasets,
  layers,
  type Model,
  optimizers,
  Sequential,
  tf,
} from '@cornu/core';
import { RandomSearch } from '../src/tuners/random-search.js';

export const EPOCHS = 6;

export async function loadData(): Promise<[tf.Tensor, tf.Tensor]> {
  await backend.ready();
  const [[xa, ya]] = await datasets.digits.loadData();
  const x = tf.tidy(() => tf.slice(tf.div(tf.reshape(xa, [-1, 64]), 16), [0, 0], [400, 64]));
  const y = tf.tidy(() => tf.cast(tf.slice(ya, [0], [400]), 'float32'));
  tf.dispose([xa, ya]);
  return [x, y];
}

export function makeTuner(directory: string): RandomSearch {
  return new RandomSearch({
    hypermodel: (hp): Model => {
      const model = new Sequential({
        layers: [
          new layers.Dense({
            units: hp.Choice('units', [8, 16, 24, 32]),
            activation: 'relu',
            inputShape: [64],
          }),
          new layers.Dense({ units: 10, activation: 'softmax' }),
        ],
      });
      (model as unknown as { compile(args: CompileArgs): void }).compile({
        optimizer: new optimizers.Adam({ learningRate: 0.01 }),
        loss: 'sparseCategoricalCrossentropy',
        metrics: ['accuracy'],
      });
      return model;
    },
    objective: 'loss',
    maxTrials: 3,
    seed: 9,
    directory,
    projectName: 'model_resume',
    verbose: false,
  });
}

export function logger(log: string, delayMs: number): callbacks.Callback {
  return new callbacks.LambdaCallback({
    onTrainBegin: async () => appendFileSync(log, 'train\n'),
    onEpochBegin: async (epoch) => appendFileSync(log, `epoch ${epoch}\n`),
    onEpochEnd: async () => {
      const until = Date.now() + delayMs;
      while (Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  });
}

if (process.argv[2] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [x, y] = await loadData();
  await makeTuner(process.argv[2]).search(x, y, {
    epochs: EPOCHS,
    batchSize: 100,
    callbacks: [logger(process.argv[3]!, 100)],
  });
}
