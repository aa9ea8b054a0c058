import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BeamSampler } from './beam-sampler.js';
import { ContrastiveSampler } from './contrastive-sampler.js';
import { getSampler, serializeSampler } from './get.js';
import { GreedySampler } from './greedy-sampler.js';
import { RandomSampler } from './random-sampler.js';
import type { NextFn, Sampler, SamplerCache } from './sampler.js';
import { TopKSampler } from './top-k-sampler.js';
import { TopPSampler } from './top-p-sampler.js';

beforeAll(async () => {
  await backend.ready();
});

const letters = 'abcdefghijklmnopqrstuvwxyz';
const ids = (s: string) => [...s].map((c) => letters.indexOf(c));
const text = (row: number[]) => row.map((i) => letters[i]).join('');

/**
 * KerasHub's sampler test idea: the cache holds a target sequence and `next` returns logits that
 * put all mass on the target id at `index`, so every sampler must reproduce the target.
 */
const followCache: NextFn = (prompt, cache, index) => {
  const target = (cache as tf.Tensor).arraySync() as number[][];
  const logits = target.map((row) =>
    Array.from({ length: 26 }, (_, v) => (v === row[index] ? 1e9 : 0)),
  );
  return [tf.tensor2d(logits), tf.ones([prompt.shape[0] as number, 5]), cache];
};

function run(sampler: Sampler, args: Parameters<Sampler['call']>[0]): number[][] {
  const before = tf.memory().numTensors;
  const out = sampler.call(args);
  const rows = out.arraySync();
  out.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return rows;
}

const fixed =
  (probs: number[]): NextFn =>
  (prompt, cache) => [
    tf.tidy(() => tf.tile(tf.tensor2d([probs.map(Math.log)]), [prompt.shape[0] as number, 1])),
    null,
    cache,
  ];

describe('samplers on a next function with a cache', () => {
  const samplers: [string, () => Sampler][] = [
    ['GreedySampler', () => new GreedySampler()],
    ['TopKSampler', () => new TopKSampler({ k: 3, seed: 1 })],
    ['TopPSampler', () => new TopPSampler({ p: 0.9, seed: 1 })],
    ['RandomSampler', () => new RandomSampler({ seed: 1 })],
    ['BeamSampler', () => new BeamSampler({ numBeams: 3 })],
  ];
  for (const [name, make] of samplers) {
    it(`${name} follows the cache, stops on stop tokens and keeps masked positions`, () => {
      const cache = tf.tensor2d([ids('sequentially'), ids('abcdefghijkl')], [2, 12], 'int32');
      const prompt = tf.fill([2, 12], 25, 'int32');
      expect(run(make(), { next: followCache, prompt, cache }).map(text)).toEqual([
        'sequentially',
        'abcdefghijkl',
      ]);
      // Generation stops once every row holds a generated stop id ('t' for row 1, 'd' for row 2);
      // row 2 reaches 'd' first and keeps going until row 1 produces 't'.
      expect(
        run(make(), { next: followCache, prompt, cache, stopTokenIds: ids('td') }).map(text),
      ).toEqual(['sequentzzzzz', 'abcdefgzzzzz']);
      // Masked positions are kept; generation starts at index 2.
      const masked = tf.tensor2d([ids('xyzzzzzzzzzz'), ids('xyzzzzzzzzzz')], [2, 12], 'int32');
      const mask = [0, 1].map(() => Array.from({ length: 12 }, (_, i) => i < 3));
      expect(
        run(make(), { next: followCache, prompt: masked, cache, index: 2, mask }).map(text),
      ).toEqual(['xyzuentially', 'xyzdefghijkl']);
      tf.dispose([cache, prompt, masked]);
    });
  }
});

