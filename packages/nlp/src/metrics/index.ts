export {
  Bleu,
  type BleuArgs,
  type BleuPredictions,
  type BleuReferences,
  tokenize13a,
} from './bleu.js';
export { EditDistance, type EditDistanceArgs, levenshtein } from './edit-distance.js';
export { Perplexity, type PerplexityArgs } from './perplexity.js';
export {
  lcsLength,
  RougeL,
  RougeN,
  type RougeNArgs,
  type RougeScores,
  rougeLScore,
  rougeNScore,
  rougeTokenize,
} from './rouge.js';
export type { TextInput } from './text-input.js';
