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

export interface ReutersLoadArgs extends SequenceLoadArgs, DownloadArgs {
  /**
   * Fraction of the 11,228 newswires held out as the test set.
   * @default 0.2
   */
  testSplit?: number;
}

const HASH = 'd6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916';
const WORD_INDEX_HASH = '4d44cc38712099c9e383dc6e5f11a921';

/**
 * The Reuters newswire topic dataset (11,228 newswires, 46 topics) as Keras's `reuters.npz`,
 * processed exactly like Keras's `reuters.load_data` (one shuffle of all samples, then the split).
 *
 * Returns `[[xTrain, yTrain], [xTest, yTest]]` with x ragged `number[][]` and y `Int32Array`.
 */
export async function loadData(
  args: ReutersLoadArgs = {},
): Promise<[SequenceSplit, SequenceSplit]> {
  const {
    numWords,
    skipTop = 0,
    maxlen,
    testSplit = 0.2,
    seed = 113,
    startChar = 1,
    oovChar = 2,
    indexFrom = 3,
  } = args;
  if (!(testSplit >= 0 && testSplit <= 1)) {
    throw new ValueError(
      `reuters.loadData: testSplit must be in [0, 1]. Received: testSplit=${testSplit}.`,
    );
  }
  const path = await fetchDatasetFile('reuters.npz', KERAS_DATASETS_ORIGIN, HASH, args);
  const npz = await readSequenceNpz(path);
  let [xs, labels] = shuffleTogether(
    new MT19937(seed),
    sequencesOf(npz, 'x', 'reuters.npz'),
    labelsOf(npz, 'y', 'reuters.npz'),
  );
  xs = addMarks(xs, startChar, indexFrom);
  [xs, labels] = filterLength(maxlen, xs, labels);
  xs = applyVocabulary(xs, numWords, skipTop, oovChar);
  const n = Math.floor(xs.length * (1 - testSplit));
  return [
    [xs.slice(0, n), Int32Array.from(labels.slice(0, n))],
    [xs.slice(n), Int32Array.from(labels.slice(n))],
  ];
}

/** The word -> index map of the Reuters dataset (indices before `indexFrom` is added). */
export async function getWordIndex(args: DownloadArgs = {}): Promise<Record<string, number>> {
  const path = await fetchDatasetFile(
    'reuters_word_index.json',
    KERAS_DATASETS_ORIGIN,
    WORD_INDEX_HASH,
    args,
  );
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, number>;
}

/** The 46 topic names, indexed by label. */
export function getLabelNames(): readonly string[] {
  return LABEL_NAMES;
}

const LABEL_NAMES = [
  'cocoa',
  'grain',
  'veg-oil',
  'earn',
  'acq',
  'wheat',
  'copper',
  'housing',
  'money-supply',
  'coffee',
  'sugar',
  'trade',
  'reserves',
  'ship',
  'cotton',
  'carcass',
  'crude',
  'nat-gas',
  'cpi',
  'money-fx',
  'interest',
  'gnp',
  'meal-feed',
  'alum',
  'oilseed',
  'gold',
  'tin',
  'strategic-metal',
  'livestock',
  'retail',
  'ipi',
  'iron-steel',
  'rubber',
  'heat',
  'jobs',
  'lei',
  'bop',
  'zinc',
  'orange',
  'pet-chem',
  'dlr',
  'gas',
  'silver',
  'wpi',
  'hog',
  'lead',
] as const;
