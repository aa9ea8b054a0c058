import { backend } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeSentencePieceVocabulary } from './compute-sentence-piece-vocabulary.js';
import { parseSentencePieceModel } from './sentence-piece-proto.js';
import { SentencePieceTokenizer } from './sentence-piece-tokenizer.js';

// A small corpus: every sentence is built from a fixed set of words, so frequent words and
// shared stems (train/training/trained, token/tokens/tokenizer) exist for the model to find.
const subjects = [
  'the tokenizer',
  'a trainer',
  'the model',
  'every sentence',
  'the vocabulary',
  'my neighbour',
  'their grammar',
  'our lexicon',
];
const verbs = [
  'learns',
  'splits',
  'trained',
  'tokenizes',
  'counts',
  'prunes',
  'rejected',
  'merged',
];
const objects = [
  'tokens',
  'the pieces',
  'common words',
  'training data',
  'rare characters',
  'subword units',
  'frequent prefixes',
  'long paragraphs',
];
const corpus: string[] = [];
for (const s of subjects)
  for (const v of verbs) for (const o of objects) corpus.push(`${s} ${v} ${o} quickly.`);
corpus.push('Unicode: café, naïve, 東京, and emoji 🙂!');

beforeAll(async () => {
  await backend.ready();
});

describe('computeSentencePieceVocabulary', () => {
  it('trains a unigram model of the requested size that tokenizes its corpus losslessly', async () => {
    const bytes = await computeSentencePieceVocabulary(corpus, 80, { characterCoverage: 1 });
    const proto = parseSentencePieceModel(bytes);
    expect(proto.pieces.length).toBe(80);
    expect(proto.trainerSpec.modelType).toBe('unigram');
    expect(proto.pieces.slice(0, 3).map((p) => p.piece)).toEqual(['<unk>', '<s>', '</s>']);
    // Scores of normal pieces are log-probabilities, sorted best first.
    const scores = proto.pieces.slice(3).map((p) => p.score);
    expect(scores.every((s) => s <= 0)).toBe(true);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const pieces = new Set(proto.pieces.map((p) => p.piece));
    // Every character of the corpus is covered (characterCoverage 1).
    for (const c of new Set(Array.from(corpus.join('').replaceAll(' ', '')))) {
      expect(pieces.has(c) || pieces.has(`\u2581${c}`)).toBe(true);
    }
    // Frequent whole words become single pieces.
    expect(pieces.has('\u2581the')).toBe(true);
    const t = new SentencePieceTokenizer({ proto: bytes });
    for (const s of corpus) {
      const ids = t.tokenize(s);
      expect(ids).not.toContain(0);
      expect(t.detokenize(ids)).toBe(s);
    }
    // Segmentation is much shorter than one piece per character.
    const total = corpus.reduce((n, s) => n + t.tokenize(s).length, 0);
    const chars = corpus.reduce((n, s) => n + Array.from(s).length, 0);
    expect(total).toBeLessThan(chars / 3);
  });

  it('is deterministic for a seed, from arrays or async iterables', async () => {
    async function* stream() {
      yield* corpus;
    }
    const a = await computeSentencePieceVocabulary(corpus, 50, { maxSentences: 100, seed: 7 });
    const b = await computeSentencePieceVocabulary(stream(), 50, { maxSentences: 100, seed: 7 });
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    const full = await computeSentencePieceVocabulary(corpus, 60);
    const again = await computeSentencePieceVocabulary(stream(), 60);
    expect(Buffer.from(again).equals(Buffer.from(full))).toBe(true);
    // A different seed samples different sentences, hence (here) a different model.
    const c = await computeSentencePieceVocabulary(corpus, 30, { maxSentences: 20, seed: 8 });
    const d = await computeSentencePieceVocabulary(corpus, 30, { maxSentences: 20, seed: 9 });
    expect(Buffer.from(c).equals(Buffer.from(d))).toBe(false);
  });

  it('drops characters outside characterCoverage to <unk> and validates its arguments', async () => {
    const bytes = await computeSentencePieceVocabulary(corpus, 60, { characterCoverage: 0.99 });
    const pieces = parseSentencePieceModel(bytes).pieces.map((p) => p.piece);
    expect(pieces.some((p) => p.includes('東'))).toBe(false);
    const t = new SentencePieceTokenizer({ proto: bytes });
    expect(t.tokenize('東')).toContain(0);
    await expect(computeSentencePieceVocabulary(corpus, 3)).rejects.toThrow(
      /vocabularySize must be an integer above the 3/,
    );
    await expect(computeSentencePieceVocabulary(corpus, 2000)).rejects.toThrow(
      /vocabularySize 2000 is too high for this data/,
    );
    await expect(computeSentencePieceVocabulary([], 10)).rejects.toThrow(/holds no text/);
  });
});
