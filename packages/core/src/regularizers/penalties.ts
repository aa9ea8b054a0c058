import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import type { Config } from '../saving/registry.js';
import { Regularizer } from './regularizer.js';

function checkFactor(cls: string, name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ValueError(
      `${cls}: ${name} must be a finite number >= 0. Received: ${name}=${value}.`,
    );
  }
  return value;
}

/** `l1 * sum(|x|)`. */
export class L1 extends Regularizer {
  static override readonly className = 'L1';
  readonly l1: number;
  /** @param l1 factor, @default 0.01 */
  constructor({ l1 = 0.01 }: { l1?: number } = {}) {
    super();
    this.l1 = checkFactor('L1', 'l1', l1);
  }
  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l1, tf.sum(tf.abs(x))));
  }
  override getConfig(): Config {
    return { l1: this.l1 };
  }
}

/** `l2 * sum(x^2)`. */
export class L2 extends Regularizer {
  static override readonly className = 'L2';
  readonly l2: number;
  /** @param l2 factor, @default 0.01 */
  constructor({ l2 = 0.01 }: { l2?: number } = {}) {
    super();
    this.l2 = checkFactor('L2', 'l2', l2);
  }
  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mul(this.l2, tf.sum(tf.square(x))));
  }
  override getConfig(): Config {
    return { l2: this.l2 };
  }
}

/** `l1 * sum(|x|) + l2 * sum(x^2)`. */
export class L1L2 extends Regularizer {
  static override readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  /** @param l1 @default 0 @param l2 @default 0 */
  constructor({ l1 = 0, l2 = 0 }: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = checkFactor('L1L2', 'l1', l1);
    this.l2 = checkFactor('L1L2', 'l2', l2);
  }
  call(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() =>
      tf.add(tf.mul(this.l1, tf.sum(tf.abs(x))), tf.mul(this.l2, tf.sum(tf.square(x)))),
    );
  }
  override getConfig(): Config {
    return { l1: this.l1, l2: this.l2 };
  }
}

export interface OrthogonalRegularizerArgs {
  /** @default 0.01 */
  factor?: number;
  /** Which vectors should be orthogonal: the rows or the columns of the 2D input. @default 'rows' */
  mode?: 'rows' | 'columns';
}

/**
 * Keras's OrthogonalRegularizer: `factor * 0.5 * sum(|V V^T - diag|) / (n (n - 1) / 2)` for the
 * L2-normalised rows (or columns) V of a 2D weight.
 */
export class OrthogonalRegularizer extends Regularizer {
  static override readonly className = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: 'rows' | 'columns';
  constructor({ factor = 0.01, mode = 'rows' }: OrthogonalRegularizerArgs = {}) {
    super();
    this.factor = checkFactor('OrthogonalRegularizer', 'factor', factor);
    if (mode !== 'rows' && mode !== 'columns') {
      throw new ValueError(
        `OrthogonalRegularizer: mode must be 'rows' or 'columns'. Received: mode=${JSON.stringify(mode)}.`,
      );
    }
    this.mode = mode;
  }
  call(x: tf.Tensor): tf.Scalar {
    if (x.rank !== 2) {
      throw new ValueError(
        `OrthogonalRegularizer: expected a rank-2 weight, received shape ${JSON.stringify(x.shape)}.`,
      );
    }
    return tf.tidy(() => {
      const axis = this.mode === 'rows' ? 1 : 0;
      const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12));
      let v = tf.div(x, norm) as tf.Tensor2D;
      if (this.mode === 'columns') v = tf.transpose(v);
      const size = v.shape[0];
      const product = tf.matMul(v, v, false, true);
      const offDiagonal = tf.mul(product, tf.sub(1, tf.eye(size)));
      const pairs = (size * (size - 1)) / 2;
      return tf.div(tf.mul(this.factor * 0.5, tf.sum(tf.abs(offDiagonal))), pairs) as tf.Scalar;
    });
  }
  override getConfig(): Config {
    return { factor: this.factor, mode: this.mode };
  }
}
