/**
 * Cornu -> Python Keras 3: archives Cornu wrote (test-fixtures/saving/cornu-written) were loaded by
 * Keras 3.15 (jax backend) in scripts/interop/keras_reads_cornu.py, which stored Keras's
 * predictions. Here: (1) Keras's predictions equal Cornu's for the same archive, so the files mean
 * to Keras what they mean to Cornu; (2) Cornu today still writes the same config.json for the same
 * model, so the evidence stays about the current writer. Regenerate the archives with
 * `CORNU_INTEROP_OUT=<dir> npx vitest run src/saving/interop.test.ts`, then run the Python script.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import type { Model } from '../engine/model.js';
import { clearRandomSeed } from '../utils/random.js';
import { archiveConfig, tempDir } from './fixture-helpers.test-helper.js';
import { interopModels } from './interop-models.test-helper.js';
import { loadModel, saveModel } from './load-model.js';

const here = join(import.meta.dirname, '..', '..', 'test-fixtures', 'saving', 'cornu-written');
const out = process.env.CORNU_INTEROP_OUT;

interface Recorded {
  inputs: { shape: number[]; dtype: 'float32' | 'int32'; values: number[] }[];
  keras: { shape: number[]; values: number[] }[];
}

beforeAll(async () => {
  await ready();
});

const asList = (v: tf.Tensor | tf.Tensor[]) => (Array.isArray(v) ? v : [v]);

describe.each(interopModels())('$name', ({ name, build, inputs }) => {
  it('Keras 3 predicts what Cornu predicts from the archive Cornu wrote', async () => {
    const archive = join(here, `${name}.keras`);
    const recorded = JSON.parse(
      readFileSync(join(here, `${name}.keras-outputs.json`), 'utf8'),
    ) as Recorded;
    const model = (await loadModel(archive)) as Model;
    const xs = recorded.inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype));
    const before = tf.memory().numTensors;
    const ys = asList(
      (await model.predict(xs.length === 1 ? (xs[0] as tf.Tensor) : xs)) as tf.Tensor | tf.Tensor[],
    );
    expect(ys.length).toBe(recorded.keras.length);
    ys.forEach((y, k) => {
      const want = recorded.keras[k]!;
      expect(y.shape).toEqual(want.shape);
      const got = y.dataSync();
      let worst = 0;
      want.values.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - (got[i] as number)));
      });
      expect(worst).toBeLessThan(1e-5);
    });
    tf.dispose(ys);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(xs);
  });

  it('Cornu still writes the config Keras read', async () => {
    const model = await build();
    const path = join(tempDir(), `${name}.keras`);
    await saveModel(model, path);
    if (out) {
      mkdirSync(out, { recursive: true });
      await saveModel(model, join(out, `${name}.keras`));
      const x = asList(inputs());
      const y = asList(
        (await model.predict(x.length === 1 ? (x[0] as tf.Tensor) : x)) as tf.Tensor | tf.Tensor[],
      );
      const dump = (t: tf.Tensor) => ({
        shape: t.shape,
        dtype: t.dtype,
        values: Array.from(t.dataSync()),
      });
      writeFileSync(
        join(out, `${name}.inputs.json`),
        JSON.stringify({ inputs: x.map(dump), cornu: y.map(dump) }),
      );
      tf.dispose([...x, ...y]);
    }
    clearRandomSeed();
    expect(archiveConfig(path)).toEqual(archiveConfig(join(here, `${name}.keras`)));
  });
});

it('the recorded archives exist for every interop model', () => {
  for (const { name } of interopModels())
    expect(existsSync(join(here, `${name}.keras`))).toBe(true);
});
