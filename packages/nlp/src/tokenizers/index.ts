export { BytePairTokenizer, type BytePairTokenizerArgs } from './byte-pair-tokenizer.js';
export {
  type NormalizerSpec,
  type PieceType,
  parseSentencePieceModel,
  type SentencePiece,
  type SentencePieceModelProto,
  serializeSentencePieceModel,
  type TrainerSpec,
} from './sentence-piece-proto.js';
export {
  SentencePieceTokenizer,
  type SentencePieceTokenizerArgs,
} from './sentence-piece-tokenizer.js';
export {
  type BatchTokenIds,
  type TokenIds,
  type TokenizedWithOffsets,
  Tokenizer,
  type TokenizerArgs,
  type TokenizerConfig,
} from './tokenizer.js';
export {
  type HuggingFaceComponent,
  type HuggingFaceTokenizerJson,
  type JsonTokenizer,
  tokenizerFromJson,
} from './tokenizer-from-json.js';
export {
  cleanUpTokenization,
  WordPieceTokenizer,
  type WordPieceTokenizerArgs,
} from './word-piece-tokenizer.js';
export { ByteTokenizer, type ByteTokenizerArgs } from './byte-tokenizer.js';
export {
  UnicodeCodepointTokenizer,
  type UnicodeCodepointTokenizerArgs,
} from './unicode-codepoint-tokenizer.js';
export type { NormalizationForm } from './text-preprocessing.js';
export type { DecodeErrors } from './utf8.js';
export {
  type BytePairVocabularyOptions,
  computeBytePairVocabulary,
  computeWordPieceVocabulary,
  type TextSource,
  type WordPieceVocabularyOptions,
} from './compute-vocabulary.js';
export {
  computeSentencePieceVocabulary,
  type SentencePieceVocabularyOptions,
} from './compute-sentence-piece-vocabulary.js';
