import { backend } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BytePairTokenizer } from './byte-pair-tokenizer.js';
import { computeBytePairVocabulary, computeWordPieceVocabulary } from './compute-vocabulary.js';
import { WordPieceTokenizer } from './word-piece-tokenizer.js';

const corpus = ['the quick brown fox', 'the lazy dog', 'the quick dog jumps', 'a quick brown dog'];

beforeAll(async () => {
  await backend.ready();
});

describe('computeBytePairVocabulary', () => {
  it('learns the most frequent merges first, deterministically, from arrays or async iterables', async () => {
    const { vocabulary, merges } = await computeBytePairVocabulary(corpus, 270);
    // Counted by hand: ten pairs occur 3 times ('t h', 'h e', 'Ġ q', 'q u', 'u i', 'i c', 'c k',
    // 'Ġ d', 'd o', 'o g'); ties go to the smallest pair, 'c k'; then 'd o', which makes 'do g' (3) the smallest next.
    expect(merges.slice(0, 3)).toEqual(['c k', 'd o', 'do g']);
    expect(Object.keys(vocabulary).length).toBe(270);
    async function* stream() {
      yield* corpus;
    }
    expect(await computeBytePairVocabulary(stream(), 270)).toEqual({ vocabulary, merges });
    const t = new BytePairTokenizer({ vocabulary, merges });
    for (const s of corpus) expect(t.detokenize(t.tokenize(s))).toBe(s);
    expect(t.tokenize(' quick').length).toBeLessThan(6);
    await expect(computeBytePairVocabulary(corpus, 10)).rejects.toThrow(
      /vocabularySize must be an integer of at least 256/,
    );
  });
});

describe('computeWordPieceVocabulary', () => {
  it('builds reserved tokens, the alphabet with ## forms, then frequent merges', async () => {
    const vocabulary = await computeWordPieceVocabulary(corpus, 60, { lowercase: true });
    expect(vocabulary.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(vocabulary).toContain('##h');
    expect(vocabulary).toContain('the');
    expect(vocabulary).toContain('quick');
    expect(vocabulary.length).toBeLessThanOrEqual(60);
    const t = new WordPieceTokenizer({ vocabulary, lowercase: true });
    expect(t.detokenize(t.tokenize('The quick dog'))).toBe('the quick dog');
    expect(await computeWordPieceVocabulary(corpus, 60, { lowercase: true })).toEqual(vocabulary);
  });

  it('merges the most frequent pair first and stops below minFrequency (hand-derived)', async () => {
    // Words: abab x1, ab x2, ba x1 -> a ##b ##a ##b, a ##b, b ##a. Pair counts: (a, ##b) 3, the
    // rest 1, so the one merge is 'ab'; afterwards no pair occurs twice.
    const vocabulary = await computeWordPieceVocabulary(['abab ab', 'ab ba'], 20);
    expect(vocabulary).toEqual([
      '[PAD]',
      '[UNK]',
      '[CLS]',
      '[SEP]',
      '[MASK]',
      '##a',
      '##b',
      'a',
      'b',
      'ab',
    ]);
    // A tie (x ##y and z ##w, 2 each) goes to the smaller pair; the size caps the vocabulary.
    const tied = await computeWordPieceVocabulary(['xy zw', 'zw xy'], 10, { reservedTokens: [] });
    expect(tied).toEqual(['##w', '##y', 'x', 'z', 'xy', 'zw']);
    expect(await computeWordPieceVocabulary(['xy zw', 'zw xy'], 5, { reservedTokens: [] })).toEqual(
      ['##w', '##y', 'x', 'z', 'xy'],
    );
  });

  it('reads async iterables, honours suffixIndicator, and names bad input', async () => {
    async function* stream() {
      yield* corpus;
    }
    expect(await computeWordPieceVocabulary(stream(), 60, { lowercase: true })).toEqual(
      await computeWordPieceVocabulary(corpus, 60, { lowercase: true }),
    );
    const marked = await computeWordPieceVocabulary(['ab ab'], 10, {
      reservedTokens: ['[UNK]'],
      suffixIndicator: '@@',
    });
    expect(marked).toEqual(['[UNK]', '@@b', 'a', 'ab']);
    await expect(computeWordPieceVocabulary(corpus, 5)).rejects.toThrow(
      /computeWordPieceVocabulary: vocabularySize must be an integer of at least 6. Received: vocabularySize=5/,
    );
    await expect(computeWordPieceVocabulary([1 as unknown as string], 10)).rejects.toThrow(
      /expected strings, received number/,
    );
  });
});
