import { utils, ValueError } from '@cornu/core';
import type { TextSource } from './compute-vocabulary.js';
import {
  type SentencePiece,
  type SentencePieceModelProto,
  serializeSentencePieceModel,
} from './sentence-piece-proto.js';

const SPACE = '\u2581';
/** Pieces whose expected count falls below this are dropped in the M step (sentencepiece's value). */
const EXPECTED_FREQUENCY_THRESHOLD = 0.5;
/** Score gap between consecutive required characters missing from the model. */
const MIN_SCORE_PENALTY_DELTA = 0.0001;

export interface SentencePieceVocabularyOptions {
  /** Longest piece, in code points. @default 16 */
  maxPieceLength?: number;
  /** Number of seed pieces (the most frequent substrings, ranked by frequency x length). @default 1000000 */
  seedSize?: number;
  /** Fraction of the corpus characters the alphabet covers; rarer characters become `<unk>`. @default 0.9995 */
  characterCoverage?: number;
  /** Each pruning step keeps this fraction of the pieces. @default 0.75 */
  shrinkingFactor?: number;
  /** EM iterations between pruning steps. @default 2 */
  numSubIterations?: number;
  /** Train on at most this many sentences, drawn uniformly with `seed` (reservoir sampling). @default all */
  maxSentences?: number;
  /** Seed of the sentence sampling (`maxSentences`); the training itself is deterministic. @default 0 */
  seed?: number;
  /** Collapse runs of spaces and trim, in training and in the model's normalizer. @default true */
  removeExtraWhitespaces?: boolean;
  /** Meta pieces at ids 0, 1, 2 (unknown, begin, end). @default ['<unk>', '<s>', '</s>'] */
  metaPieces?: [unk: string, bos: string, eos: string];
  /** Extra pieces always kept (type userDefined), after the meta pieces. @default [] */
  userDefinedSymbols?: string[];
}

interface Word {
  chars: string[];
  count: number;
}

interface Piece {
  piece: string;
  score: number;
}

function digamma(value: number): number {
  let x = value;
  let result = 0;
  for (; x < 7; x++) result -= 1 / x;
  x -= 0.5;
  const xx = 1 / x;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  result +=
    Math.log(x) + xx2 / 24 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
  return result;
}

function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/** The model's pieces in a character trie; `unkScore` scores characters missing from it. */
class Lattice {
  /** Children of each trie node, keyed by character. */
  private readonly children: Map<string, number>[] = [new Map()];
  /** Piece id ending at each trie node, or -1. */
  private readonly pieceAt: number[] = [-1];
  readonly unkScore: number;
  constructor(
    readonly pieces: Piece[],
    readonly maxLength: number,
  ) {
    let min = 0;
    pieces.forEach((p, id) => {
      let node = 0;
      for (const c of p.piece) {
        const kids = this.children[node] as Map<string, number>;
        let next = kids.get(c);
        if (next === undefined) {
          next = this.children.length;
          kids.set(c, next);
          this.children.push(new Map());
          this.pieceAt.push(-1);
        }
        node = next;
      }
      this.pieceAt[node] = id;
      min = Math.min(min, p.score);
    });
    this.unkScore = min - 10;
  }

  /** Calls `visit(start, end, id)` for every piece of `chars` (id -1: an unknown character). */
  edges(chars: string[], visit: (start: number, end: number, id: number) => void, skip = -1): void {
    const n = chars.length;
    for (let i = 0; i < n; i++) {
      let node = 0;
      let single = false;
      const stop = Math.min(n, i + this.maxLength);
      for (let j = i; j < stop; j++) {
        const next = (this.children[node] as Map<string, number>).get(chars[j] as string);
        if (next === undefined) break;
        node = next;
        const id = this.pieceAt[node] as number;
        if (id >= 0 && id !== skip) {
          visit(i, j + 1, id);
          if (j === i) single = true;
        }
      }
      if (!single) visit(i, i + 1, -1);
    }
  }

  score(id: number): number {
    return id < 0 ? this.unkScore : (this.pieces[id] as Piece).score;
  }

  /** Best segmentation of `chars` (piece ids, -1 for unknown characters), optionally without piece `skip`. */
  viterbi(chars: string[], skip = -1): { ids: number[]; score: number } {
    const n = chars.length;
    const best = new Float64Array(n + 1).fill(Number.NEGATIVE_INFINITY);
    const back = new Int32Array(n + 1);
    const backId = new Int32Array(n + 1);
    best[0] = 0;
    // Edges come in increasing start order, so best[start] is final when its edges are visited.
    this.edges(
      chars,
      (s, e, id) => {
        const v = (best[s] as number) + this.score(id);
        if (v > (best[e] as number)) {
          best[e] = v;
          back[e] = s;
          backId[e] = id;
        }
      },
      skip,
    );
    const ids: number[] = [];
    for (let at = n; at > 0; at = back[at] as number) ids.push(backId[at] as number);
    return { ids: ids.reverse(), score: best[n] as number };
  }

