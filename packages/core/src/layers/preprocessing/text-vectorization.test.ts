import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { runLayerTest } from '../../testing/index.js';
import { expectClose } from '../normalization/fixtures.js';
import { TextVectorization } from './text-vectorization.js';

beforeAll(async () => {
  await ready();
});

function out(t: tf.Tensor): unknown {
  const v = t.arraySync();
  t.dispose();
  return v;
}

describe('TextVectorization', () => {
  it('passes runLayerTest', () => {
    const input = tf.tensor(['the cat', 'a dog sat']);
    runLayerTest(TextVectorization, {
      initArgs: { vocabulary: ['the', 'cat', 'dog'], outputSequenceLength: 4 },
      inputData: input,
      expectedOutputShape: [2, 4],
      expectedOutputDtype: 'int32',
      expectedOutput: [2, 3, 0, 0, 1, 4, 1, 0],
    });
    input.dispose();
  });

  it('adapts and vectorizes as the Keras documentation example', () => {
    // keras.layers.TextVectorization docs: adapt(["foo bar", "bar baz", "baz bada boom"]),
    // output_sequence_length=4, [["foo qux bar"], ["qux baz"]] -> [[4, 1, 3, 0], [1, 2, 0, 0]].
    const layer = new TextVectorization({ maxTokens: 5000, outputSequenceLength: 4 });
    layer.adapt(['foo bar', 'bar baz', 'baz bada boom']);
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']);
    expect(out(layer.apply([['foo qux bar'], ['qux baz']]))).toEqual([
      [4, 1, 3, 0],
      [1, 2, 0, 0],
    ]);
  });

  it('uses a given vocabulary, truncates, standardizes and pads to the longest row', () => {
    // Keras docs: vocabulary ["earth", "wind", "and", "fire"], "earth wind and also fire" -> [[2, 3, 4, 1]].
    const layer = new TextVectorization({
      vocabulary: ['earth', 'wind', 'and', 'fire'],
      outputSequenceLength: 4,
    });
    expect(out(layer.apply(['earth wind and also fire']))).toEqual([[2, 3, 4, 1]]);
    const free = new TextVectorization({ vocabulary: ['earth', 'wind', 'and', 'fire'] });
    expect(out(free.apply(['Earth, WIND!', 'fire']))).toEqual([
      [2, 3],
      [5, 0],
    ]);
  });

  it('builds n-grams and encodes multi_hot, count and tf_idf', () => {
    const bigrams = new TextVectorization({ ngrams: 2 });
    expect(bigrams.tokenize('A b c')).toEqual(['a', 'b', 'c', 'a b', 'b c']);
    const multi = new TextVectorization({ outputMode: 'multi_hot', vocabulary: ['x', 'y'] });
    expect(multi.getVocabulary()).toEqual(['[UNK]', 'x', 'y']);
    expect(out(multi.apply(['x x q', 'y']))).toEqual([
      [1, 1, 0],
      [0, 0, 1],
    ]);
    const count = new TextVectorization({ outputMode: 'count', vocabulary: ['x', 'y'] });
    expect(out(count.apply(['x x q', 'y']))).toEqual([
      [1, 2, 0],
      [0, 0, 1],
    ]);
    const tfidf = new TextVectorization({ outputMode: 'tf_idf' });
    tfidf.adapt(['x x', 'x y']);
    // idf(x) = log(1 + 2 / 3), idf(y) = log(1 + 2 / 2), OOV = their mean.
    const ix = Math.log(1 + 2 / 3);
    const iy = Math.log(2);
    const y = tfidf.apply(['x x y']);
    expectClose(y, [[0, 2 * ix, iy]]);
    y.dispose();
  });

  it('loads the vocabulary from a file and rejects bad arguments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cornu-tv-'));
    const file = join(dir, 'vocab.txt');
    writeFileSync(file, 'earth\nwind\n');
    const layer = new TextVectorization({ vocabulary: file });
    expect(out(layer.apply(['wind earth fire']))).toEqual([[3, 2, 1]]);
    expect(() => new TextVectorization({ outputMode: 'count', outputSequenceLength: 3 })).toThrow(
      /output_sequence_length is only valid with output_mode 'int'/,
    );
    expect(() => layer.apply(tf.tensor2d([[1, 2]]))).toThrow(
      /expected string input, received dtype float32/,
    );
  });
});
