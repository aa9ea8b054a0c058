import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { runLayerTest } from '../../testing/index.js';
import { expectClose } from '../normalization/fixtures.js';
import { IntegerLookup } from './integer-lookup.js';
import { StringLookup } from './string-lookup.js';

beforeAll(async () => {
  await ready();
});

function out(t: tf.Tensor): unknown {
  const v = t.arraySync();
  t.dispose();
  return v;
}

// Expected values below are the examples of Keras's StringLookup / IntegerLookup documentation.
const vocab = ['a', 'b', 'c', 'd'];
const data = [
  ['a', 'c', 'd'],
  ['d', 'z', 'b'],
];

describe('StringLookup', () => {
  it('passes runLayerTest (string input, int output)', () => {
    const input = tf.tensor([
      ['a', 'b'],
      ['z', 'c'],
    ]);
    runLayerTest(StringLookup, {
      initArgs: { vocabulary: vocab },
      inputData: input,
      expectedOutputShape: [2, 2],
      expectedOutputDtype: 'int32',
      expectedOutput: [1, 2, 0, 3],
      expectedNumTrainableWeights: 0,
    });
    runLayerTest(StringLookup, {
      initArgs: { vocabulary: vocab, outputMode: 'multi_hot' },
      inputData: input,
      expectedOutputShape: [2, 5],
      expectedOutputDtype: 'float32',
    });
    input.dispose();
  });

  it('maps tokens to indices with OOV 0 and accepts plain arrays', () => {
    const layer = new StringLookup({ vocabulary: vocab });
    expect(out(layer.apply(data))).toEqual([
      [1, 3, 4],
      [4, 0, 2],
    ]);
    expect(layer.getVocabulary()).toEqual(['[UNK]', 'a', 'b', 'c', 'd']);
    expect(layer.vocabularySize()).toBe(5);
  });

  it('reserves index 0 for the mask token in int mode', () => {
    const layer = new StringLookup({ vocabulary: vocab, maskToken: '' });
    expect(
      out(
        layer.apply([
          ['a', 'c', ''],
          ['', 'z', 'b'],
        ]),
      ),
    ).toEqual([
      [2, 4, 0],
      [0, 1, 3],
    ]);
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'a', 'b', 'c', 'd']);
  });

  it('hashes OOV tokens into several buckets', () => {
    const layer = new StringLookup({ vocabulary: vocab, numOovIndices: 2 });
    const [[a, z, y]] = out(layer.apply([['a', 'z', 'y']])) as [[number, number, number]];
    expect(a).toBe(2);
    expect([0, 1]).toContain(z);
    expect([0, 1]).toContain(y);
  });

  it('encodes multi_hot, count, one_hot and tf_idf as Keras documents', () => {
    const d = [
      ['a', 'c', 'd', 'd'],
      ['d', 'z', 'b', 'z'],
    ];
    expect(out(new StringLookup({ vocabulary: vocab, outputMode: 'multi_hot' }).apply(d))).toEqual([
      [0, 1, 0, 1, 1],
      [1, 0, 1, 0, 1],
    ]);
    expect(out(new StringLookup({ vocabulary: vocab, outputMode: 'count' }).apply(d))).toEqual([
      [0, 1, 0, 1, 2],
      [2, 0, 1, 0, 1],
    ]);
    expect(
      out(new StringLookup({ vocabulary: vocab, outputMode: 'one_hot' }).apply(['a', 'z'])),
    ).toEqual([
      [0, 1, 0, 0, 0],
      [1, 0, 0, 0, 0],
    ]);
    const tfidf = new StringLookup({
      vocabulary: vocab,
      outputMode: 'tf_idf',
      idfWeights: [0.25, 0.75, 0.6, 0.4],
    }).apply(d);
    // OOV weight = mean of the given weights (0.5); 'z' appears twice.
    expectClose(tfidf, [
      [0, 0.25, 0, 0.6, 0.8],
      [1.0, 0, 0.75, 0, 0.4],
    ]);
    tfidf.dispose();
    const padded = new StringLookup({
      vocabulary: vocab,
      outputMode: 'multi_hot',
      maxTokens: 8,
      padToMaxTokens: true,
    });
    expect((out(padded.apply(d)) as number[][])[0]).toHaveLength(8);
  });

  it('adapts: frequency order, ties broken by token descending, max_tokens cap, tf_idf weights', () => {
    const layer = new StringLookup();
    layer.adapt(data);
    expect(layer.getVocabulary()).toEqual(['[UNK]', 'd', 'z', 'c', 'b', 'a']);
    const capped = new StringLookup({ maxTokens: 3 });
    capped.adapt(data);
    expect(capped.getVocabulary()).toEqual(['[UNK]', 'd', 'z']);
    const tfidf = new StringLookup({ outputMode: 'tf_idf' });
    tfidf.adapt(data);
    // 2 documents; 'd' is in both: log(1 + 2 / 3); the others in one: log(1 + 2 / 2).
    const idfD = Math.log(1 + 2 / 3);
    const idfOne = Math.log(2);
    const weights = tfidf.getIdfWeights() as number[];
    expect(weights[1]).toBeCloseTo(idfD, 6);
    expect(weights[2]).toBeCloseTo(idfOne, 6);
    expect(weights[0]).toBeCloseTo((idfD + 4 * idfOne) / 5, 6);
  });

  it('inverts indices back to tokens', () => {
    const layer = new StringLookup({ vocabulary: vocab, invert: true });
    const y = layer.apply(
      tf.tensor2d(
        [
          [1, 3, 4],
          [4, 0, 2],
        ],
        undefined,
        'int32',
      ),
    );
    expect(y.dtype).toBe('string');
    expect(out(y)).toEqual([
      ['a', 'c', 'd'],
      ['d', '[UNK]', 'b'],
    ]);
  });

  it('reads and writes vocabulary files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cornu-lookup-'));
    const file = join(dir, 'vocab.txt');
    writeFileSync(file, 'a\nb\nc\nd\n');
    const layer = new StringLookup({ vocabulary: file });
    expect(out(layer.apply(data))).toEqual([
      [1, 3, 4],
      [4, 0, 2],
    ]);
    const saved = join(dir, 'saved.txt');
    layer.saveVocabulary(saved);
    expect(readFileSync(saved, 'utf8')).toBe('[UNK]\na\nb\nc\nd');
    expect(new StringLookup({ vocabulary: saved }).getVocabulary()).toEqual([
      '[UNK]',
      'a',
      'b',
      'c',
      'd',
    ]);
  });

  it('rejects repeated tokens, OOV inputs without OOV indices, and adapt after a vocabulary', () => {
    expect(() => new StringLookup({ vocabulary: ['a', 'a'] })).toThrow(/repeated terms: \["a"\]/);
    const strict = new StringLookup({ vocabulary: vocab, numOovIndices: 0 });
    expect(() => strict.apply([['z']])).toThrow(/num_oov_indices=0 .* found OOV value "z"/);
    expect(() => new StringLookup({ vocabulary: vocab }).adapt(data)).toThrow(
      /cannot adapt a layer constructed with a vocabulary/,
    );
  });
});

