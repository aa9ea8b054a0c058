import { readFile } from 'node:fs/promises';
import { ValueError } from '../errors/errors.js';
import { MT19937 } from '../utils/mt19937.js';
import { type DownloadArgs, fetchDatasetFile, KERAS_DATASETS_ORIGIN } from './download.js';
import {
  addMarks,
  applyVocabulary,
  filterLength,
  labelsOf,
  readSequenceNpz,
  type SequenceLoadArgs,
  type SequenceSplit,
  sequencesOf,
  shuffleTogether,
} from './sequences.js';

export interface ImdbLoadArgs extends SequenceLoadArgs, DownloadArgs {}

const HASH = '69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f';
const WORD_INDEX_HASH = 'bfafd718b763782e994055a2d397834f';

/**
 * The IMDB movie-review sentiment dataset (25,000 train + 25,000 test reviews, labels 0/1), as
 * Keras's `imdb.npz`: each review is a list of word indices ranked by frequency. Processing
 * (shuffle with numpy's RandomState, start mark, `indexFrom`, `numWords`/`skipTop` OOV mapping,
 * `maxlen` filter) equals Keras's, so the same seed gives the same sequences.
 *
 * Returns `[[xTrain, yTrain], [xTest, yTest]]` with x ragged `number[][]` and y `Int32Array`.
 *
 * @example
 * const [[xTrain, yTrain]] = await datasets.imdb.loadData({ numWords: 10000 });
 */
export async function loadData(args: ImdbLoadArgs = {}): Promise<[SequenceSplit, SequenceSplit]> {
  const {
    numWords,
    skipTop = 0,
    maxlen,
    seed = 113,
    startChar = 1,
    oovChar = 2,
    indexFrom = 3,
  } = args;
  const path = await fetchDatasetFile('imdb.npz', KERAS_DATASETS_ORIGIN, HASH, args);
  const npz = await readSequenceNpz(path);
  const rng = new MT19937(seed);
  let [xTrain, yTrain] = shuffleTogether(
    rng,
    sequencesOf(npz, 'x_train', 'imdb.npz'),
    labelsOf(npz, 'y_train', 'imdb.npz'),
  );
  let [xTest, yTest] = shuffleTogether(
    rng,
    sequencesOf(npz, 'x_test', 'imdb.npz'),
    labelsOf(npz, 'y_test', 'imdb.npz'),
  );
  xTrain = addMarks(xTrain, startChar, indexFrom);
  xTest = addMarks(xTest, startChar, indexFrom);
  [xTrain, yTrain] = filterLength(maxlen, xTrain, yTrain);
  [xTest, yTest] = filterLength(maxlen, xTest, yTest);
  if (maxlen && (xTrain.length === 0 || xTest.length === 0)) {
    throw new ValueError(
      `imdb.loadData: no sequence is shorter than maxlen=${maxlen}. Increase maxlen.`,
    );
  }
  const xs = applyVocabulary([...xTrain, ...xTest], numWords, skipTop, oovChar);
  const n = xTrain.length;
  return [
    [xs.slice(0, n), Int32Array.from(yTrain)],
    [xs.slice(n), Int32Array.from(yTest)],
  ];
}

/** The word -> index map of the IMDB dataset (indices before `indexFrom` is added). */
export async function getWordIndex(args: DownloadArgs = {}): Promise<Record<string, number>> {
  const path = await fetchDatasetFile(
    'imdb_word_index.json',
    KERAS_DATASETS_ORIGIN,
    WORD_INDEX_HASH,
    args,
  );
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, number>;
}
