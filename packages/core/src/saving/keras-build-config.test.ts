/**
 * Whether a built layer writes a `build_config` matches Keras 3.15 class by class: Keras writes
 * none for classes without their own build() (pooling, dropout, activations, Reshape, ...), and
 * one for the rest. Reference: every layer call recorded in test-fixtures/reference/keras-configs
 * (scripts/reference/keras_layer_configs.py), whose dicts Keras serialized after the call.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import type { Layer } from '../engine/layer.js';
import '../layers/index.js';
import { type Config, deserializeKerasObject, type KerasObjectDict } from './registry.js';

interface Case {
  id: string;
  dict: KerasObjectDict & { build_config?: Config };
  inputs?: { dtype: tf.DataType; shape: number[]; data: number[] | string[] }[];
}

const dir = new URL('../../test-fixtures/reference/keras-configs/', import.meta.url);
const cases: Case[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { cases: Case[] }).cases)
  // ConvLSTM2D channels_first is refused by Cornu (keras-layer-configs.test.ts checks the error).
  .filter((c) => c.inputs !== undefined && c.id !== 'conv_lstm2d_cf');

beforeAll(async () => {
  await ready();
});

describe('build_config presence after a call, as Keras writes it', () => {
  it('covers the recorded layers', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const { build_config: keras, ...unbuilt } = c.dict;
    const layer = deserializeKerasObject<Layer>(unbuilt as KerasObjectDict);
    const xs = (c.inputs ?? []).map((i) => tf.tensor(i.data as number[], i.shape, i.dtype));
    tf.dispose(layer.apply(xs.length === 1 ? (xs[0] as tf.Tensor) : xs) as tf.Tensor | tf.Tensor[]);
    const cornu = layer.getBuildConfig();
    expect(cornu === undefined).toBe(keras === undefined);
    tf.dispose(xs);
    layer.dispose();
  });
});
