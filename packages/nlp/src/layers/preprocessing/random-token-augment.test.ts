import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomDeletion, RandomSwap } from './random-token-augment.js';

beforeAll(async () => {
  await backend.ready();
});

const words = ['the', 'quick', 'brown', 'fox', 'jumped'];

describe('RandomDeletion', () => {
  it('rate 0 keeps everything, rate 1 deletes every token not skipped (hand-derived)', () => {
    expect(new RandomDeletion({ rate: 0, seed: 1 }).augment(words)).toEqual(words);
    const all = new RandomDeletion({
      rate: 1,
      skipList: ['quick'],
      skipFn: (t) => t === 'fox',
      seed: 1,
    });
    expect(all.augment(words)).toEqual(['quick', 'fox']);
    expect(all.augment([[1, 2], [3]])).toEqual([[], []]);
  });

  it('caps deletions at maxDeletions, keeps order, and follows its seed', () => {
    const d = new RandomDeletion({ rate: 1, maxDeletions: 2, seed: 7 });
    const out = d.augment(words);
    expect(out).toHaveLength(3);
    // The survivors are a subsequence of the input.
    let at = 0;
    for (const w of out) at = words.indexOf(w, at) + 1;
    expect(at).toBeGreaterThan(0);
    const again = new RandomDeletion({ rate: 1, maxDeletions: 2, seed: 7 }).augment(words);
    expect(again).toEqual(out);
    // Deletions are Binomial(n, rate): 10000 tokens at rate 0.3 lose 3000 +- 46 (sd).
    const many = Array.from({ length: 10000 }, (_, i) => i);
    const left = new RandomDeletion({ rate: 0.3, seed: 11 }).augment(many).length;
    expect(10000 - left).toBeGreaterThan(3000 - 200);
    expect(10000 - left).toBeLessThan(3000 + 200);
  });

  it('is a layer on a rank-1 string tensor; config round trip', () => {
    const d = new RandomDeletion({ rate: 1, skipList: ['fox'], seed: 2, name: 'drop' });
    const x = tf.tensor1d(words, 'string');
    const y = d.apply(x);
    expect(y.arraySync()).toEqual(['fox']);
    tf.dispose([x, y]);
    const config = d.getConfig();
    expect(config).toMatchObject({
      name: 'drop',
      rate: 1,
      skip_list: ['fox'],
      max_deletions: null,
      seed: 2,
    });
    expect(RandomDeletion.fromConfig(config).getConfig()).toEqual(config);
    expect(() => new RandomDeletion({ rate: 1.5 })).toThrow(/rate must be in \[0, 1\]/);
  });
});

describe('RandomSwap', () => {
  it('with two eligible tokens, one swap exchanges them and two swaps restore them (hand-derived)', () => {
    const one = new RandomSwap({
      rate: 1,
      maxSwaps: 1,
      skipList: ['quick', 'brown', 'fox'],
      seed: 3,
    });
    expect(one.augment(words)).toEqual(['jumped', 'quick', 'brown', 'fox', 'the']);
    const two = new RandomSwap({
      rate: 1,
      maxSwaps: 2,
      skipList: ['quick', 'brown', 'fox'],
      seed: 3,
    });
    expect(two.augment(words)).toEqual(words);
    expect(new RandomSwap({ rate: 0, seed: 3 }).augment(words)).toEqual(words);
    expect(new RandomSwap({ rate: 1, seed: 3 }).augment(['alone'])).toEqual(['alone']);
  });

  it('permutes the tokens, follows its seed, and does not modify its input', () => {
    const input = [...words];
    const a = new RandomSwap({ rate: 0.5, seed: 9 }).augment([input, input]);
    const b = new RandomSwap({ rate: 0.5, seed: 9 }).augment([input, input]);
    expect(a).toEqual(b);
    expect(input).toEqual(words);
    for (const row of a) expect([...row].sort()).toEqual([...words].sort());
    const config = new RandomSwap({ rate: 0.5, maxSwaps: 3, seed: 9 }).getConfig();
    expect(config).toMatchObject({ rate: 0.5, max_swaps: 3, seed: 9 });
    expect(RandomSwap.fromConfig(config).getConfig()).toEqual(config);
  });
});
