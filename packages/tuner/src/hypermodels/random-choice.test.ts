import { backend, layers, saving, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomChoice } from './random-choice.js';

beforeAll(async () => {
  await backend.ready();
});

// Three transforms whose outputs tell them apart: x + 10, x + 20, x + 30.
const shift = (by: number, name: string) =>
  new layers.Lambda({ function: (t) => tf.add(t as tf.Tensor, by), name });
const candidates = () => [shift(10, 'plus10'), shift(20, 'plus20'), shift(30, 'plus30')];

describe('RandomChoice', () => {
  it('gives every sample exactly one candidate, about equally often, in training only', () => {
    const layer = new RandomChoice({ layers: candidates(), seed: 7 });
    const n = 3000;
    const x = tf.zeros([n, 2, 2, 1]);
    const before = tf.memory().numTensors;
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const values = y.dataSync();
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const sample = values.slice(i * 4, i * 4 + 4);
      // the whole sample comes from one candidate
      expect(new Set(sample).size).toBe(1);
      counts.set(sample[0] as number, (counts.get(sample[0] as number) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([10, 20, 30]);
    // Binomial(3000, 1/3): sd 25.8; 4 sd either side of 1000
    for (const c of counts.values()) expect(Math.abs(c - n / 3)).toBeLessThan(104);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const inference = layer.apply(x) as tf.Tensor;
    expect(Array.from(inference.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose([inference, x]);
  });

  it('repeats its choices for the same seed and differs for another', () => {
    const x = tf.zeros([64, 1, 1, 1]);
    const run = (seed: number) => {
      const y = new RandomChoice({ layers: candidates(), seed }).apply(x, {
        training: true,
      }) as tf.Tensor;
      const out = Array.from(y.dataSync());
      y.dispose();
      return out;
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
    x.dispose();
  });

  it('round-trips its config with the candidate layers', () => {
    const layer = new RandomChoice({
      layers: [new layers.Dropout({ rate: 0.5 })],
      seed: 2,
      name: 'pick',
    });
    const dict = saving.serializeKerasObject(layer);
    expect(dict.registered_name).toBe('cornu_tuner>RandomChoice');
    const back = saving.deserializeKerasObject<RandomChoice>(dict);
    expect(back).toBeInstanceOf(RandomChoice);
    expect(back.getConfig()).toEqual(layer.getConfig());
  });

  it('names the argument when given no layers', () => {
    expect(() => new RandomChoice({ layers: [] })).toThrow(
      /RandomChoice: layers must be a non-empty array of layers\. Received: an array of 0\./,
    );
  });
});