describe('sampling distributions', () => {
  const probs = [0.4, 0.3, 0.2, 0.06, 0.04];
  const counts = (rows: number[][]): number[] => {
    const c = [0, 0, 0, 0, 0];
    for (const r of rows) for (const v of r) c[v] = (c[v] as number) + 1;
    return c;
  };
  const at = (c: number[], i: number): number => c[i] as number;
  // 3000 rows of one position: 3000 independent draws in one step.
  const prompt = Array.from({ length: 3000 }, () => [0]);

  it('applies the temperature before the softmax (hand-derived)', () => {
    const logits = tf.tensor2d([[0, Math.log(3)]]);
    expect(Array.from(new GreedySampler().computeProbabilities(logits)[0] ?? [])).toEqual([
      expect.closeTo(0.25, 6),
      expect.closeTo(0.75, 6),
    ]);
    const s3 = Math.sqrt(3);
    const hot = new RandomSampler({ temperature: 2, seed: 0 }).computeProbabilities(logits)[0];
    expect(hot?.[0]).toBeCloseTo(1 / (1 + s3), 6);
    expect(hot?.[1]).toBeCloseTo(s3 / (1 + s3), 6);
    logits.dispose();
    expect(() => new GreedySampler({ temperature: 0 })).toThrow(
      /temperature must be a positive number/,
    );
  });

  it('TopKSampler draws only the k most probable tokens, in proportion, reproducibly per seed', () => {
    const rows = run(new TopKSampler({ k: 2, seed: 5 }), { next: fixed(probs), prompt });
    const c = counts(rows);
    expect(at(c, 2) + at(c, 3) + at(c, 4)).toBe(0);
    // Renormalised: 4/7 = 0.571 (sd 0.009 over 3000 draws).
    expect(at(c, 0) / 3000).toBeGreaterThan(0.571 - 0.04);
    expect(at(c, 0) / 3000).toBeLessThan(0.571 + 0.04);
    expect(run(new TopKSampler({ k: 2, seed: 5 }), { next: fixed(probs), prompt })).toEqual(rows);
    expect(run(new TopKSampler({ k: 2, seed: 6 }), { next: fixed(probs), prompt })).not.toEqual(
      rows,
    );
    expect(counts(run(new TopKSampler({ k: 1, seed: 5 }), { next: fixed(probs), prompt }))[0]).toBe(
      3000,
    );
  });

  it('TopPSampler keeps the tokens whose preceding cumulative probability is below p', () => {
    const only = (p: number) =>
      counts(run(new TopPSampler({ p, seed: 2 }), { next: fixed(probs), prompt }))
        .map((c, i) => (c > 0 ? i : -1))
        .filter((i) => i >= 0);
    expect(only(0.35)).toEqual([0]);
    expect(only(0.5)).toEqual([0, 1]);
    expect(only(0.75)).toEqual([0, 1, 2]);
    const c = counts(run(new TopPSampler({ p: 0.5, seed: 2 }), { next: fixed(probs), prompt }));
    expect(at(c, 0) / 3000).toBeGreaterThan(0.571 - 0.04);
    expect(at(c, 0) / 3000).toBeLessThan(0.571 + 0.04);
    const k1 = counts(
      run(new TopPSampler({ p: 1, k: 1, seed: 2 }), { next: fixed(probs), prompt }),
    );
    expect(k1[0]).toBe(3000);
  });

  it('RandomSampler draws from the whole distribution', () => {
    const c = counts(run(new RandomSampler({ seed: 3 }), { next: fixed(probs), prompt }));
    probs.forEach((p, i) => {
      const sd = Math.sqrt((p * (1 - p)) / 3000);
      expect(Math.abs((c[i] as number) / 3000 - p)).toBeLessThan(4 * sd);
    });
  });
});

/** Step 0: A 0.5, B 0.4, C 0.1; step 1 depends on the token consumed (read from the cache). */
const tree: Record<string, number[]> = {
  '': [0.5, 0.4, 0.1],
  a: [0.4, 0.3, 0.3],
  b: [0.9, 0.05, 0.05],
  c: [1 / 3, 1 / 3, 1 / 3],
  aa: [0.1, 0.1, 0.8],
  ab: [0.2, 0.2, 0.6],
  ac: [0.5, 0.25, 0.25],
  ba: [0.3, 0.3, 0.4],
  bb: [0.34, 0.33, 0.33],
  bc: [0.6, 0.2, 0.2],
  ca: [0.1, 0.8, 0.1],
  cb: [0.7, 0.2, 0.1],
  cc: [0.25, 0.5, 0.25],
};

/**
 * A model with a KV-cache-like state: `next` writes the consumed token `prompt[:, index - 1]` into
 * its cache and reads the history from the cache only, so wrong cache gathering changes the result.
 */
const treeNext: NextFn = (prompt, cache, index) => {
  const p = prompt.arraySync() as number[][];
  const history = ((cache as tf.Tensor).arraySync() as number[][]).map((row, b) => {
    const r = [...row];
    if (index > 0) r[index - 1] = p[b]?.[index - 1] as number;
    return r;
  });
  const logits = history.map((r) => (tree[text(r.slice(0, index))] as number[]).map(Math.log));
  return [tf.tensor2d(logits), null, tf.tensor2d(history, undefined, 'int32')];
};

