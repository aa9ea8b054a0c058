/**
 * The hypermodel of the parallel model-tuner test, imported by each worker thread (and directly
 * for the serial run). Seeded initializers and no shuffling make every trial deterministic; each
 * build appends its thread id to $CORNU_TEST_THREAD_LOG so the test can see the threads.
 */
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { initializers, layers, optimizers, Sequential } from '@cornu/core';
import type { HyperParameters } from '../src/engine/hyperparameters.js';

export function hypermodel(hp: HyperParameters) {
  const units = hp.Int('units', 8, 32, { step: 8 });
  const learningRate = hp.Choice('learning_rate', [0.003, 0.01, 0.03]);
  const log = process.env.CORNU_TEST_THREAD_LOG;
  if (log) appendFileSync(log, `${threadId}\n`);
  const model = new Sequential([
    new layers.Dense({
      units,
      activation: 'relu',
      inputShape: [64],
      kernelInitializer: new initializers.GlorotUniform({ seed: 11 }),
    }),
    new layers.Dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: new initializers.GlorotUniform({ seed: 12 }),
    }),
  ]);
  model.compile({
    optimizer: new optimizers.Adam({ learningRate }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return model;
}
