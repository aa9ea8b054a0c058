import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { IndexLookup, type IndexLookupArgs } from './index-lookup.js';

/** Arguments of {@link IntegerLookup}. */
export interface IntegerLookupArgs extends IndexLookupArgs<number> {
  /** Keras's vocabulary dtype (values are int32 tensors here). @default 'int64' */
  vocabularyDtype?: 'int32' | 'int64';
}

/**
 * Maps integers to contiguous indices through a vocabulary (given, from a file, or learned by
 * `adapt`), with mask and OOV indices; `invert: true` maps back. The OOV token defaults to -1;
 * with several OOV indices a value goes to bucket `value mod numOovIndices`.
 *
 * @example
 * ```ts
 * const lookup = new IntegerLookup({ vocabulary: [12, 36, 1138, 42] });
 * lookup.apply(tf.tensor2d([[12, 1138, 42], [42, 1000, 36]], undefined, 'int32')); // [[1, 3, 4], [4, 0, 2]]
 * ```
 */
export class IntegerLookup extends IndexLookup<number> {
  static override readonly className = 'IntegerLookup';
  readonly vocabularyDtype: 'int32' | 'int64';

  constructor(args: IntegerLookupArgs = {}) {
    super(args, -1);
    const { vocabularyDtype = 'int64' } = args;
    if (vocabularyDtype !== 'int32' && vocabularyDtype !== 'int64') {
      throw new ValueError(
        `${this.who}: vocabulary_dtype must be 'int32' or 'int64'. Received: vocabulary_dtype=${String(vocabularyDtype)}.`,
      );
    }
    this.vocabularyDtype = vocabularyDtype;
  }

  protected parseToken(line: string): number {
    const v = Number(line.trim());
    if (!Number.isInteger(v))
      throw new ValueError(
        `${this.who}: vocabulary file line ${JSON.stringify(line)} is not an integer.`,
      );
    return v;
  }

  protected invertDtype(): tf.DataType {
    return 'int32';
  }

  override getConfig(): Config {
    return { ...super.getConfig(), vocabulary_dtype: this.vocabularyDtype };
  }
}

registerKerasClass('keras.layers', IntegerLookup);
