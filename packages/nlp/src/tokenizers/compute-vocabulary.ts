import { ValueError } from '@cornu/core';
import { bytesToUnicode, BYTE_TO_CHAR, GPT2_SPLIT_PATTERN } from './byte-level.js';
import { stripAccents as removeAccents, utf8Encode } from './unicode.js';
import { WordPieceTokenizer } from './word-piece-tokenizer.js';

/** Training text: an array or any (async) iterable of strings. */
export type TextSource = Iterable<string> | AsyncIterable<string>;

async function* texts(source: TextSource): AsyncGenerator<string> {
  for await (const t of source as AsyncIterable<string>) {
    if (typeof t !== 'string')
      throw new ValueError(`Vocabulary training: expected strings, received ${typeof t}.`);
    yield t;
  }
}

/**
 * Learns merges on word counts: repeatedly merges the most frequent adjacent pair (ties to the
 * lexicographically smallest pair, so the result is deterministic) until `budget` merges or no
 * pair occurs `minFrequency` times. Pair counts are kept up to date incrementally: a merge only
 * recounts the words that contain the merged pair.
 */
function learnMerges(
  counts: Map<string, number>,
  split: (word: string) => string[],
  join: (left: string, right: string) => string,
  budget: number,
  minFrequency: number,
): [string, string][] {
  const words = [...counts.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([w, c]) => ({ symbols: split(w), count: c }));
  /** Occurrences of each adjacent pair (`left\u0000right`), weighted by word counts; never 0. */
  const pairs = new Map<string, number>();
  /** Indices of the words in which each pair occurs (a superset: entries are not removed). */
  const where = new Map<string, Set<number>>();
  const count = (symbols: string[], wordIndex: number, delta: number): void => {
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = `${symbols[i]}\u0000${symbols[i + 1]}`;
      const next = (pairs.get(key) ?? 0) + delta;
      if (next === 0) pairs.delete(key);
      else pairs.set(key, next);
      if (delta > 0) {
        let set = where.get(key);
        if (set === undefined) {
          set = new Set();
          where.set(key, set);
        }
        set.add(wordIndex);
      }
    }
  };
  words.forEach((w, i) => {
    count(w.symbols, i, w.count);
  });
  const merges: [string, string][] = [];
  while (merges.length < budget) {
    let best: string | null = null;
    let bestCount = 0;
    for (const [key, c] of pairs) {
      if (c > bestCount || (c === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = c;
      }
    }
    if (best === null || bestCount < minFrequency) break;
    const [left, right] = best.split('\u0000') as [string, string];
    const merged = join(left, right);
    merges.push([left, right]);
    const affected = [...(where.get(best) ?? [])];
    where.delete(best);
    for (const wordIndex of affected) {
      const w = words[wordIndex] as { symbols: string[]; count: number };
      const s = w.symbols;
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === left && s[i + 1] === right) {
          out.push(merged);
          i++;
        } else out.push(s[i] as string);
      }
      if (out.length === s.length) continue;
      count(s, wordIndex, -w.count);
      count(out, wordIndex, w.count);
      w.symbols = out;
    }
  }
  return merges;
}

function checkSize(name: string, vocabularySize: number, minimum: number): void {
  if (!Number.isInteger(vocabularySize) || vocabularySize < minimum) {
    throw new ValueError(
      `${name}: vocabularySize must be an integer of at least ${minimum}. Received: vocabularySize=${vocabularySize}.`,
    );
  }
}

export interface BytePairVocabularyOptions {
  /** Tokens placed first in the vocabulary. @default [] */
  specialTokens?: string[];
  /** Stop when the best pair occurs fewer times. @default 2 */
  minFrequency?: number;
}

/**
 * Trains a GPT-2 style byte-level BPE vocabulary (KerasHub has no BPE trainer): GPT-2
 * pre-tokenization, the 256 byte symbols, then frequency-ranked merges. Deterministic (it draws
 * no random numbers: ties go to the smallest pair), so it takes no seed.
 * The result feeds `new BytePairTokenizer({ vocabulary, merges })`.
 */
