import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import type { LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { type HostArray, PreprocessingLayer, readStrings } from './host-data.js';
import type { LookupOutputMode } from './index-lookup.js';
import { StringLookup } from './string-lookup.js';
import {
  ngramTokens,
  type Split,
  type Standardize,
  splitText,
  standardizeText,
} from './text-utils.js';

/** Arguments of {@link TextVectorization}. */
export interface TextVectorizationArgs extends LayerArgs {
  /** Largest vocabulary size, including the mask ('') and OOV ('[UNK]') tokens. @default null */
  maxTokens?: number | null;
  /** @default 'lower_and_strip_punctuation' */
  standardize?: Standardize;
  /** @default 'whitespace' */
  split?: Split;
  /** n-gram widths: N means 1..N, a list means exactly those widths. @default null */
  ngrams?: number | number[] | null;
  /** @default 'int' */
  outputMode?: Exclude<LookupOutputMode, 'one_hot'>;
  /** int mode: pad with 0 or truncate to this length; otherwise rows are padded to the longest. @default null */
  outputSequenceLength?: number | null;
  /** @default false */
  padToMaxTokens?: boolean;
  /** A vocabulary list or a path to a file with one token per line. @default null */
  vocabulary?: string[] | string | null;
  /** Inverse document frequencies (tf_idf with a vocabulary). @default null */
  idfWeights?: number[] | null;
  /** Not supported. @default false */
  sparse?: boolean;
  /** Ragged outputs are not supported. @default false */
  ragged?: boolean;
  /** Only 'utf-8'. @default 'utf-8' */
  encoding?: string;
}

/**
 * Turns raw strings into token indices or bag-of-words vectors: standardize (lowercase and strip
 * punctuation by default), split on whitespace, optional n-grams, then a StringLookup with mask
 * token '' (index 0, int mode) and OOV token '[UNK]'. The vocabulary is learned by `adapt`, passed
 * in, or read from a file; `getVocabulary` / `setVocabulary` / `saveVocabulary` manage it.
 *
 * @example
 * ```ts
 * const vectorize = new TextVectorization({ outputSequenceLength: 4 });
 * vectorize.adapt(['the cat sat', 'the dog']);
 * vectorize.apply(['The cat!']); // [[2, 3, 0, 0]]
 * ```
 */
export class TextVectorization extends PreprocessingLayer {
  static override readonly className = 'TextVectorization';
  readonly maxTokens: number | null;
  readonly standardize: Standardize;
  readonly split: Split;
  readonly ngrams: number | number[] | null;
  readonly outputMode: Exclude<LookupOutputMode, 'one_hot'>;
  readonly outputSequenceLength: number | null;
  readonly padToMaxTokens: boolean;
  readonly sparse: boolean;
  readonly ragged: boolean;
  readonly encoding: string;
  readonly lookup: StringLookup;
  readonly #widths: number[] | null;

  constructor(args: TextVectorizationArgs = {}) {
    super(args);
    const {
      maxTokens = null,
      standardize = 'lower_and_strip_punctuation',
      split = 'whitespace',
      ngrams = null,
      outputMode = 'int',
      outputSequenceLength = null,
      padToMaxTokens = false,
      vocabulary = null,
      idfWeights = null,
      sparse = false,
      ragged = false,
      encoding = 'utf-8',
    } = args;
    if (!['int', 'multi_hot', 'count', 'tf_idf'].includes(outputMode)) {
      throw new ValueError(
        `${this.who}: unknown output_mode. Expected one of 'int', 'multi_hot', 'count', 'tf_idf'. Received: output_mode=${String(outputMode)}.`,
      );
    }
    if (outputSequenceLength !== null && outputMode !== 'int') {
      throw new ValueError(
        `${this.who}: output_sequence_length is only valid with output_mode 'int'. Received: output_mode=${outputMode}.`,
      );
    }
    if (
      outputSequenceLength !== null &&
      (!Number.isInteger(outputSequenceLength) || outputSequenceLength < 1)
    ) {
      throw new ValueError(
        `${this.who}: output_sequence_length must be a positive integer. Received: ${outputSequenceLength}.`,
      );
    }
    if (ragged)
      throw new ValueError(
        `${this.who}: ragged=true is not supported (TensorFlow.js has no ragged tensors).`,
      );
    if (ngrams !== null && split === null)
      throw new ValueError(`${this.who}: ngrams need a split. Received: split=null.`);
    this.maxTokens = maxTokens;
    this.standardize = standardize;
    this.split = split;
    this.ngrams = ngrams;
    this.#widths =
      ngrams === null
        ? null
        : typeof ngrams === 'number'
          ? Array.from({ length: ngrams }, (_, i) => i + 1)
          : [...ngrams];
    this.outputMode = outputMode;
    this.outputSequenceLength = outputSequenceLength;
    this.padToMaxTokens = padToMaxTokens;
    this.sparse = sparse;
    this.ragged = ragged;
    this.encoding = encoding;
    this.lookup = new StringLookup({
      name: `${this.name}_lookup`,
      maxTokens,
      maskToken: '',
      outputMode,
      padToMaxTokens,
      vocabulary,
      idfWeights,
      sparse,
      encoding,
    });
  }

  protected outputDtype(): tf.DataType {
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  /** The tokens of one string after standardize, split and n-grams. */
  tokenize(text: string): string[] {
    const tokens = splitText(standardizeText(text, this.standardize), this.split);
    return this.#widths ? ngramTokens(tokens, this.#widths) : tokens;
  }

  #documents(data: tf.Tensor | HostArray): string[][] {
    const { values, shape } = readStrings(data, this.who);
    if (shape.length > 2 || (shape.length === 2 && shape[1] !== 1)) {
      throw new ValueError(
        `${this.who}: expected a batch of strings of shape [batch] or [batch, 1], received shape [${shape.join(', ')}].`,
      );
    }
    return values.map((v) => this.tokenize(v));
  }

  /** Learns the vocabulary (and idf weights in tf_idf mode) from strings. */
  adapt(data: tf.Tensor | HostArray): void {
    const docs = this.#documents(data);
    const width = Math.max(1, ...docs.map((d) => d.length));
    // Pad rows with the mask token '' (removed from the counts) so they form one rectangular batch.
    this.lookup.adapt(docs.map((d) => [...d, ...new Array<string>(width - d.length).fill('')]));
  }

  getVocabulary(includeSpecialTokens = true): string[] {
    return this.lookup.getVocabulary(includeSpecialTokens);
  }

  setVocabulary(vocabulary: string[] | string, idfWeights: number[] | null = null): void {
    this.lookup.setVocabulary(vocabulary, idfWeights);
  }

  /** Writes the vocabulary to a file, one token per line (special tokens first). */
  saveVocabulary(path: string): void {
    this.lookup.saveVocabulary(path);
  }

  vocabularySize(): number {
    return this.lookup.vocabularySize();
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    const docs = this.#documents(inputs);
    if (this.outputMode !== 'int') {
      const width = Math.max(1, ...docs.map((d) => d.length));
      const padded = docs.flatMap((d) => [...d, ...new Array<string>(width - d.length).fill('')]);
      const t = tf.tensor(padded, [docs.length, width], 'string');
      const out = this.lookup.call(t);
      t.dispose();
      return out;
    }
    const length = this.outputSequenceLength ?? Math.max(0, ...docs.map((d) => d.length));
    const ids = new Int32Array(docs.length * length);
    docs.forEach((d, row) => {
      d.slice(0, length).forEach((tkn, col) => {
        ids[row * length + col] = this.lookup.lookupIndex(tkn);
      });
    });
    return tf.tensor(ids, [docs.length, length], 'int32');
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const batch = inputShape[0] ?? null;
    if (this.outputMode === 'int') return [batch, this.outputSequenceLength];
    const depth =
      this.padToMaxTokens && this.maxTokens !== null ? this.maxTokens : this.vocabularySize();
    return [batch, depth];
  }

  override getConfig(): Config {
    if (typeof this.standardize === 'function' || typeof this.split === 'function') {
      throw new ValueError(
        `${this.who}: a function standardize or split cannot be serialized to a Keras config.`,
      );
    }
    return {
      ...super.getConfig(),
      max_tokens: this.maxTokens,
      standardize: this.standardize,
      split: this.split,
      ngrams: this.ngrams,
      output_mode: this.outputMode,
      output_sequence_length: this.outputSequenceLength,
      pad_to_max_tokens: this.padToMaxTokens,
      sparse: this.sparse,
      ragged: this.ragged,
      vocabulary: this.lookup.inputVocabulary,
      idf_weights: this.lookup.inputIdfWeights,
      encoding: this.encoding,
      vocabulary_size: this.vocabularySize(),
    };
  }
}

registerKerasClass('keras.layers', TextVectorization);
