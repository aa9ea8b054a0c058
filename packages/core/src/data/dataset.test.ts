import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { clearRandomSeed, setRandomSeed } from '../utils/random.js';
import { Dataset } from './dataset.js';

beforeAll(async () => {
  await ready();
});
afterEach(() => clearRandomSeed());

/** Consumes a dataset into plain arrays, disposing every element. */
async function collect(ds: Dataset): Promise<unknown[]> {
  const out: unknown[] = [];
  await ds.forEachAsync((x) => {
    out.push(JSON.parse(JSON.stringify(x, (_, v) => (v instanceof tf.Tensor ? v.arraySync() : v))));
  });
  return out;
}

describe('data.Dataset', () => {
  it('fromTensorSlices + batch (with and without the remainder) and no leaked tensors', async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
    ]);
    const before = tf.memory().numTensors;
    const ds = Dataset.fromTensorSlices([x, [0, 1, 0, 1, 1]]);
    expect(await collect(ds.batch(2))).toEqual([
      [
        [
          [1, 2],
          [3, 4],
        ],
        [0, 1],
      ],
      [
        [
          [5, 6],
          [7, 8],
        ],
        [0, 1],
      ],
      [[[9, 10]], [1]],
    ]);
    expect(await collect(ds.batch(2, { dropRemainder: true }))).toHaveLength(2);
    ds.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('records of tensors, map, filter, take, skip, unbatch', async () => {
    const before = tf.memory().numTensors;
    const ds = Dataset.fromTensorSlices({ a: [1, 2, 3, 4, 5, 6], b: [10, 20, 30, 40, 50, 60] });
    const mapped = ds
      .map(({ a, b }) => ({ sum: tf.add(a!, b!) }))
      .filter(({ sum }) => (sum as tf.Tensor).dataSync()[0]! % 2 === 0)
      .skip(1)
      .take(2);
    expect(await collect(mapped)).toEqual([{ sum: 44 }, { sum: 66 }]);
    expect(await collect(ds.batch(4).unbatch().take(2))).toEqual([
      { a: 1, b: 10 },
      { a: 2, b: 20 },
    ]);
    ds.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('shuffle is a seeded permutation, reshuffled on each pass, reproducible with setRandomSeed', async () => {
    const values = Array.from({ length: 50 }, (_, i) => i);
    const ds = Dataset.fromTensorSlices(values);
    const shuffled = ds.shuffle(50, { seed: 3 });
    const first = (await collect(shuffled)) as number[];
    const second = (await collect(shuffled)) as number[];
    expect([...first].sort((a, b) => a - b)).toEqual(values);
    expect(first).not.toEqual(values);
    expect(second).not.toEqual(first);
    expect(await collect(ds.shuffle(50, { seed: 3 }))).toEqual(first);
    expect(
      await collect(ds.shuffle(50, { seed: 3, reshuffleEachIteration: false }).repeat(2)),
    ).toHaveLength(100);
    setRandomSeed(9);
    const a = await collect(ds.shuffle(10));
    setRandomSeed(9);
    expect(await collect(ds.shuffle(10))).toEqual(a);
    // A small buffer only moves elements a bounded distance forward.
    const local = (await collect(ds.shuffle(3, { seed: 1 }))) as number[];
    for (const [i, v] of local.entries()) expect(v).toBeLessThanOrEqual(i + 3);
    ds.dispose();
  });

  it('fromGenerator (sync and async), repeat, zip, concatenate', async () => {
    const before = tf.memory().numTensors;
    const gen = Dataset.fromGenerator(function* () {
      for (let i = 0; i < 3; i++) yield tf.scalar(i);
    });
    const agen = Dataset.fromGenerator(async function* () {
      for (let i = 0; i < 5; i++) yield [tf.scalar(i * 10), i] as [tf.Tensor, number];
    });
    expect(await collect(gen.repeat(2))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(await collect(Dataset.zip([gen, agen]))).toEqual([
      [0, [0, 0]],
      [1, [10, 1]],
      [2, [20, 2]],
    ]);
    expect(await collect(Dataset.zip({ g: gen, h: gen.map((t) => tf.mul(t, 2)) }).take(1))).toEqual(
      [{ g: 0, h: 0 }],
    );
    expect(await collect(gen.concatenate(gen.map((t) => tf.neg(t))))).toEqual([0, 1, 2, 0, -1, -2]);
    expect(await collect(agen.batch(2))).toEqual([
      [
        [0, 10],
        [0, 1],
      ],
      [
        [20, 30],
        [2, 3],
      ],
      [[40], [4]],
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cache replays the first pass without calling the generator again; prefetch keeps order', async () => {
    let calls = 0;
    const ds = Dataset.fromGenerator(function* () {
      calls++;
      for (let i = 0; i < 4; i++) yield tf.scalar(i);
    }).cache();
    expect(await collect(ds)).toEqual([0, 1, 2, 3]);
    expect(await collect(ds)).toEqual([0, 1, 2, 3]);
    expect(calls).toBe(1);
    const slow = Dataset.fromGenerator(async function* () {
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 1));
        yield tf.scalar(i);
      }
    });
    expect(await collect(slow.prefetch(3).batch(4))).toEqual([
      [0, 1, 2, 3],
      [4, 5],
    ]);
    const before = tf.memory().numTensors;
    ds.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it('streams: an infinite generator with take never materialises the whole set', async () => {
    let produced = 0;
    const infinite = Dataset.fromGenerator(function* () {
      for (;;) {
        produced++;
        yield tf.scalar(produced);
      }
    });
    expect(await collect(infinite.batch(3).take(2))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(produced).toBeLessThanOrEqual(7);
  });

  it('names bad arguments', () => {
    expect(() => Dataset.fromTensorSlices([tf.zeros([3]), tf.zeros([4])])).toThrow(
      /same first dimension\. Received sizes 3, 4/,
    );
    const ds = Dataset.fromTensorSlices([1, 2]);
    expect(() => ds.batch(0)).toThrow(
      /batchSize must be a positive integer\. Received: batchSize=0/,
    );
    expect(() => ds.shuffle(-1)).toThrow(/bufferSize must be a positive integer/);
    ds.dispose();
  });
});
