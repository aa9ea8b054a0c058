import { backend, KerasTensor, layers, saving, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeAll, rectangleBatch } from '../test-helpers.js';
import { Rescaling } from './rescaling.js';

beforeAll(async () => {
  await backend.ready();
});

describe('Rescaling', () => {
  // Not runLayerTest: its registry check wants the Keras name 'Rescaling' to map to this class,
  // but that name stays core's (core's harness covers the layer itself).
  it('computes x * scale + offset, eagerly and symbolically, and round-trips its config', () => {
    const layer = new Rescaling({ scale: 1 / 127.5, offset: -1 });
    const x = tf.tensor4d([0, 51, 127.5, 255], [1, 2, 2, 1]);
    const y = layer.apply(x);
    expect(Array.from(y.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([-1, -0.6, 0, 1]);
    const symbolic = layer.apply(new KerasTensor([null, 5, 6, 3]));
    expect(symbolic).toBeInstanceOf(KerasTensor);
    expect(symbolic.shape).toEqual([null, 5, 6, 3]);
    const rebuilt = Rescaling.fromConfig(JSON.parse(JSON.stringify(layer.getConfig())));
    expect(rebuilt).toBeInstanceOf(Rescaling);
    expect(rebuilt.getConfig()).toEqual(layer.getConfig());
    tf.dispose([x, y]);
  });

  it('takes an augmentation record: rescales the images, passes the rest through as new tensors', () => {
    const { inputs } = rectangleBatch(3, 10, 12, 2);
    const layer = new Rescaling({ scale: 1 / 255 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const out = layer.apply(inputs, { training: true });
      const expected = tf.tidy(() => tf.div(inputs.images, 255));
      expect(Array.from(out.images.dataSync())).toEqual(Array.from(expected.dataSync()));
      for (const key of ['boxes', 'labels', 'segmentationMasks'] as const) {
        expect(out[key]).not.toBe(inputs[key]);
        expect(out[key]?.arraySync()).toEqual(inputs[key].arraySync());
        expect(out[key]?.dtype).toBe(inputs[key].dtype);
      }
      expected.dispose();
      disposeAll(out);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeAll(inputs);
  });

  it("rebuilds as this class from its own dict, and core's dict still gives core's layer", () => {
    const dict = JSON.parse(
      JSON.stringify(saving.serializeKerasObject(new Rescaling({ scale: 2, offset: 1 }))),
    );
    expect(saving.deserializeKerasObject(dict)).toBeInstanceOf(Rescaling);
    const core = saving.serializeKerasObject(new layers.Rescaling({ scale: 2 }));
    const rebuilt = saving.deserializeKerasObject(JSON.parse(JSON.stringify(core)));
    expect(rebuilt).toBeInstanceOf(layers.Rescaling);
    expect(rebuilt).not.toBeInstanceOf(Rescaling);
  });
});
