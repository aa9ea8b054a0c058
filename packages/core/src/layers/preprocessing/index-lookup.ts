import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import type { LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import type { Config, ConfigValue } from '../../saving/registry.js';
import { type EncodingMode, encodeCategorical, encodedShape } from './category-encoding.js';
import { hashBucketFast, hashBucketStrong } from './farmhash.js';
import { type HostArray, hostArrayToTensor, PreprocessingLayer, readHost } from './host-data.js';

/** Output of a lookup layer: indices, or their encodings (tf_idf = counts times idf weights). */
export type LookupOutputMode = 'int' | EncodingMode | 'tf_idf';

/** Arguments shared by {@link StringLookup} and {@link IntegerLookup}. */
export interface IndexLookupArgs<T extends string | number> extends LayerArgs {
  /** Largest vocabulary size, special tokens included; null for unbounded. @default null */
  maxTokens?: number | null;
  /** Number of out-of-vocabulary buckets (hashed when more than 1). @default 1 */
  numOovIndices?: number;
  /** Token meaning "padding": index 0 in int mode, dropped in the other modes. @default null */
  maskToken?: T | null;
  /** Token returned by the inverse lookup for OOV indices. */
  oovToken?: T;
  /** The vocabulary (optionally starting with the special tokens), or a path to a file of one token per line. @default null */
  vocabulary?: T[] | string | null;
  /** Inverse document frequencies (tf_idf mode, with `vocabulary`). @default null */
  idfWeights?: number[] | null;
  /** Map indices back to tokens. @default false */
  invert?: boolean;
  /** @default 'int' */
  outputMode?: LookupOutputMode;
  /** Encode to `maxTokens` columns even if the vocabulary is smaller. @default false */
  padToMaxTokens?: boolean;
  /** Not supported (no sparse tensors in TensorFlow.js). @default false */
  sparse?: boolean;
  /**
   * How integer OOV tokens pick one of several OOV buckets: `'floormod'` (`token % numOovIndices`)
   * or `'farmhash'` (hash of the decimal string). Strings are always hashed. @default 'floormod'
   */
  oovMethod?: 'floormod' | 'farmhash';
  /**
   * Key of the SipHash-2-4 OOV hash (a number k means [k, k]); null uses FarmHash Fingerprint64.
   * Integer lookups need `oovMethod: 'farmhash'`. @default null
   */
  salt?: number | [number, number] | null;
}

/**
 * The shared lookup engine of StringLookup and IntegerLookup (Keras's IndexLookup): vocabulary
 * with mask and OOV indices, adapt (frequency-sorted, ties broken by token, descending),
 * inverse lookup and the int / one_hot / multi_hot / count / tf_idf outputs.
 */
export abstract class IndexLookup<T extends string | number> extends PreprocessingLayer {
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: T | null;
  readonly oovToken: T;
  readonly invert: boolean;
  readonly outputMode: LookupOutputMode;
  readonly padToMaxTokens: boolean;
  readonly sparse: boolean;
  readonly oovMethod: 'floormod' | 'farmhash';
  readonly salt: [number, number] | null;
  /** The vocabulary passed to the constructor (serialized in the config, as Keras does). */
  readonly inputVocabulary: T[] | null;
  readonly inputIdfWeights: number[] | null;
  #tokens: T[] = [];
  #index = new Map<T, number>();
  #idf: Float32Array | null = null;

  constructor(args: IndexLookupArgs<T>, defaultOov: T) {
    super(args);
    const {
      maxTokens = null,
      numOovIndices = 1,
      maskToken = null,
      oovToken = defaultOov,
      vocabulary = null,
      idfWeights = null,
      invert = false,
      outputMode = 'int',
      padToMaxTokens = false,
      sparse = false,
      oovMethod = 'floormod',
      salt = null,
    } = args;
    if (oovMethod !== 'floormod' && oovMethod !== 'farmhash') {
      throw new ValueError(
        `${this.who}: oov_method must be 'floormod' or 'farmhash'. Received: oov_method=${JSON.stringify(oovMethod)}.`,
      );
    }
    if (salt !== null) {
      if (typeof defaultOov === 'number' && oovMethod !== 'farmhash') {
        throw new ValueError(
          `${this.who}: salt can only be used when oov_method='farmhash'. Received: oov_method=${oovMethod}.`,
        );
      }
      if (!(typeof salt === 'number' || (Array.isArray(salt) && salt.length === 2))) {
        throw new ValueError(
          `${this.who}: salt can only be a number or a pair of numbers. Received: salt=${JSON.stringify(salt)}.`,
        );
      }
    }
    if (maxTokens !== null && (!Number.isInteger(maxTokens) || maxTokens <= 1)) {
      throw new ValueError(
        `${this.who}: max_tokens must be an integer > 1 or null. Received: max_tokens=${maxTokens}.`,
      );
    }
    if (!Number.isInteger(numOovIndices) || numOovIndices < 0) {
      throw new ValueError(
        `${this.who}: num_oov_indices must be an integer >= 0. Received: num_oov_indices=${numOovIndices}.`,
      );
    }
    if (!['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'].includes(outputMode)) {
      throw new ValueError(
        `${this.who}: unknown output_mode. Expected one of 'int', 'one_hot', 'multi_hot', 'count', 'tf_idf'. Received: output_mode=${String(outputMode)}.`,
      );
    }
    if (invert && outputMode !== 'int') {
      throw new ValueError(
        `${this.who}: invert=true needs output_mode 'int'. Received: output_mode=${outputMode}.`,
      );
    }
    if (padToMaxTokens && maxTokens === null) {
      throw new ValueError(`${this.who}: pad_to_max_tokens=true needs max_tokens.`);
    }
    if (sparse)
      throw new ValueError(
        `${this.who}: sparse=true is not supported (TensorFlow.js has no sparse tensors).`,
      );
    this.maxTokens = maxTokens;
    this.numOovIndices = numOovIndices;
    this.maskToken = maskToken;
    this.oovToken = oovToken;
    this.invert = invert;
    this.outputMode = outputMode;
    this.padToMaxTokens = padToMaxTokens;
    this.sparse = sparse;
    this.oovMethod = oovMethod;
    this.salt = salt === null ? null : typeof salt === 'number' ? [salt, salt] : [salt[0], salt[1]];
    this.inputVocabulary = Array.isArray(vocabulary) ? [...vocabulary] : null;
    this.inputIdfWeights = idfWeights ? [...idfWeights] : null;
    if (outputMode === 'tf_idf' && vocabulary !== null && idfWeights === null) {
      throw new ValueError(
        `${this.who}: with a vocabulary in tf_idf output mode, idf_weights must be given too.`,
      );
    }
    if (vocabulary !== null) this.setVocabulary(vocabulary, idfWeights);
  }

  /** Parses one vocabulary-file line into a token. */
  protected abstract parseToken(line: string): T;

  protected outputDtype(): tf.DataType {
    if (this.invert) return this.invertDtype();
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  /** Dtype of inverse lookups. */
  protected abstract invertDtype(): tf.DataType;

  /** Index of the first OOV bucket (1 when a mask token takes index 0 in int mode). */
  protected oovStartIndex(): number {
    return this.maskToken !== null && this.outputMode === 'int' ? 1 : 0;
  }

  /** Index of the first real token. */
  protected tokenStartIndex(): number {
    return this.oovStartIndex() + this.numOovIndices;
  }

  /** Vocabulary size including the mask and OOV indices. */
  vocabularySize(): number {
    return this.tokenStartIndex() + this.#tokens.length;
  }

  /** The vocabulary; with special tokens, a token's position equals its index. */
  getVocabulary(includeSpecialTokens = true): T[] {
    if (!includeSpecialTokens) return [...this.#tokens];
    const specials: T[] = [];
    if (this.oovStartIndex() === 1) specials.push(this.maskToken as T);
    for (let i = 0; i < this.numOovIndices; i++) specials.push(this.oovToken);
    return [...specials, ...this.#tokens];
  }

  /** The idf weights (tf_idf mode), aligned with `getVocabulary()`. */
  getIdfWeights(): number[] | null {
    return this.#idf ? Array.from(this.#idf) : null;
  }

  /**
   * Replaces the vocabulary (a list, or a path to a file with one token per line). A list may
   * start with the special tokens in index order; tokens must be unique.
   */
  setVocabulary(vocabulary: T[] | string, idfWeights: number[] | null = null): void {
    if (this.outputMode === 'tf_idf' && idfWeights === null) {
      throw new ValueError(`${this.who}: idf_weights must be set if output_mode is 'tf_idf'.`);
    }
    if (this.outputMode !== 'tf_idf' && idfWeights !== null) {
      throw new ValueError(
        `${this.who}: idf_weights should only be set if output_mode is 'tf_idf'. Received: output_mode=${this.outputMode}.`,
      );
    }
    const vocab =
      typeof vocabulary === 'string'
        ? readFileSync(vocabulary, 'utf8')
            .split('\n')
            .map((l) => l.replace(/\r$/, ''))
            .filter((l, i, all) => !(l === '' && i === all.length - 1))
            .map((l) => this.parseToken(l))
        : vocabulary;
    if (vocab.length === 0) throw new ValueError(`${this.who}: cannot set an empty vocabulary.`);
    const special = this.getVocabulary(true).slice(0, this.tokenStartIndex());
    const hasSpecials = special.length > 0 && special.every((s, i) => vocab[i] === s);
    const tokens = hasSpecials ? vocab.slice(special.length) : [...vocab];
    const seen = new Set<T>();
    const repeated = new Set<T>();
    for (const tkn of tokens) (seen.has(tkn) ? repeated : seen).add(tkn);
    if (repeated.size > 0) {
      throw new ValueError(
        `${this.who}: the vocabulary has repeated terms: ${JSON.stringify([...repeated])}. Uniquify it.`,
      );
    }
    if (this.maskToken !== null && seen.has(this.maskToken)) {
      throw new ValueError(
        `${this.who}: found the mask token ${JSON.stringify(this.maskToken)} at an unexpected place in the vocabulary. Pass the vocabulary without special tokens, or with them only at the start in this order: ${JSON.stringify(special)}.`,
      );
    }
    if (this.invert && seen.has(this.oovToken)) {
      throw new ValueError(
        `${this.who}: found the OOV token ${JSON.stringify(this.oovToken)} at an unexpected place in the vocabulary.`,
      );
    }
    const size = this.tokenStartIndex() + tokens.length;
    if (this.maxTokens !== null && size > this.maxTokens) {
      throw new ValueError(
        `${this.who}: vocabulary size ${size} exceeds max_tokens ${this.maxTokens}.`,
      );
    }
    this.#tokens = tokens;
    this.#index = new Map(tokens.map((tkn, i) => [tkn, i + this.tokenStartIndex()]));
    this.#idf = null;
    if (idfWeights !== null) {
      if (idfWeights.length !== vocab.length) {
        throw new ValueError(
          `${this.who}: idf_weights must be as long as the vocabulary (${vocab.length}); received ${idfWeights.length}.`,
        );
      }
      const front = hasSpecials
        ? []
        : new Array<number>(this.tokenStartIndex()).fill(
            idfWeights.reduce((s, v) => s + v, 0) / idfWeights.length,
          );
      this.#setIdf([...front, ...idfWeights]);
    }
  }

  #setIdf(weights: number[]): void {
    const depth = this.depth();
    const out = new Float32Array(Math.max(depth, weights.length));
    out.set(weights);
    this.#idf = out;
  }

  /** Writes the vocabulary (special tokens included) to a file, one token per line. */
  saveVocabulary(path: string): void {
    writeFileSync(path, this.getVocabulary(true).map(String).join('\n'));
  }

  /** Builds the vocabulary from data: tokens by descending frequency (ties: larger token first), capped by max_tokens. */
  adapt(data: tf.Tensor | HostArray | T[][] | T[]): void {
    if (this.inputVocabulary !== null) {
      throw new ValueError(
        `${this.who}: cannot adapt a layer constructed with a vocabulary (set with vocabulary or setVocabulary).`,
      );
    }
    const t = data instanceof tf.Tensor ? data : hostArrayToTensor(data as HostArray);
    let docs: T[][];
    try {
      const { values, shape } = readHost(t);
      const rowLength = shape.length <= 1 ? 1 : shape.slice(1).reduce((a, b) => a * b, 1);
      docs = [];
      for (let i = 0; i < values.length; i += rowLength)
        docs.push(values.slice(i, i + rowLength) as T[]);
    } finally {
      if (t !== data) t.dispose();
    }
    const counts = new Map<T, number>();
    const docCounts = new Map<T, number>();
    for (const doc of docs) {
      for (const tkn of doc) counts.set(tkn, (counts.get(tkn) ?? 0) + 1);
      for (const tkn of new Set(doc)) docCounts.set(tkn, (docCounts.get(tkn) ?? 0) + 1);
    }
    if (this.maskToken !== null) counts.delete(this.maskToken);
    counts.delete(this.oovToken);
    let tokens = [...counts.keys()].sort((a, b) => {
      const diff = (counts.get(b) as number) - (counts.get(a) as number);
      if (diff !== 0) return diff;
      return a < b ? 1 : a > b ? -1 : 0;
    });
    if (this.maxTokens !== null) tokens = tokens.slice(0, this.maxTokens - this.tokenStartIndex());
    this.#tokens = tokens;
    this.#index = new Map(tokens.map((tkn, i) => [tkn, i + this.tokenStartIndex()]));
    this.#idf = null;
    if (this.outputMode === 'tf_idf') {
      const idf = tokens.map((tkn) => Math.log(1 + docs.length / (1 + (docCounts.get(tkn) ?? 0))));
      const mean = idf.length ? idf.reduce((s, v) => s + v, 0) / idf.length : 0;
      this.#setIdf([...new Array<number>(this.tokenStartIndex()).fill(mean), ...idf]);
    }
  }

  /** Number of output columns of the encoded modes. */
  protected depth(): number {
    return this.padToMaxTokens && this.maxTokens !== null ? this.maxTokens : this.vocabularySize();
  }

  /** Index of one token (-1 for a mask token outside int mode). */
  lookupIndex(token: T): number {
    if (this.maskToken !== null && token === this.maskToken)
      return this.outputMode === 'int' ? 0 : -1;
    const index = this.#index.get(token);
    if (index !== undefined) return index;
    if (this.numOovIndices === 0) {
      throw new ValueError(
        `${this.who}: when num_oov_indices=0 all inputs must be in the vocabulary; found OOV value ${JSON.stringify(token)}. Consider num_oov_indices=1.`,
      );
    }
    if (this.numOovIndices === 1) return this.oovStartIndex();
    let bucket: number;
    if (typeof token === 'number' && this.oovMethod === 'floormod')
      bucket = ((token % this.numOovIndices) + this.numOovIndices) % this.numOovIndices;
    else if (this.salt) bucket = hashBucketStrong(String(token), this.numOovIndices, this.salt);
    else bucket = hashBucketFast(String(token), this.numOovIndices);
    return this.oovStartIndex() + bucket;
  }

  /** Token of one index (the mask token at 0 in int mode, the OOV token for OOV and unknown indices). */
  lookupToken(index: number): T {
    if (this.maskToken !== null && index === 0 && this.oovStartIndex() === 1) return this.maskToken;
    const i = index - this.tokenStartIndex();
    return i >= 0 && i < this.#tokens.length ? (this.#tokens[i] as T) : this.oovToken;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    if (this.#tokens.length === 0 && this.outputMode !== 'int' && !this.padToMaxTokens) {
      throw new ValueError(
        `${this.who}: the vocabulary is empty. Fix: call adapt(data) or pass a vocabulary.`,
      );
    }
    const { values, shape } = readHost(inputs);
    if (this.invert) {
      const tokens = (values as number[]).map((v) => this.lookupToken(v));
      return tf.tensor(tokens as never, shape, this.invertDtype());
    }
    const indices = Int32Array.from(values as T[], (v) => this.lookupIndex(this.normalizeInput(v)));
    if (this.outputMode === 'int') return tf.tensor(indices, shape, 'int32');
    const mode = this.outputMode === 'tf_idf' ? 'count' : this.outputMode;
    const encoded = encodeCategorical(indices, shape, mode, this.depth());
    if (this.outputMode !== 'tf_idf') return encoded;
    const idf = this.#idf;
    if (!idf)
      throw new ValueError(
        `${this.who}: tf_idf output needs idf weights. Fix: call adapt(data) or pass idfWeights.`,
      );
    return tf.mul(encoded, tf.tensor1d(idf.slice(0, this.depth())));
  }

  /** Converts a raw input value to the token type (identity by default). */
  protected normalizeInput(value: T): T {
    return value;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (this.outputMode === 'int') return [...inputShape];
    return encodedShape(
      inputShape,
      this.outputMode === 'tf_idf' ? 'count' : this.outputMode,
      this.depth(),
    );
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      invert: this.invert,
      max_tokens: this.maxTokens,
      num_oov_indices: this.numOovIndices,
      oov_token: this.oovToken,
      mask_token: this.maskToken,
      output_mode: this.outputMode,
      sparse: this.sparse,
      pad_to_max_tokens: this.padToMaxTokens,
      vocabulary: this.inputVocabulary as ConfigValue,
      idf_weights: this.inputIdfWeights,
      vocabulary_size: this.vocabularySize(),
      oov_method: this.oovMethod,
      salt: this.salt,
    };
  }

  /** Keras's lookup layers are built at construction and always write `build_config: {}`. */
  override getBuildConfig(): Config {
    return {};
  }
}