  /** Adds `count` x the expected count of every piece in `chars` to `expected`; returns log Z. */
  expect(chars: string[], count: number, expected: Float64Array): number {
    const n = chars.length;
    const starts: number[] = [];
    const ends: number[] = [];
    const ids: number[] = [];
    this.edges(chars, (s, e, id) => {
      starts.push(s);
      ends.push(e);
      ids.push(id);
    });
    const scores = ids.map((id) => this.score(id));
    const alpha = new Float64Array(n + 1).fill(Number.NEGATIVE_INFINITY);
    const beta = new Float64Array(n + 1).fill(Number.NEGATIVE_INFINITY);
    alpha[0] = 0;
    beta[n] = 0;
    const m = ids.length;
    for (let k = 0; k < m; k++) {
      const e = ends[k] as number;
      alpha[e] = logAddExp(
        alpha[e] as number,
        (alpha[starts[k] as number] as number) + (scores[k] as number),
      );
    }
    for (let k = m - 1; k >= 0; k--) {
      const s = starts[k] as number;
      beta[s] = logAddExp(
        beta[s] as number,
        (beta[ends[k] as number] as number) + (scores[k] as number),
      );
    }
    const z = alpha[n] as number;
    for (let k = 0; k < m; k++) {
      const id = ids[k] as number;
      if (id < 0) continue;
      const p = Math.exp(
        (alpha[starts[k] as number] as number) +
          (scores[k] as number) +
          (beta[ends[k] as number] as number) -
          z,
      );
      expected[id] = (expected[id] as number) + count * p;
    }
    return z;
  }
}

/** Normalizes a sentence as the trained model will (spaces to `▁`, a dummy prefix) and splits it into words. */
function splitWords(text: string, removeExtra: boolean): string[] {
  let t = text;
  if (removeExtra) t = t.replace(/ +/g, ' ').trim();
  if (t.length === 0) return [];
  const escaped = SPACE + t.replaceAll(' ', SPACE);
  return escaped.split(new RegExp(`(?=${SPACE})`, 'u')).filter((w) => w.length > 0);
}

async function collectSentences(
  data: TextSource,
  maxSentences: number | undefined,
  seed: number,
): Promise<string[]> {
  const out: string[] = [];
  const rng = utils.createRng(seed);
  let seen = 0;
  for await (const t of data as AsyncIterable<string>) {
    if (typeof t !== 'string')
      throw new ValueError(
        `computeSentencePieceVocabulary: expected strings, received ${typeof t}.`,
      );
    seen++;
    if (maxSentences === undefined || out.length < maxSentences) out.push(t);
    else {
      const j = Math.floor(rng() * seen);
      if (j < maxSentences) out[j] = t;
    }
  }
  return out;
}

/**
 * Trains a SentencePiece unigram model the way sentencepiece's unigram trainer does: seed pieces
 * from the most frequent substrings (frequency x length), then rounds of EM (forward-backward
 * expected counts, Bayesian digamma re-estimation, dropping pieces expected < 0.5 times) and
 * pruning of the pieces whose removal costs the least likelihood (Viterbi re-segmentation into
 * the alternatives), shrinking by `shrinkingFactor` until 1.1 x the target size; the final
 * vocabulary keeps every covered character and the best-scored pieces.
 *
 * `data` is an array or (async) iterable of sentences. Returns the serialized `.model` bytes, for
 * `new SentencePieceTokenizer({ proto })` (or `parseSentencePieceModel`). Deterministic: the same
 * data, options and `seed` give the same model.
 */