describe('IntegerLookup', () => {
  const ints = [12, 36, 1138, 42];
  it('passes runLayerTest', () => {
    runLayerTest(IntegerLookup, {
      initArgs: { vocabulary: ints },
      inputData: tf.tensor2d([[12, 1000]], undefined, 'int32'),
      expectedOutputShape: [1, 2],
      expectedOutput: [1, 0],
    });
  });

  it('looks up, adapts and inverts as Keras documents', () => {
    const x = tf.tensor2d(
      [
        [12, 1138, 42],
        [42, 1000, 36],
      ],
      undefined,
      'int32',
    );
    expect(out(new IntegerLookup({ vocabulary: ints }).apply(x))).toEqual([
      [1, 3, 4],
      [4, 0, 2],
    ]);
    const adapted = new IntegerLookup();
    adapted.adapt(x);
    expect(adapted.getVocabulary()).toEqual([-1, 42, 1138, 1000, 36, 12]);
    const masked = new IntegerLookup({ vocabulary: ints, maskToken: 0 });
    expect(out(masked.apply([[12, 0, 7]]))).toEqual([[2, 0, 1]]);
    const inverse = new IntegerLookup({ vocabulary: ints, invert: true });
    expect(
      out(
        inverse.apply(
          tf.tensor2d(
            [
              [1, 3, 4],
              [4, 0, 2],
            ],
            undefined,
            'int32',
          ),
        ),
      ),
    ).toEqual([
      [12, 1138, 42],
      [42, -1, 36],
    ]);
    // Several OOV indices: bucket = value mod numOovIndices.
    const multi = new IntegerLookup({ vocabulary: ints, numOovIndices: 2 });
    expect(out(multi.apply([[7, 8, 12]]))).toEqual([[1, 0, 2]]);
    x.dispose();
  });
});
