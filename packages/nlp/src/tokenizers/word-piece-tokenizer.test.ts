import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fixture,
  llamaCppCases,
  miscCases,
  readJson,
  swiftCases,
  transformersJsCases,
} from './test-utils.js';
import { WordPieceTokenizer } from './word-piece-tokenizer.js';

let bert: WordPieceTokenizer;
const CLS = 101;
const SEP = 102;

beforeAll(async () => {
  await backend.ready();
  bert = await WordPieceTokenizer.fromVocabulary(fixture('bert-base-uncased/vocab.txt'), {
    lowercase: true,
    specialTokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],
  });
});

describe('WordPieceTokenizer parity with bert-base-uncased', () => {
  it('reproduces every transformers.js case (ids with [CLS]/[SEP], decoded text)', () => {
    const cases = transformersJsCases('Xenova/bert-base-uncased');
    expect(cases.length).toBe(30);
    for (const [name, c] of cases) {
      const ids =
        c.text_pair === undefined
          ? [CLS, ...bert.tokenize(c.text), SEP]
          : [CLS, ...bert.tokenize(c.text), SEP, ...bert.tokenize(c.text_pair), SEP];
      expect(ids, name).toEqual(c.ids);
      expect(bert.detokenize(ids), name).toBe(c.decoded);
      expect(
        ids.filter((id) => id !== CLS && id !== SEP).map((id) => bert.idToToken(id)),
        name,
      ).toEqual(c.tokens);
    }
  });

  it('reproduces the 46 llama.cpp bert-bge cases', () => {
    const cases = llamaCppCases('ggml-vocab-bert-bge.gguf.out');
    expect(cases.length).toBe(46);
    for (const [text, ids] of cases) expect(bert.tokenize(text), JSON.stringify(text)).toEqual(ids);
  });

  it('reproduces the swift-transformers cases, decoded with and without specials', () => {
    const special = new Set(bert.specialTokenIds);
    for (const model of ['bert-base-uncased', 'google-bert/bert-base-uncased']) {
      expect(swiftCases(model).length, model).toBe(18);
      for (const c of swiftCases(model)) {
        const ids = [CLS, ...bert.tokenize(c.input), SEP];
        expect(ids, c.input).toEqual(c.encoded.input_ids);
        expect(bert.detokenize(ids)).toBe(c.decoded_with_special);
        expect(bert.detokenize(ids.filter((id) => !special.has(id)))).toBe(
          c.decoded_without_special,
        );
      }
    }
    const paragraph = readJson<{
      text: string;
      bpe_tokens: string[];
      token_ids: number[];
      decoded_text: string;
    }>('reference/swift-transformers/bert_uncased_encoded.json');
    const ids = [CLS, ...bert.tokenize(paragraph.text), SEP];
    expect(ids).toEqual(paragraph.token_ids);
    expect(bert.detokenize(ids)).toBe(paragraph.decoded_text);
  });

  it('reproduces the daulet/tokenizers and keras-hub cases, offsets included', () => {
    const cases = miscCases('../bert-base-uncased/');
    expect(cases.length).toBe(4);
    for (const c of cases) {
      const text = c.text ?? '';
      const ids = c.add_special === true ? [CLS, ...bert.tokenize(text), SEP] : bert.tokenize(text);
      expect(ids).toEqual(c.ids);
      if (c.tokens !== undefined) expect(ids.map((id) => bert.idToToken(id))).toEqual(c.tokens);
      if (c.offsets !== undefined)
        expect(bert.tokenizeWithOffsets(text).offsets).toEqual(c.offsets);
    }
  });
});