export async function computeBytePairVocabulary(
  data: TextSource,
  vocabularySize: number,
  options: BytePairVocabularyOptions = {},
): Promise<{ vocabulary: Record<string, number>; merges: string[] }> {
  const { specialTokens = [], minFrequency = 2 } = options;
  checkSize('computeBytePairVocabulary', vocabularySize, 256 + specialTokens.length);
  const counts = new Map<string, number>();
  for await (const text of texts(data)) {
    for (const m of text.matchAll(GPT2_SPLIT_PATTERN)) {
      const word = bytesToUnicode(utf8Encode(m[0]));
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const tokens = [...specialTokens, ...BYTE_TO_CHAR];
  const merges = learnMerges(
    counts,
    (w) => [...w],
    (a, b) => a + b,
    vocabularySize - tokens.length,
    minFrequency,
  );
  const vocabulary: Record<string, number> = {};
  for (const t of tokens) if (!(t in vocabulary)) vocabulary[t] = Object.keys(vocabulary).length;
  for (const [a, b] of merges)
    if (!(a + b in vocabulary)) vocabulary[a + b] = Object.keys(vocabulary).length;
  return { vocabulary, merges: merges.map(([a, b]) => `${a} ${b}`) };
}

export interface WordPieceVocabularyOptions {
  /** Lowercase (and strip accents) before counting words. @default false */
  lowercase?: boolean;
  /** Tokens placed first in the vocabulary. @default ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] */
  reservedTokens?: string[];
  /** Prefix of continuation pieces. @default '##' */
  suffixIndicator?: string;
  /** Stop when the best pair occurs fewer times. @default 2 */
  minFrequency?: number;
}

/**
 * Trains a WordPiece vocabulary: BERT basic tokenization, then pair merges where every
 * non-initial piece carries `suffixIndicator` (the Hugging Face WordPiece trainer's method).
 * Returns the vocabulary ordered by id, ready for `new WordPieceTokenizer({ vocabulary })`.
 * Deterministic (no random numbers; ties go to the smallest pair), so it takes no seed.
 */
export async function computeWordPieceVocabulary(
  data: TextSource,
  vocabularySize: number,
  options: WordPieceVocabularyOptions = {},
): Promise<string[]> {
  const {
    lowercase = false,
    reservedTokens = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'],
    suffixIndicator = '##',
    minFrequency = 2,
  } = options;
  checkSize('computeWordPieceVocabulary', vocabularySize, reservedTokens.length + 1);
  const splitter = new WordPieceTokenizer({
    vocabulary: ['[UNK]'],
    lowercase,
    maxCharsPerWord: Number.MAX_SAFE_INTEGER,
  });
  const counts = new Map<string, number>();
  for await (const text of texts(data)) {
    for (const [a, b] of splitter.tokenizeWithOffsets(text).offsets) {
      let word = text.slice(a, b);
      if (lowercase) word = removeAccents(word).toLowerCase();
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  const split = (w: string): string[] => [...w].map((c, i) => (i === 0 ? c : suffixIndicator + c));
  const alphabet = new Set<string>();
  for (const w of [...counts.keys()].sort()) for (const s of split(w)) alphabet.add(s);
  const base = [...reservedTokens, ...[...alphabet].sort()];
  const strip = (s: string): string =>
    s.startsWith(suffixIndicator) ? s.slice(suffixIndicator.length) : s;
  const merges = learnMerges(
    counts,
    split,
    (a, b) => a + strip(b),
    Math.max(0, vocabularySize - base.length),
    minFrequency,
  );
  const vocabulary = [...base];
  const seen = new Set(vocabulary);
  for (const [a, b] of merges) {
    const t = a + strip(b);
    if (!seen.has(t) && vocabulary.length < vocabularySize) {
      seen.add(t);
      vocabulary.push(t);
    }
  }
  return vocabulary.slice(0, Math.max(vocabularySize, reservedTokens.length));
}