export async function computeSentencePieceVocabulary(
  data: TextSource,
  vocabularySize: number,
  options: SentencePieceVocabularyOptions = {},
): Promise<Uint8Array> {
  const {
    maxPieceLength = 16,
    seedSize = 1000000,
    characterCoverage = 0.9995,
    shrinkingFactor = 0.75,
    numSubIterations = 2,
    maxSentences,
    seed = 0,
    removeExtraWhitespaces = true,
    metaPieces = ['<unk>', '<s>', '</s>'],
    userDefinedSymbols = [],
  } = options;
  const who = 'computeSentencePieceVocabulary';
  const reserved = metaPieces.length + userDefinedSymbols.length;
  if (!Number.isInteger(vocabularySize) || vocabularySize <= reserved) {
    throw new ValueError(
      `${who}: vocabularySize must be an integer above the ${reserved} meta and user-defined pieces. Received: vocabularySize=${vocabularySize}.`,
    );
  }
  if (!(characterCoverage > 0 && characterCoverage <= 1)) {
    throw new ValueError(
      `${who}: characterCoverage must be in (0, 1]. Received: characterCoverage=${characterCoverage}.`,
    );
  }
  if (!(shrinkingFactor > 0 && shrinkingFactor < 1)) {
    throw new ValueError(
      `${who}: shrinkingFactor must be in (0, 1). Received: shrinkingFactor=${shrinkingFactor}.`,
    );
  }
  if (maxSentences !== undefined && (!Number.isInteger(maxSentences) || maxSentences < 1)) {
    throw new ValueError(
      `${who}: maxSentences must be a positive integer. Received: maxSentences=${maxSentences}.`,
    );
  }

  // Words with their counts, in first-seen order for determinism.
  const wordCounts = new Map<string, number>();
  for (const sentence of await collectSentences(data, maxSentences, seed)) {
    for (const w of splitWords(sentence, removeExtraWhitespaces))
      wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  }
  const words: Word[] = [...wordCounts.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([w, count]) => ({ chars: Array.from(w), count }));
  if (words.length === 0) throw new ValueError(`${who}: the training data holds no text.`);

  // Required characters: the most frequent ones covering `characterCoverage` of the text.
  const charCounts = new Map<string, number>();
  let totalChars = 0;
  for (const { chars, count } of words) {
    for (const c of chars) {
      charCounts.set(c, (charCounts.get(c) ?? 0) + count);
      totalChars += count;
    }
  }
  const byFrequency = [...charCounts.entries()].sort((a, b) =>
    b[1] !== a[1] ? b[1] - a[1] : a[0] < b[0] ? -1 : 1,
  );
  const required: [string, number][] = [];
  let covered = 0;
  for (const entry of byFrequency) {
    if (required.length > 0 && covered / totalChars >= characterCoverage) break;
    required.push(entry);
    covered += entry[1];
  }
  const requiredSet = new Set(required.map(([c]) => c));
  const userSet = new Set(userDefinedSymbols);

  // Seed pieces: substrings seen at least twice (a `▁` only at the start), ranked by frequency x length.
  const substrings = new Map<string, number>();
  for (const { chars, count } of words) {
    for (let i = 0; i < chars.length; i++) {
      if (!requiredSet.has(chars[i] as string)) continue;
      let key = '';
      for (let j = i; j < Math.min(chars.length, i + maxPieceLength); j++) {
        const c = chars[j] as string;
        if (!requiredSet.has(c) || (j > i && c === SPACE)) break;
        key += c;
        if (j > i) substrings.set(key, (substrings.get(key) ?? 0) + count);
      }
    }
  }
  const seeds = [...substrings.entries()]
    .filter(([s, f]) => f >= 2 && !userSet.has(s))
    .map(([s, f]) => ({ s, rank: f * Array.from(s).length, f }))
    .sort((a, b) => (b.rank !== a.rank ? b.rank - a.rank : a.s < b.s ? -1 : 1))
    .slice(0, Math.max(0, seedSize - required.length));
  const seedFreqs: [string, number][] = [
    ...required,
    ...seeds.map((x) => [x.s, x.f] as [string, number]),
  ];
  const seedSum = seedFreqs.reduce((a, [, f]) => a + f, 0);
  let pieces: Piece[] = seedFreqs.map(([piece, f]) => ({
    piece,
    score: Math.log(f) - Math.log(seedSum),
  }));

  const targetSize = vocabularySize - reserved;
  const desired = Math.floor(targetSize * 1.1);
  for (;;) {
    for (let iter = 0; iter < numSubIterations; iter++) {
      // E step: expected piece counts under the current model.
      const lattice = new Lattice(pieces, maxPieceLength);
      const expected = new Float64Array(pieces.length);
      for (const { chars, count } of words) lattice.expect(chars, count, expected);
      // M step: drop rare pieces, re-estimate with digamma (sentencepiece's Bayesian update).
      const kept: [Piece, number][] = [];
      let sum = 0;
      pieces.forEach((p, i) => {
        const f = expected[i] as number;
        if (f < EXPECTED_FREQUENCY_THRESHOLD) return;
        kept.push([p, f]);
        sum += f;
      });
      const logSum = digamma(sum);
      pieces = kept.map(([p, f]) => ({ piece: p.piece, score: digamma(f) - logSum }));
    }
    if (pieces.length <= desired) break;
    const pruned = prune(
      pieces,
      words,
      maxPieceLength,
      Math.max(desired, Math.floor(shrinkingFactor * pieces.length)),
    );
    if (pruned.length >= pieces.length) break;
    pieces = pruned;
  }

  // Final vocabulary: every required character, then the best-scored pieces.
  const scores = new Map(pieces.map((p) => [p.piece, p.score]));
  const minScore = pieces.reduce((m, p) => Math.min(m, p.score), 0);
  const final = new Map<string, number>();
  let penalty = 0;
  for (const [c] of required) {
    if (final.size >= targetSize) break;
    const s = scores.get(c);
    if (s !== undefined) final.set(c, s);
    else {
      penalty += MIN_SCORE_PENALTY_DELTA;
      final.set(c, minScore - penalty);
    }
  }
  for (const p of [...pieces].sort((a, b) => b.score - a.score || (a.piece < b.piece ? -1 : 1))) {
    if (final.size >= targetSize) break;
    if (!final.has(p.piece)) final.set(p.piece, p.score);
  }
  const ordered = [...final.entries()].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  if (final.size < targetSize) {
    throw new ValueError(
      `${who}: vocabularySize ${vocabularySize} is too high for this data (as sentencepiece's "Vocabulary size too high"); expected at most ${final.size + reserved}.`,
    );
  }
  const [unk, bos, eos] = metaPieces;
  const protoPieces: SentencePiece[] = [
    { piece: unk, score: 0, type: 'unknown' },
    { piece: bos, score: 0, type: 'control' },
    { piece: eos, score: 0, type: 'control' },
    ...userDefinedSymbols.map((piece): SentencePiece => ({ piece, score: 0, type: 'userDefined' })),
    ...ordered.map(([piece, score]): SentencePiece => ({ piece, score, type: 'normal' })),
  ];
  const proto: SentencePieceModelProto = {
    pieces: protoPieces,
    trainerSpec: {
      modelType: 'unigram',
      vocabSize: protoPieces.length,
      byteFallback: false,
      treatWhitespaceAsSuffix: false,
      unkId: 0,
      bosId: 1,
      eosId: 2,
      padId: -1,
      unkSurface: ' \u2047 ',
    },
    normalizerSpec: {
      name: 'identity',
      precompiledCharsmap: new Uint8Array(0),
      addDummyPrefix: true,
      removeExtraWhitespaces,
      escapeWhitespaces: true,
    },
  };
  return serializeSentencePieceModel(proto);
}

