import { backend, layers, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CachedMultiHeadAttention } from './cached-multi-head-attention.js';
import { computeCausalMask, mergePaddingAndAttentionMask } from './transformer-layer-utils.js';

beforeAll(async () => {
  await backend.ready();
});

const [batch, seq, hidden] = [1, 3, 2];
// Rows of the query/value sequence, chosen so the attention weights are far from uniform.
const rows: [number, number][] = [
  [1, 0],
  [0, 2],
  [-1, 1],
];

/** One head, keyDim = hidden, every projection the identity and every bias zero. */
function identityAttention(): CachedMultiHeadAttention {
  const attention = new CachedMultiHeadAttention({ numHeads: 1, keyDim: hidden });
  const x = tf.zeros([batch, seq, hidden]);
  tf.dispose(attention.apply([x, x]) as tf.Tensor);
  x.dispose();
  const eye = [
    [1, 0],
    [0, 1],
  ];
  const weights = [
    tf.tensor3d([[eye[0] as number[]], [eye[1] as number[]]]), // query kernel [hidden, 1, keyDim]
    tf.zeros([1, hidden]),
    tf.tensor3d([[eye[0] as number[]], [eye[1] as number[]]]),
    tf.zeros([1, hidden]),
    tf.tensor3d([[eye[0] as number[]], [eye[1] as number[]]]),
    tf.zeros([1, hidden]),
    tf.tensor3d([eye]), // output kernel [1, keyDim, hidden]
    tf.zeros([hidden]),
  ];
  attention.setWeights(weights);
  tf.dispose(weights);
  return attention;
}

/** softmax(q k^T / sqrt(d)) v over the keys j <= limit(i), in plain numbers. */
function handAttention(limit: (i: number) => number): number[][] {
  return rows.map((q, i) => {
    const keys = rows.slice(0, limit(i) + 1);
    const logits = keys.map((k) => (q[0] * k[0] + q[1] * k[1]) / Math.sqrt(hidden));
    const top = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - top));
    const sum = e.reduce((a, b) => a + b, 0);
    return [0, 1].map((d) =>
      keys.reduce((acc, k, j) => acc + ((e[j] as number) / sum) * (k[d] as number), 0),
    );
  });
}

function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) => {
    row.forEach((v, d) => expect(v).toBeCloseTo(expected[i]?.[d] as number, 5));
  });
}

