import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import type { LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { type EncodingMode, encodeCategorical, encodedShape } from './category-encoding.js';
import { hashBucketFast, hashBucketStrong } from './farmhash.js';
import { PreprocessingLayer, readHost } from './host-data.js';

/** Arguments of {@link Hashing}. */
export interface HashingArgs extends LayerArgs {
  /** Number of hash bins (including the mask bin when `maskValue` is set). */
  numBins: number;
  /** Value mapped to bin 0 (the other values go to bins 1..numBins-1). @default null */
  maskValue?: string | number | null;
  /** Key of the keyed SipHash-2-4 (a number k means [k, k]); null uses FarmHash Fingerprint64. @default null */
  salt?: number | [number, number] | null;
  /** @default 'int' */
  outputMode?: 'int' | EncodingMode;
  /** Not supported (no sparse tensors in TensorFlow.js). @default false */
  sparse?: boolean;
}

/**
 * Hashes strings or integers into `numBins` bins exactly as Keras does: FarmHash Fingerprint64
 * (TensorFlow's `to_hash_bucket_fast`) without salt, SipHash-2-4 keyed by the salt
 * (`to_hash_bucket_strong`) with one; integers are hashed as their decimal strings.
 *
 * @example
 * ```ts
 * new Hashing({ numBins: 3 }).apply([['A'], ['B'], ['C']]); // [[1], [0], [1]] as in Keras
 * ```
 */
export class Hashing extends PreprocessingLayer {
  static override readonly className = 'Hashing';
  readonly numBins: number;
  readonly maskValue: string | number | null;
  readonly salt: [number, number] | null;
  readonly outputMode: 'int' | EncodingMode;
  readonly sparse: boolean;
  /** The Keras dtype policy name written to the config (`int64` by default for `'int'` output). */
  readonly #policyName: string;

  constructor(args: HashingArgs) {
    super(args);
    const { numBins, maskValue = null, salt = null, outputMode = 'int', sparse = false } = args;
    if (!Number.isInteger(numBins) || numBins < 1) {
      throw new ValueError(
        `${this.who}: the num_bins for Hashing cannot be null or non-positive. Received: num_bins=${numBins}.`,
      );
    }
    if (
      salt !== null &&
      !(typeof salt === 'number' || (Array.isArray(salt) && salt.length === 2))
    ) {
      throw new ValueError(
        `${this.who}: salt can only be a number or a pair of numbers. Received: salt=${JSON.stringify(salt)}.`,
      );
    }
    if (!['int', 'one_hot', 'multi_hot', 'count'].includes(outputMode)) {
      throw new ValueError(
        `${this.who}: unknown output_mode. Expected one of 'int', 'one_hot', 'multi_hot', 'count'. Received: output_mode=${String(outputMode)}.`,
      );
    }
    if (sparse)
      throw new ValueError(
        `${this.who}: sparse=true is not supported (TensorFlow.js has no sparse tensors).`,
      );
    this.numBins = numBins;
    this.maskValue = maskValue;
    this.salt = salt === null ? null : typeof salt === 'number' ? [salt, salt] : [salt[0], salt[1]];
    this.outputMode = outputMode;
    this.sparse = sparse;
    // Keras defaults Hashing's dtype to int64 for integer output; TF.js computes in int32, but
    // the config keeps the name it was given so Keras rebuilds the same layer.
    const given = typeof args.dtype === 'string' ? args.dtype : args.dtype?.config?.name;
    this.#policyName = given ?? (outputMode === 'int' ? 'int64' : 'float32');
  }

  protected outputDtype(): tf.DataType {
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  /** Bin of one value (strings as UTF-8; numbers as their decimal string). */
  hashValue(value: string | number): number {
    const key = String(value);
    if (this.maskValue !== null && key === String(this.maskValue)) return 0;
    const bins = this.maskValue !== null ? this.numBins - 1 : this.numBins;
    if (bins <= 0) return 0;
    const bin = this.salt ? hashBucketStrong(key, bins, this.salt) : hashBucketFast(key, bins);
    return this.maskValue !== null ? bin + 1 : bin;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    const { values, shape } = readHost(inputs);
    if (inputs.dtype === 'float32' && (values as number[]).some((v) => !Number.isInteger(v))) {
      throw new ValueError(
        `${this.who}: expected string or integer input, received non-integer float values.`,
      );
    }
    const bins = Int32Array.from(values, (v) => this.hashValue(v));
    if (this.outputMode === 'int') return tf.tensor(bins, shape, 'int32');
    return encodeCategorical(bins, shape, this.outputMode, this.numBins);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return encodedShape(inputShape, this.outputMode, this.numBins);
  }

  override getConfig(): Config {
    const config = super.getConfig();
    return {
      ...config,
      dtype: { ...(config.dtype as Config), config: { name: this.#policyName } },
      num_bins: this.numBins,
      salt: this.salt,
      mask_value: this.maskValue,
      output_mode: this.outputMode,
      sparse: this.sparse,
    };
  }
}

registerKerasClass('keras.layers', Hashing);