describe('WordPieceTokenizer behaviour', () => {
  const vocabulary = ['[PAD]', '[UNK]', 'the', 'qu', '##ick', 'brown', 'fox', '.', 'é'];

  it('splits words into greedy longest-match pieces and maps unknown words to [UNK]', () => {
    const t = new WordPieceTokenizer({ vocabulary });
    expect(t.tokenize('the quick brown fox.')).toEqual([2, 3, 4, 5, 6, 7]);
    expect(t.tokenize('the quickly')).toEqual([2, 1]);
    expect(t.tokenize(['the fox', 'brown'])).toEqual([[2, 6], [5]]);
    expect(t.detokenize([2, 3, 4, 5])).toBe('the quick brown');
  });

  it('keeps case and accents unless asked, and honours maxCharsPerWord', () => {
    expect(new WordPieceTokenizer({ vocabulary }).tokenize('The é')).toEqual([1, 8]);
    expect(new WordPieceTokenizer({ vocabulary, lowercase: true }).tokenize('The é')).toEqual([
      2, 1,
    ]);
    expect(
      new WordPieceTokenizer({ vocabulary, lowercase: true, stripAccents: false }).tokenize(
        'THE É',
      ),
    ).toEqual([2, 8]);
    expect(
      new WordPieceTokenizer({ vocabulary, maxCharsPerWord: 4 }).tokenize('quick fox'),
    ).toEqual([1, 6]);
  });

  it('gives offsets into the original text through lowercasing and accent stripping', () => {
    const out = bert.tokenizeWithOffsets('  Héllo, WORLD!');
    expect(out.ids).toEqual(bert.tokenize('  Héllo, WORLD!'));
    expect(out.offsets).toEqual([
      [2, 7],
      [7, 8],
      [9, 14],
      [14, 15],
    ]);
  });

  it('matches special tokens inside strings when specialTokensInStrings is set', () => {
    const t = new WordPieceTokenizer({
      vocabulary: bert.getVocabulary(),
      lowercase: true,
      specialTokens: ['[MASK]'],
      specialTokensInStrings: true,
    });
    expect(t.tokenize('the [MASK] fox')).toEqual([1996, 103, 4419]);
    expect(bert.tokenize('the [MASK] fox')).not.toContain(103);
  });

  it('pads and truncates to sequenceLength as an int32 tensor, and applies to string tensors', () => {
    const t = new WordPieceTokenizer({ vocabulary, sequenceLength: 4 });
    const before = tf.memory().numTensors;
    const batch = t.tokenize(['the fox', 'the quick brown fox .']);
    expect(batch.dtype).toBe('int32');
    expect(batch.arraySync()).toEqual([
      [2, 6, 0, 0],
      [2, 3, 4, 5],
    ]);
    const single = t.tokenize('fox');
    expect(single.arraySync()).toEqual([6, 0, 0, 0]);
    const input = tf.tensor1d(['the fox', 'brown'], 'string');
    const applied = t.apply(input);
    expect(applied.shape).toEqual([2, 4]);
    expect(applied.arraySync()).toEqual([
      [2, 6, 0, 0],
      [5, 0, 0, 0],
    ]);
    expect(t.computeOutputShape([null])).toEqual([null, 4]);
    tf.dispose([batch, single, input, applied]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('round-trips getConfig -> fromConfig', () => {
    const t = new WordPieceTokenizer({
      vocabulary,
      lowercase: true,
      sequenceLength: 8,
      suffixIndicator: '##',
      name: 'wp',
    });
    const config = t.getConfig();
    expect(config).toMatchObject({
      name: 'wp',
      lowercase: true,
      sequence_length: 8,
      oov_token: '[UNK]',
    });
    const back = WordPieceTokenizer.fromConfig(config);
    expect(back.getConfig()).toEqual(config);
    const a = back.tokenize(['The quick fox']) as tf.Tensor;
    expect(a.arraySync()).toEqual([[2, 3, 4, 6, 0, 0, 0, 0]]);
    a.dispose();
  });

  it('answers vocabulary queries and names bad arguments in its errors', () => {
    expect(bert.vocabularySize()).toBe(30522);
    expect(bert.idToToken(1996)).toBe('the');
    expect(bert.tokenToId('[CLS]')).toBe(101);
    expect(() => bert.idToToken(30522)).toThrow(
      /id 30522 is out of range; expected an integer in \[0, 30522\)/,
    );
    expect(() => bert.tokenToId('not-a-token')).toThrow(/"not-a-token" is not in the vocabulary/);
    expect(() => new WordPieceTokenizer({ vocabulary: ['a'] })).toThrow(
      /oovToken "\[UNK\]" must be in the vocabulary/,
    );
    expect(() => new WordPieceTokenizer({ vocabulary, sequenceLength: 0 })).toThrow(
      /sequenceLength must be a positive integer/,
    );
    expect(() => bert.detokenize([5, -1])).toThrow(/id -1 is outside the vocabulary/);
    const batch = tf.tensor1d(['a'], 'string');
    expect(() => bert.apply(batch)).toThrow(/needs sequenceLength/);
    batch.dispose();
  });
});
