import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MaskedLMMaskGenerator } from './masked-lm-mask-generator.js';

beforeAll(async () => {
  await backend.ready();
});

function read(out: Record<string, tf.Tensor>): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(out)) r[k] = v.arraySync();
  tf.dispose(Object.values(out));
  return r;
}

describe('MaskedLMMaskGenerator', () => {
  it('masks every selectable token with rate 1 and maskTokenRate 1 (hand-derived)', () => {
    const g = new MaskedLMMaskGenerator({
      vocabularySize: 200,
      maskSelectionRate: 1,
      maskTokenId: 103,
      unselectableTokenIds: [0, 101, 102],
      maskTokenRate: 1,
      randomTokenRate: 0,
      maskSelectionLength: 5,
      seed: 1,
    });
    expect(read({ ...g.generate([[101, 5, 6, 7, 102, 0, 0]]) })).toEqual({
      tokenIds: [[101, 103, 103, 103, 102, 0, 0]],
      maskPositions: [[1, 2, 3, 0, 0]],
      maskIds: [[5, 6, 7, 0, 0]],
      maskWeights: [[1, 1, 1, 0, 0]],
    });
  });

  it('selects ceil(rate x selectable), at most maskSelectionLength, and keeps ids when both rates are 0', () => {
    const g = new MaskedLMMaskGenerator({
      vocabularySize: 50,
      maskSelectionRate: 0.34,
      maskTokenId: 1,
      maskTokenRate: 0,
      randomTokenRate: 0,
      seed: 3,
    });
    const row = [10, 11, 12, 0, 0];
    const out = read({ ...g.generate([row, [13, 14, 15, 16, 17]]) });
    // ceil(0.34 * 3) = 2 and ceil(0.34 * 5) = 2 selections; ids unchanged.
    expect(out.tokenIds).toEqual([row, [13, 14, 15, 16, 17]]);
    const positions = out.maskPositions as number[][];
    const ids = out.maskIds as number[][];
    expect(positions.map((p) => p.length)).toEqual([2, 2]);
    expect(positions[0]?.every((p) => p < 3)).toBe(true);
    expect(positions[0]?.[0]).toBeLessThan(positions[0]?.[1] as number);
    expect(ids[0]).toEqual(positions[0]?.map((p) => row[p]));
    const capped = new MaskedLMMaskGenerator({
      vocabularySize: 50,
      maskSelectionRate: 1,
      maskTokenId: 1,
      maskSelectionLength: 2,
      seed: 3,
    });
    const one = read({ ...capped.generate([4, 5, 6, 7]) });
    expect((one.maskWeights as number[]).length).toBe(2);
    expect(one.maskWeights).toEqual([1, 1]);
  });

  it('follows its seed and the 80/10/10 split in distribution', () => {
    const make = () =>
      new MaskedLMMaskGenerator({
        vocabularySize: 30000,
        maskSelectionRate: 0.15,
        maskTokenId: 103,
        seed: 42,
      });
    const rows = Array.from({ length: 64 }, (_, r) =>
      Array.from({ length: 128 }, (_, i) => 1000 + ((r * 128 + i) % 5000)),
    );
    const a = read({ ...make().generate(rows) });
    const b = read({ ...make().generate(rows) });
    expect(a).toEqual(b);
    const tokenIds = a.tokenIds as number[][];
    const positions = a.maskPositions as number[][];
    let masked = 0;
    let kept = 0;
    let total = 0;
    positions.forEach((ps, r) => {
      // ceil(0.15 * 128) = 20 selections per row.
      expect(ps.length).toBe(20);
      for (const p of ps) {
        total++;
        const v = tokenIds[r]?.[p];
        if (v === 103) masked++;
        else if (v === rows[r]?.[p]) kept++;
      }
    });
    // 1280 selections: 80% masked (sd ~ 1.1%), about 10% kept (plus random draws of the same id).
    expect(masked / total).toBeGreaterThan(0.76);
    expect(masked / total).toBeLessThan(0.84);
    expect(kept / total).toBeGreaterThan(0.07);
    expect(kept / total).toBeLessThan(0.13);
    // Unselected positions never change.
    tokenIds.forEach((row, r) => {
      row.forEach((v, i) => {
        if (!positions[r]?.includes(i)) expect(v).toBe(rows[r]?.[i]);
      });
    });
  });

  it('is a layer returning four tensors; config round trip; argument checks', () => {
    const g = new MaskedLMMaskGenerator({
      vocabularySize: 10,
      maskSelectionRate: 0.5,
      maskTokenId: 9,
      maskSelectionLength: 3,
      seed: 5,
    });
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
    const out = g.apply(x) as unknown as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([
      [1, 4],
      [1, 3],
      [1, 3],
      [1, 3],
    ]);
    tf.dispose([...out, x]);
    expect(tf.memory().numTensors).toBe(before);
    const config = g.getConfig();
    expect(config).toMatchObject({
      vocabulary_size: 10,
      mask_selection_rate: 0.5,
      mask_token_id: 9,
      mask_selection_length: 3,
      unselectable_token_ids: [0],
      mask_token_rate: 0.8,
      random_token_rate: 0.1,
    });
    expect(MaskedLMMaskGenerator.fromConfig(config).getConfig()).toEqual(config);
    expect(
      () =>
        new MaskedLMMaskGenerator({ vocabularySize: 10, maskSelectionRate: 0.5, maskTokenId: 10 }),
    ).toThrow(/maskTokenId must be an id in \[0, 10\)/);
    expect(() => g.generate([[1, 2], [3]])).toThrow(/pack them first/);
  });
});
