/**
 * Keras 3 -> Cornu -> Keras 3: each archive Keras 3.16 wrote (test-fixtures/saving/keras3) is
 * loaded and saved again by Cornu, and the new config.json must equal Keras's, key for key, but for
 * three things Keras writes that Cornu does not reproduce, each compared by rule below:
 *  - `shared_object_id`: Keras's bookkeeping for one object referenced twice (here the model's
 *    dtype policy and some RNN initializers), which Keras itself resolves on load; Cornu writes
 *    each object in place.
 *  - an inbound node's `mask: null` kwarg: Keras 3.16 records an explicit null mask for layers
 *    whose call takes one; Cornu omits null kwargs (Keras reads both the same).
 *  - `compile_config.jit_compile`: Keras records whether XLA compiled the step; Cornu writes false.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import '../layers/index.js';
import { archiveConfig, fixture, tempDir } from './fixture-helpers.test-helper.js';
import { loadModel, saveModel } from './load-model.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keras's config with the three documented differences normalized away. */
function normalized(value: Json, key = ''): Json {
  if (Array.isArray(value)) return value.map((v) => normalized(v));
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'shared_object_id') continue;
    if (key === 'kwargs' && k === 'mask' && v === null) continue;
    if (key === 'compile_config' && k === 'jit_compile') {
      out[k] = false;
      continue;
    }
    out[k] = normalized(v, k);
  }
  return out;
}

beforeAll(async () => {
  await ready();
});

describe('Keras 3 config.json survives a Cornu load and save unchanged', () => {
  it.each([
    'sequential_mlp',
    'functional_cnn',
    'two_in_two_out',
    'rnn_masked',
    'transformer_block',
    'compiled_adam_mlp',
  ])('%s', async (stem) => {
    const source = fixture('keras3', `${stem}.keras`);
    const model = await loadModel(source);
    const out = join(tempDir(), `${stem}.keras`);
    await saveModel(model, out);
    expect(archiveConfig<Json>(out)).toEqual(normalized(archiveConfig<Json>(source)));
    model.dispose();
  });
});