describe('BeamSampler', () => {
  it('finds the most probable sequence that greedy search misses (hand-derived)', () => {
    const prompt = [[2, 2]];
    const cache = tf.zeros([1, 2], 'int32');
    expect(run(new GreedySampler(), { next: treeNext, prompt, cache }).map(text)).toEqual(['aa']);
    // Beams after step 0: a (0.5), b (0.4); step 1: ba 0.36 beats aa 0.2.
    expect(
      run(new BeamSampler({ numBeams: 2 }), { next: treeNext, prompt, cache }).map(text),
    ).toEqual(['ba']);
    expect(
      run(new BeamSampler({ numBeams: 1 }), { next: treeNext, prompt, cache }).map(text),
    ).toEqual(['aa']);
    const all = new BeamSampler({ numBeams: 3 }).callAllBeams({ next: treeNext, prompt, cache });
    // Top three joint probabilities: ba 0.36, aa 0.20, then ab and ac tie at 0.15 (first beam first).
    expect((all.sequences.arraySync()[0] ?? []).map(text)).toEqual(['ba', 'aa', 'ab']);
    const lp = all.logProbs.arraySync()[0] ?? [];
    for (const [i, p] of [0.36, 0.2, 0.15].entries()) expect(lp[i]).toBeCloseTo(Math.log(p), 5);
    tf.dispose([all.sequences, all.logProbs, cache]);
  });

  it('with enough beams equals exhaustive search over three steps, gathering the cache per beam', () => {
    // Exhaustive reference: the most probable of the 27 sequences.
    let best = '';
    let bestP = -1;
    for (const x of 'abc')
      for (const y of 'abc')
        for (const z of 'abc') {
          const idx = (s: string) => letters.indexOf(s);
          const p =
            (tree[''] as number[])[idx(x)]! *
            (tree[x] as number[])[idx(y)]! *
            (tree[x + y] as number[])[idx(z)]!;
          if (p > bestP) {
            bestP = p;
            best = x + y + z;
          }
        }
    const cache = tf.zeros([2, 3], 'int32');
    const prompt = [
      [2, 2, 2],
      [2, 2, 2],
    ];
    const out = run(new BeamSampler({ numBeams: 9 }), { next: treeNext, prompt, cache });
    expect(out.map(text)).toEqual([best, best]);
    // By hand: aac = 0.5 x 0.4 x 0.8 = 0.16 beats bac = 0.4 x 0.9 x 0.4 = 0.144 (and greedy's aac too).
    expect(best).toBe('aac');
    cache.dispose();
  });
});

describe('ContrastiveSampler', () => {
  // Embeddings: a -> [1, 0], b -> [0, 1], c -> [1, 1]; next returns the embedding of the last
  // consumed token as its hidden state, and fixed probabilities [0.5, 0.3, 0.2].
  const embed = [
    [1, 0],
    [0, 1],
    [1, 1],
  ];
  const next: NextFn = (prompt, cache, index) => {
    const p = prompt.arraySync() as number[][];
    const hidden = p.map((r) => embed[r[index - 1] as number] as number[]);
    const logits = p.map(() => [0.5, 0.3, 0.2].map(Math.log));
    return [tf.tensor2d(logits), tf.tensor2d(hidden), cache as SamplerCache];
  };

  it('trades probability for dissimilarity to earlier hidden states (hand-derived)', () => {
    const hiddenStates = tf.tensor3d([
      [
        [1, 0],
        [0, 0],
        [0, 0],
      ],
    ]);
    const prompt = [[0, 2, 2]];
    // alpha 0: plain greedy on probabilities.
    expect(
      run(new ContrastiveSampler({ k: 3, alpha: 0 }), { next, prompt, index: 1, hiddenStates }).map(
        text,
      ),
    ).toEqual(['aaa']);
    // alpha 0.6, step 1 vs h0 = a: a 0.4*0.5-0.6*1 = -0.4, b 0.12-0 = 0.12, c 0.08-0.6*0.707 = -0.344 -> b.
    // Step 2 vs {a, b}: a -0.4, b 0.12-0.6 = -0.48, c -0.344 -> c.
    expect(
      run(new ContrastiveSampler({ k: 3, alpha: 0.6 }), {
        next,
        prompt,
        index: 1,
        hiddenStates,
      }).map(text),
    ).toEqual(['abc']);
    // k 2 leaves c out of step 2: a -0.4 beats b -0.48.
    expect(
      run(new ContrastiveSampler({ k: 2, alpha: 0.6 }), {
        next,
        prompt,
        index: 1,
        hiddenStates,
      }).map(text),
    ).toEqual(['aba']);
    expect(() => new ContrastiveSampler().call({ next, prompt })).toThrow(/needs hiddenStates/);
    hiddenStates.dispose();
  });

  it('serializes its config', () => {
    const s = new ContrastiveSampler({ k: 4, alpha: 0.3, temperature: 0.5 });
    expect(s.getConfig()).toEqual({ temperature: 0.5, k: 4, alpha: 0.3 });
    expect(ContrastiveSampler.fromConfig(s.getConfig()).getConfig()).toEqual(s.getConfig());
    const b = new BeamSampler({ numBeams: 4 });
    expect(BeamSampler.fromConfig(b.getConfig()).numBeams).toBe(4);
    const p = new TopPSampler({ p: 0.3, seed: 4 });
    expect(TopPSampler.fromConfig(p.getConfig()).getConfig()).toEqual({
      temperature: 1,
      p: 0.3,
      k: null,
      seed: 4,
    });
  });

  it('getSampler resolves KerasHub names, dicts and instances', () => {
    expect(getSampler('top_k')).toBeInstanceOf(TopKSampler);
    expect((getSampler('top_p') as TopPSampler).p).toBe(0.1);
    const beam = new BeamSampler({ numBeams: 3, temperature: 0.7 });
    const dict = serializeSampler(beam);
    expect(dict).toEqual({ class_name: 'BeamSampler', config: { temperature: 0.7, num_beams: 3 } });
    const back = getSampler(dict) as BeamSampler;
    expect([back.numBeams, back.temperature]).toEqual([3, 0.7]);
    expect(getSampler(beam)).toBe(beam);
    expect(() => getSampler('nucleus')).toThrow(
      /unknown sampler "nucleus"; expected one of 'greedy'/,
    );
  });
});
