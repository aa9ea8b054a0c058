import { backend, Input, saving, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MultiSegmentPacker, segmentBudgets } from './multi-segment-packer.js';
import { StartEndPacker } from './start-end-packer.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor | tf.Tensor[]): unknown {
  const list = Array.isArray(t) ? t : [t];
  const out = list.map((x) => x.arraySync());
  tf.dispose(list);
  return Array.isArray(t) ? out : out[0];
}

describe('StartEndPacker', () => {
  it('truncates to leave room, adds start and end, pads right (hand-derived)', () => {
    const packer = new StartEndPacker({ sequenceLength: 5, startValue: 1, endValue: 2 });
    expect(values(packer.pack([[5, 6, 7], [8, 9, 10, 11, 12], []]))).toEqual([
      [1, 5, 6, 7, 2],
      [1, 8, 9, 10, 2],
      [1, 2, 0, 0, 0],
    ]);
    // Unbatched input gives a rank-1 output.
    expect(values(packer.pack([5, 6]))).toEqual([1, 5, 6, 2, 0]);
    expect(values(packer.pack([5, 6, 7], { addStartValue: false }))).toEqual([5, 6, 7, 2, 0]);
    expect(values(packer.pack([5, 6, 7, 8, 9], { addEndValue: false }))).toEqual([1, 5, 6, 7, 8]);
    expect(values(packer.pack([5, 6, 7], { sequenceLength: 7 }))).toEqual([1, 5, 6, 7, 2, 0, 0]);
  });

  it('takes lists of start/end ids, a pad value, a padding mask and left padding', () => {
    const packer = new StartEndPacker({
      sequenceLength: 6,
      startValue: [1, 3],
      endValue: 2,
      padValue: -1,
      returnPaddingMask: true,
      paddingSide: 'left',
    });
    const [ids, mask] = packer.pack(
      tf.tensor2d(
        [
          [5, 6],
          [7, 8],
        ],
        [2, 2],
        'int32',
      ),
    ) as [tf.Tensor, tf.Tensor];
    expect(mask.dtype).toBe('bool');
    expect(values([ids, mask])).toEqual([
      [
        [-1, 1, 3, 5, 6, 2],
        [-1, 1, 3, 7, 8, 2],
      ],
      [
        [0, 1, 1, 1, 1, 1],
        [0, 1, 1, 1, 1, 1],
      ],
    ]);
    // Truncation keeps the first ids whatever the padding side.
    const plain = new StartEndPacker({ sequenceLength: 3, paddingSide: 'left' });
    expect(values(plain.pack([5, 6, 7, 8]))).toEqual([5, 6, 7]);
    expect(values(plain.pack([5]))).toEqual([0, 0, 5]);
    expect(values(new StartEndPacker({ sequenceLength: 3 }).pack([5, 6, 7, 8]))).toEqual([5, 6, 7]);
  });

  it('is a layer: apply on tensors and symbolic inputs, config round trip, no leaks', () => {
    const packer = new StartEndPacker({ sequenceLength: 4, startValue: 1, endValue: 2 });
    const symbolic = packer.apply(Input({ shape: [null], dtype: 'int32' }));
    expect(symbolic.shape).toEqual([null, 4]);
    const withMask = new StartEndPacker({ sequenceLength: 4, returnPaddingMask: true });
    const [ids, mask] = withMask.apply(Input({ shape: [null], dtype: 'int32' })) as unknown as [
      { shape: (number | null)[]; dtype: string },
      { shape: (number | null)[]; dtype: string },
    ];
    expect([ids.dtype, mask.dtype, mask.shape]).toEqual(['int32', 'bool', [null, 4]]);
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([[9, 9, 9]], [1, 3], 'int32');
    expect(values(packer.apply(x))).toEqual([[1, 9, 9, 2]]);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const config = packer.getConfig();
    expect(config).toMatchObject({
      sequence_length: 4,
      start_value: [1],
      end_value: [2],
      pad_value: 0,
      return_padding_mask: false,
      padding_side: 'right',
    });
    expect(StartEndPacker.fromConfig(config).getConfig()).toEqual(config);
    expect(() => new StartEndPacker({ sequenceLength: 0 })).toThrow(
      /sequenceLength must be a positive integer\. Received: sequenceLength=0/,
    );
  });
});

