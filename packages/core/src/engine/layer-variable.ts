import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../constraints/constraint.js';
import { ValueError } from '../errors/errors.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { formatShape } from './naming.js';

let variableCounter = 0;

/** Arguments of `new LayerVariable(...)`; layers create them through `layer.addWeight`. */
export interface LayerVariableArgs {
  /** The initial value (taken over: the variable owns it afterwards). */
  initialValue: tf.Tensor;
  /** Short name, `'kernel'`. */
  name: string;
  /** Keras 3 `variable.path`, `'dense_1/kernel'`. @default name */
  path?: string;
  /** @default true */
  trainable?: boolean;
  constraint?: Constraint;
  regularizer?: Regularizer;
}

/**
 * A layer's weight: a `tf.Variable` (with a generated, engine-wide unique name) plus the
 * Keras-facing identity (`name`, `path`), trainability, constraint and regularizer.
 */
export class LayerVariable {
  readonly name: string;
  readonly path: string;
  readonly constraint?: Constraint;
  readonly regularizer?: Regularizer;
  readonly value: tf.Variable;
  #trainable: boolean;

  constructor({
    initialValue,
    name,
    path = name,
    trainable = true,
    constraint,
    regularizer,
  }: LayerVariableArgs) {
    this.name = name;
    this.path = path;
    this.#trainable = trainable;
    if (constraint) this.constraint = constraint;
    if (regularizer) this.regularizer = regularizer;
    variableCounter += 1;
    this.value = tf.variable(initialValue, trainable, `${path}__${variableCounter}`);
    if (this.value !== (initialValue as unknown)) initialValue.dispose();
  }

  /** Whether optimizers update it; kept in sync with the tfjs variable's flag. */
  get trainable(): boolean {
    return this.#trainable;
  }
  set trainable(value: boolean) {
    this.#trainable = value;
    this.value.trainable = value;
  }

  get shape(): number[] {
    return this.value.shape;
  }
  get dtype(): tf.DataType {
    return this.value.dtype;
  }
  /** Number of scalars it holds. */
  get size(): number {
    return this.value.size;
  }

  /** The live value (no copy): use it inside computations, do not dispose it. */
  read(): tf.Tensor {
    return this.value;
  }

  /** Replaces the value (same shape required); the caller keeps ownership of `t`. */
  assign(t: tf.Tensor): void {
    if (!tf.util.arraysEqual(t.shape, this.value.shape)) {
      throw new ValueError(
        `LayerVariable '${this.path}': expected a value of shape ${formatShape(this.value.shape)}, received shape ${formatShape(t.shape)}.`,
      );
    }
    this.value.assign(
      t.dtype === this.value.dtype ? t : tf.tidy(() => tf.cast(t, this.value.dtype)),
    );
  }

  /** Frees the tfjs variable. */
  dispose(): void {
    if (!this.value.isDisposed) this.value.dispose();
  }
}
