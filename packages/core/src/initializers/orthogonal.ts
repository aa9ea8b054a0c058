import { nextSeed, tfjsSeed } from '../utils/random.js';
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import type { Config } from '../saving/registry.js';
import { Initializer } from './initializer.js';

export interface OrthogonalArgs {
  /** Multiplier of the orthogonal matrix. @default 1 */
  gain?: number;
  /** @default null */
  seed?: number | null;
}

/**
 * An orthogonal matrix (Q of the QR decomposition of a normal draw, sign-corrected), reshaped to
 * `shape`: rows = product of all but the last dim, columns = the last dim.
 */
export class Orthogonal extends Initializer {
  static override readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed: number | null;
  constructor({ gain = 1, seed = null }: OrthogonalArgs = {}) {
    super();
    this.gain = gain;
    this.seed = seed;
  }
  call(shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    if (shape.length < 2) {
      throw new ValueError(
        `Orthogonal: the shape must have rank >= 2. Received: shape=${JSON.stringify(shape)}.`,
      );
    }
    return tf.tidy(() => {
      const cols = shape.at(-1) as number;
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const flat: [number, number] = [Math.max(rows, cols), Math.min(rows, cols)];
      const a = tf.randomNormal(flat, 0, 1, 'float32', tfjsSeed(this.seed ?? nextSeed()));
      const [q, r] = tf.linalg.qr(a) as [tf.Tensor2D, tf.Tensor2D];
      const d = tf.sign(tf.sum(tf.mul(r, tf.eye(flat[1])), 0));
      let out: tf.Tensor2D = tf.mul(q, d);
      if (rows < cols) out = tf.transpose(out);
      return tf.cast(tf.reshape(tf.mul(out, this.gain), shape), dtype);
    });
  }
  override getConfig(): Config {
    return { seed: this.seed, gain: this.gain };
  }
}