describe('MultiSegmentPacker', () => {
  it('splits the budget round robin or waterfall (hand-derived)', () => {
    expect(segmentBudgets([5, 2], 4, 'round_robin')).toEqual([2, 2]);
    expect(segmentBudgets([5, 1], 4, 'round_robin')).toEqual([3, 1]);
    expect(segmentBudgets([1, 5, 3], 6, 'round_robin')).toEqual([1, 3, 2]);
    expect(segmentBudgets([5, 3], 5, 'waterfall')).toEqual([5, 0]);
    expect(segmentBudgets([2, 3], 4, 'waterfall')).toEqual([2, 2]);
    expect(segmentBudgets([2, 3], 10, 'round_robin')).toEqual([2, 3]);
    expect(segmentBudgets([2, 3], -1, 'round_robin')).toEqual([0, 0]);
  });

  it('packs two segments with start, separators, end and segment ids', () => {
    const packer = new MultiSegmentPacker({ sequenceLength: 8, startValue: 101, endValue: 102 });
    // Budget 8 - 3 = 5: round robin keeps 3 + 2.
    expect(
      values(
        packer.pack([
          [1, 2, 3, 4],
          [5, 6, 7],
        ]),
      ),
    ).toEqual([
      [101, 1, 2, 3, 102, 5, 6, 102],
      [0, 0, 0, 0, 0, 1, 1, 1],
    ]);
    const waterfall = new MultiSegmentPacker({
      sequenceLength: 8,
      startValue: 101,
      endValue: 102,
      truncate: 'waterfall',
    });
    expect(
      values(
        waterfall.pack([
          [1, 2, 3, 4],
          [5, 6, 7],
        ]),
      ),
    ).toEqual([
      [101, 1, 2, 3, 4, 102, 5, 102],
      [0, 0, 0, 0, 0, 0, 1, 1],
    ]);
    // Batched, with padding and a distinct separator.
    const sep = new MultiSegmentPacker({
      sequenceLength: 7,
      startValue: 101,
      endValue: 102,
      sepValue: [103, 103],
      padValue: 9,
    });
    expect(
      values(
        sep.pack([
          [[1], [1, 2]],
          [[5], []],
        ]),
      ),
    ).toEqual([
      [
        [101, 1, 103, 103, 5, 102, 9],
        [101, 1, 2, 103, 103, 102, 9],
      ],
      [
        [0, 0, 0, 0, 1, 1, 0],
        [0, 0, 0, 0, 0, 1, 0],
      ],
    ]);
  });

  it('is a layer on a list of tensors; checks batch sizes; config round trip', () => {
    const packer = new MultiSegmentPacker({ sequenceLength: 5, startValue: 1, endValue: 2 });
    const a = tf.tensor2d([[7, 7]], [1, 2], 'int32');
    const b = tf.tensor2d([[8, 8]], [1, 2], 'int32');
    const out = packer.apply([a, b]) as tf.Tensor[];
    expect(values(out)).toEqual([[[1, 7, 2, 8, 2]], [[0, 0, 0, 1, 1]]]);
    tf.dispose([a, b]);
    expect(() => packer.pack([[[1]], [[1], [2]]])).toThrow(/same batch size/);
    const config = packer.getConfig();
    expect(config).toMatchObject({ sep_value: [2], truncate: 'round_robin' });
    expect(MultiSegmentPacker.fromConfig(config).getConfig()).toEqual(config);
    const back = saving.deserializeKerasObject(saving.serializeKerasObject(packer));
    expect(back).toBeInstanceOf(MultiSegmentPacker);
    expect((back as MultiSegmentPacker).getConfig()).toEqual(config);
  });
});
