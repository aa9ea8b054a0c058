import { readFile } from 'node:fs/promises';
import { ValueError } from '../errors/errors.js';
import type { MT19937 } from '../utils/mt19937.js';
import { type NpyArray, npzGet, parseNpz } from '../utils/npy.js';
import { removeLongSequences } from './download.js';

/** Arguments shared by the word-index sequence datasets (imdb, reuters), as Keras names them. */
export interface SequenceLoadArgs {
  /** Keep only the `numWords` most frequent words; rarer ones become `oovChar`. All when unset. */
  numWords?: number;
  /**
   * Treat the `skipTop` most frequent words as out of vocabulary.
   * @default 0
   */
  skipTop?: number;
  /** Drop sequences with `maxlen` or more words (counting the start mark). */
  maxlen?: number;
  /**
   * Seed of the shuffle (numpy's RandomState, so the order equals Keras's).
   * @default 113
   */
  seed?: number;
  /**
   * Index that marks the start of each sequence; `null` adds none.
   * @default 1
   */
  startChar?: number | null;
  /**
   * Index of out-of-vocabulary words; `null` drops them instead.
   * @default 2
   */
  oovChar?: number | null;
  /**
   * Offset added to every word index (0 = padding, 1 = start, 2 = OOV are reserved).
   * @default 3
   */
  indexFrom?: number;
}

/** One split of a sequence dataset: ragged word-index lists and integer labels. */
export type SequenceSplit = [x: number[][], y: Int32Array];

export async function readSequenceNpz(path: string): Promise<Map<string, NpyArray>> {
  return parseNpz(new Uint8Array(await readFile(path)));
}

export function sequencesOf(npz: Map<string, NpyArray>, key: string, file: string): number[][] {
  const array = npzGet(npz, key, file);
  if (array.kind !== 'object')
    throw new ValueError(`${file}: '${key}' must be an object array of lists.`);
  return array.data.map((row) => (row as unknown[]).map(Number));
}

export function labelsOf(npz: Map<string, NpyArray>, key: string, file: string): number[] {
  const array = npzGet(npz, key, file);
  if (array.kind !== 'numeric') throw new ValueError(`${file}: '${key}' must be a numeric array.`);
  return Array.from(array.data as ArrayLike<number | bigint>, Number);
}

/** Applies numpy's `RandomState.shuffle` permutation to parallel arrays. */
export function shuffleTogether(
  rng: MT19937,
  xs: number[][],
  labels: number[],
): [number[][], number[]] {
  const order = Int32Array.from({ length: xs.length }, (_, i) => i);
  rng.shuffle(order);
  return [Array.from(order, (i) => xs[i]!), Array.from(order, (i) => labels[i]!)];
}

export function addMarks(xs: number[][], startChar: number | null, indexFrom: number): number[][] {
  if (startChar !== null) return xs.map((x) => [startChar, ...x.map((w) => w + indexFrom)]);
  return xs.map((x) => x.map((w) => w + indexFrom));
}

export function applyVocabulary(
  xs: number[][],
  numWords: number | undefined,
  skipTop: number,
  oovChar: number | null,
): number[][] {
  let limit = numWords;
  if (!limit) {
    limit = 0;
    for (const x of xs) for (const w of x) if (w > limit) limit = w;
  }
  const max = limit;
  if (oovChar !== null) return xs.map((x) => x.map((w) => (skipTop <= w && w < max ? w : oovChar)));
  return xs.map((x) => x.filter((w) => skipTop <= w && w < max));
}

export function filterLength(
  maxlen: number | undefined,
  xs: number[][],
  labels: number[],
): [number[][], number[]] {
  return maxlen ? removeLongSequences(maxlen, xs, labels) : [xs, labels];
}
