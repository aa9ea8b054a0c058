import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('saves its vocabulary to a file that setVocabulary and the constructor read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cornu-tv-save-'));
    const file = join(dir, 'vocab.txt');
    const layer = new TextVectorization({ outputSequenceLength: 5 });
    // counts: cat 3, sat 2, the 1 (no ties, so the order is fixed by frequency alone).
    layer.adapt(['cat sat', 'cat cat', 'the sat']);
    expect(layer.getVocabulary()).toEqual(['', '[UNK]', 'cat', 'sat', 'the']);
    layer.saveVocabulary(file);
    // One token per line, mask '' and OOV first, as Keras's save_assets writes it.
    expect(readFileSync(file, 'utf8')).toBe('\n[UNK]\ncat\nsat\nthe');

    const text = ['the cat sat on the mat'];
    // the=4 cat=2 sat=3 on=OOV(1) the=4, truncated to 5.
    const expected = [[4, 2, 3, 1, 4]];
    expect(out(layer.apply(text))).toEqual(expected);
    const viaSet = new TextVectorization({ outputSequenceLength: 5 });
    viaSet.setVocabulary(file);
    expect(viaSet.getVocabulary()).toEqual(layer.getVocabulary());
    expect(viaSet.getVocabulary(false)).toEqual(['cat', 'sat', 'the']);
    expect(out(viaSet.apply(text))).toEqual(expected);
    const viaCtor = new TextVectorization({ vocabulary: file, outputSequenceLength: 5 });
    expect(out(viaCtor.apply(text))).toEqual(expected);

    // multi_hot has no mask index: the file starts with the OOV token and reloads the same way.
    const multi = new TextVectorization({ outputMode: 'multi_hot', vocabulary: ['x', 'y'] });
    const multiFile = join(dir, 'multi.txt');
    multi.saveVocabulary(multiFile);
    expect(readFileSync(multiFile, 'utf8')).toBe('[UNK]\nx\ny');
    const multi2 = new TextVectorization({ outputMode: 'multi_hot' });
    multi2.setVocabulary(multiFile);
    expect(out(multi2.apply(['y q']))).toEqual([[1, 0, 1]]);
  });

  it("splits into Unicode characters with split 'character' (spaces are tokens too)", () => {
    const layer = new TextVectorization({ split: 'character', vocabulary: ['a', 'b', ' '] });
    // 'Ab, c!' -> lower and strip -> 'ab c' -> ['a', 'b', ' ', 'c'] -> [2, 3, 4, OOV 1].
    expect(layer.tokenize('Ab, c!')).toEqual(['a', 'b', ' ', 'c']);
    expect(out(layer.apply(['Ab, c!', 'ba']))).toEqual([
      [2, 3, 4, 1],
      [3, 2, 0, 0],
    ]);
    // Code points, not UTF-16 units: the emoji is one token (tf.strings.unicode_split).
    expect(layer.tokenize('é😀x')).toEqual(['é', '😀', 'x']);
    const adapted = new TextVectorization({ split: 'character' });
    adapted.adapt(['aaab', 'bc']); // a 3, b 2, c 1
    expect(adapted.getVocabulary()).toEqual(['', '[UNK]', 'a', 'b', 'c']);
    const bigrams = new TextVectorization({ split: 'character', ngrams: 2, standardize: null });
    expect(bigrams.tokenize('abc')).toEqual(['a', 'b', 'c', 'a b', 'b c']);
  });

  it("lowercases but keeps punctuation with standardize 'lower'", () => {
    const layer = new TextVectorization({ standardize: 'lower', vocabulary: ['hello,', 'world'] });
    expect(layer.tokenize('Hello, WORLD!')).toEqual(['hello,', 'world!']);
    // 'hello,' is in the vocabulary (index 2); 'world!' is not 'world', so OOV.
    expect(out(layer.apply(['Hello, WORLD!', 'world']))).toEqual([
      [2, 1],
      [3, 0],
    ]);
  });

  it("strips Keras's punctuation set but keeps case with standardize 'strip_punctuation'", () => {
    const layer = new TextVectorization({
      standardize: 'strip_punctuation',
      vocabulary: ['hello', 'World'],
    });
    expect(layer.tokenize('Hello, World!')).toEqual(['Hello', 'World']);
    expect(out(layer.apply(['Hello, World!', 'hello world']))).toEqual([
      [1, 3],
      [2, 1],
    ]);
    // Every character of Keras's DEFAULT_STRIP_REGEX goes; letters, digits and spaces stay.
    expect(layer.tokenize(`don't-stop_now (a+b=c) #1 [x]; {y} 'q' "r" ~|\\^\`<>?@$%&*/.:`)).toEqual(
      ['dontstopnow', 'abc', '1', 'x', 'y', 'q', 'r'],
    );
    const none = new TextVectorization({ standardize: null });
    expect(none.tokenize('Hello, World!')).toEqual(['Hello,', 'World!']);
  });
});
