import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { IndexLookup, type IndexLookupArgs } from './index-lookup.js';

/** Arguments of {@link StringLookup}. */
export interface StringLookupArgs extends IndexLookupArgs<string> {
  /** Text encoding of the inputs (only UTF-8). @default 'utf-8' */
  encoding?: string;
}

/**
 * Maps strings to integer indices through a vocabulary (given, read from a file, or learned by
 * `adapt`), with mask and OOV indices; `invert: true` maps indices back to strings. Accepts string
 * tensors and plain `string[]` / `string[][]`. The OOV token defaults to `'[UNK]'`.
 *
 * @example
 * ```ts
 * const lookup = new StringLookup({ vocabulary: ['a', 'b', 'c'] });
 * lookup.apply([['a', 'c'], ['d', 'b']]); // [[1, 3], [0, 2]] (0 = OOV)
 * ```
 */
export class StringLookup extends IndexLookup<string> {
  static override readonly className = 'StringLookup';
  readonly encoding: string;

  constructor(args: StringLookupArgs = {}) {
    super(args, '[UNK]');
    const { encoding = 'utf-8' } = args;
    if (encoding.toLowerCase().replace('_', '-') !== 'utf-8') {
      throw new ValueError(
        `${this.who}: only the 'utf-8' encoding is supported. Received: encoding=${encoding}.`,
      );
    }
    this.encoding = encoding;
  }

  protected parseToken(line: string): string {
    return line;
  }

  protected invertDtype(): tf.DataType {
    return 'string';
  }

  protected override normalizeInput(value: string): string {
    return String(value);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), encoding: this.encoding };
  }
}

registerKerasClass('keras.layers', StringLookup);