describe('CachedMultiHeadAttention', () => {
  it('without a cache is scaled dot-product attention (hand-derived) and equals core MultiHeadAttention', () => {
    const attention = identityAttention();
    const x = tf.tensor3d([rows]);
    const y = attention.apply([x, x]) as tf.Tensor3D;
    expectClose(
      (y.arraySync()[0] as number[][]) ?? [],
      handAttention(() => seq - 1),
    );
    const core = new layers.MultiHeadAttention({ numHeads: 1, keyDim: hidden });
    tf.dispose(core.apply([x, x]) as tf.Tensor);
    core.setWeights(attention.getWeights());
    const z = core.apply([x, x]) as tf.Tensor3D;
    expect(z.arraySync()).toEqual(y.arraySync());
    tf.dispose([x, y, z]);
    attention.dispose();
    core.dispose();
  });

  it('fills the cache one step at a time; step i attends to keys <= i, as the causal pass', () => {
    const attention = identityAttention();
    const x = tf.tensor3d([rows]);
    const causal = computeCausalMask(batch, seq, seq);
    const full = attention.apply([x, x], { attentionMask: causal }) as tf.Tensor3D;
    const expected = handAttention((i) => i);
    expectClose(full.arraySync()[0] as number[][], expected);
    let cache: tf.Tensor = tf.zeros([batch, 2, seq, 1, hidden]);
    const before = tf.memory().numTensors;
    const steps: number[][] = [];
    for (let i = 0; i < seq; i++) {
      const xi = tf.slice(x, [0, i, 0], [batch, 1, hidden]);
      const mask = computeCausalMask(batch, seq, 1, i);
      const [yi, next] = attention.apply([xi, xi], {
        cache,
        cacheUpdateIndex: i,
        attentionMask: mask,
      }) as unknown as [tf.Tensor3D, tf.Tensor];
      steps.push((yi.arraySync()[0]?.[0] as number[]) ?? []);
      tf.dispose([xi, mask, yi, cache]);
      cache = next;
    }
    expect(tf.memory().numTensors).toBe(before);
    expectClose(steps, expected);
    // The cache holds the projected keys and values: with identity projections, the rows themselves.
    const [keys, values] = tf.unstack(cache, 1) as [tf.Tensor, tf.Tensor];
    expect(tf.squeeze(keys, [0, 2]).arraySync()).toEqual(rows);
    expect(tf.squeeze(values, [0, 2]).arraySync()).toEqual(rows);
    tf.dispose([x, causal, full, cache, keys, values]);
    attention.dispose();
  });

  it('reuses a filled cache as it is when cacheUpdateIndex is null (cross-attention)', () => {
    const attention = identityAttention();
    const x = tf.tensor3d([rows]);
    const projected = tf.stack([tf.expandDims(x, 2), tf.expandDims(x, 2)], 1);
    const query = tf.slice(x, [0, 1, 0], [1, 1, hidden]);
    const [y, same] = attention.apply([query, query], { cache: projected }) as unknown as [
      tf.Tensor3D,
      tf.Tensor,
    ];
    expectClose(y.arraySync()[0] as number[][], [handAttention(() => seq - 1)[1] as number[]]);
    expect(same.arraySync()).toEqual(projected.arraySync());
    tf.dispose([x, projected, query, y, same]);
    attention.dispose();
  });

  it('names the bad argument: cache shape, index without cache, overflow', () => {
    const attention = identityAttention();
    const x = tf.zeros([1, 1, hidden]);
    const badCache = tf.zeros([1, 3, seq, 1, hidden]);
    expect(() => attention.apply([x, x], { cache: badCache, cacheUpdateIndex: 0 })).toThrow(
      /cache must have shape \[batch, 2, maxLength, numHeads, keyDim\], received shape \[1, 3, 3, 1, 2\]/,
    );
    expect(() => attention.apply([x, x], { cacheUpdateIndex: 0 })).toThrow(
      /cacheUpdateIndex=0 was given without a cache/,
    );
    const cache = tf.zeros([1, 2, seq, 1, hidden]);
    expect(() => attention.apply([x, x], { cache, cacheUpdateIndex: 3 })).toThrow(
      /writing 1 step\(s\) at cacheUpdateIndex=3 overflows a cache of length 3/,
    );
    expect(() => attention.apply([x, x], { cache, cacheUpdateIndex: -1 })).toThrow(
      /cacheUpdateIndex must be a non-negative integer, received -1/,
    );
    tf.dispose([x, badCache, cache]);
    attention.dispose();
  });
});

describe('mask helpers', () => {
  it('computeCausalMask: query i (from cacheIndex) sees keys j <= i + cacheIndex (hand-derived)', () => {
    const m = computeCausalMask(2, 3, 3);
    expect(m.dtype).toBe('int32');
    expect(m.arraySync()).toEqual([
      [
        [1, 0, 0],
        [1, 1, 0],
        [1, 1, 1],
      ],
      [
        [1, 0, 0],
        [1, 1, 0],
        [1, 1, 1],
      ],
    ]);
    const step = computeCausalMask(1, 4, 1, 2);
    expect(step.arraySync()).toEqual([[[1, 1, 1, 0]]]);
    tf.dispose([m, step]);
  });

  it('mergePaddingAndAttentionMask: padding masks keys, merged by minimum; explicit padding wins', () => {
    const padding = tf.tensor2d([[1, 1, 0]], [1, 3], 'bool');
    const carried = tf.tensor2d([[1, 0, 0]], [1, 3], 'bool');
    const causal = computeCausalMask(1, 3, 3);
    const merged = mergePaddingAndAttentionMask('test', carried, padding, causal) as tf.Tensor;
    expect(merged.dtype).toBe('int32');
    expect(merged.arraySync()).toEqual([
      [
        [1, 0, 0],
        [1, 1, 0],
        [1, 1, 0],
      ],
    ]);
    const fromInput = mergePaddingAndAttentionMask('test', carried, null, null) as tf.Tensor;
    expect(fromInput.arraySync()).toEqual([[[1, 0, 0]]]);
    expect(mergePaddingAndAttentionMask('test', undefined, null, null)).toBeNull();
    const flat = tf.ones([3]);
    expect(() => mergePaddingAndAttentionMask('test', undefined, flat, null)).toThrow(
      /test: paddingMask should have shape \[batch, sequenceLength\], received shape \[3\]/,
    );
    expect(() => mergePaddingAndAttentionMask('test', undefined, null, padding)).toThrow(
      /attentionMask should have shape \[batch, targetLength, sourceLength\], received shape \[1, 3\]/,
    );
    tf.dispose([padding, carried, causal, merged, fromInput, flat]);
  });
});