/**
 * sentencepiece's PruneSentencePieces: pieces that Viterbi never uses, or whose own Viterbi path
 * splits them, go; the rest are ranked by the likelihood lost when their count moves to their
 * best alternative segmentation, and the top `size` stay.
 */
function prune(pieces: Piece[], words: Word[], maxLength: number, size: number): Piece[] {
  const lattice = new Lattice(pieces, maxLength);
  const alwaysKeep: boolean[] = [];
  const alternatives: number[][] = [];
  pieces.forEach((p, i) => {
    const chars = Array.from(p.piece);
    if (chars.length === 1) {
      alwaysKeep.push(true);
      alternatives.push([]);
      return;
    }
    const best = lattice.viterbi(chars);
    if (best.ids.length >= 2) {
      alwaysKeep.push(false);
      alternatives.push([]);
      return;
    }
    alwaysKeep.push(true);
    alternatives.push(lattice.viterbi(chars, i).ids);
  });

  const freq = new Float64Array(pieces.length);
  const inverted: number[][] = pieces.map(() => []);
  let vsum = 0;
  words.forEach(({ chars, count }, w) => {
    vsum += count;
    for (const id of lattice.viterbi(chars).ids) {
      if (id < 0) continue;
      freq[id] = (freq[id] as number) + count;
      inverted[id]?.push(w);
    }
  });
  const sum = freq.reduce((a, b) => a + b, 0);
  const logSum = Math.log(sum);
  const kept: Piece[] = [];
  const candidates: [number, number][] = [];
  pieces.forEach((p, i) => {
    const f = freq[i] as number;
    if (f === 0 || !alwaysKeep[i]) return;
    const alt = alternatives[i] as number[];
    if (alt.length === 0) {
      kept.push(p);
      return;
    }
    let sentenceFreq = 0;
    for (const w of inverted[i] as number[]) sentenceFreq += (words[w] as Word).count;
    sentenceFreq /= vsum;
    const logProb = Math.log(f) - logSum;
    const logSumAlt = Math.log(sum + f * (alt.length - 1));
    let logProbAlt = 0;
    for (const n of alt) logProbAlt += Math.log((n < 0 ? 0 : (freq[n] as number)) + f) - logSumAlt;
    candidates.push([i, sentenceFreq * (logProb - logProbAlt)]);
  });
  candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [i] of candidates) {
    if (kept.length >= size) break;
    kept.push(pieces[i] as Piece);
  }
  return kept;
}
