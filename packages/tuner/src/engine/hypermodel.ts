import {
  type callbacks,
  type FitArgs,
  type Model,
  NotImplementedError,
  type tf,
  ValueError,
} from '@cornu/core';
import type { HyperParameters } from './hyperparameters.js';

/** What `fit` takes as `x` or `y`: tensors, or a dataset of batches for `x`. */
export type FitData =
  | tf.Tensor
  | tf.Tensor[]
  | Record<string, tf.Tensor>
  | AsyncIterable<unknown>
  | Iterable<unknown>;

/** `model.fit`, typed here because core's trainer augments `Model` in a way its bundled types lose. */
export function fitModel(
  model: Model,
  x: FitData,
  y: FitData | null | undefined,
  args: FitArgs,
): Promise<callbacks.History> {
  const fit = (
    model as unknown as { fit: (...a: unknown[]) => Promise<callbacks.History> }
  ).fit.bind(model);
  return y === undefined ? fit(x, args) : fit(x, y, args);
}

/** What `HyperModel.fit` may return: fit's History, an objective value, or a metrics record. */
export type FitResult = callbacks.History | number | Record<string, number>;

/** Arguments of `HyperModel`. */
export interface HyperModelArgs {
  /** @default the class name */
  name?: string;
}

/**
 * A tunable model (Keras Tuner's `HyperModel`): `build(hp)` returns a compiled model; `fit(hp,
 * model, x, y, args)` trains it, and is where batch size, epochs or any fit argument become
 * hyperparameters.
 *
 * @example
 * class MyHyperModel extends HyperModel {
 *   build(hp) { ... return model; }
 *   fit(hp, model, x, y, args) {
 *     return model.fit(x, y, { ...args, batchSize: hp.Choice('batch_size', [16, 32, 64]) });
 *   }
 * }
 */
export class HyperModel {
  readonly name: string;

  constructor({ name }: HyperModelArgs = {}) {
    this.name = name ?? this.constructor.name;
  }

  /** Builds (and compiles) a model from the hyperparameters. */
  build(_hp: HyperParameters): Model | Promise<Model> {
    throw new NotImplementedError(
      `${this.constructor.name}.build is not implemented. Subclass HyperModel and implement build(hp), or pass a function (hp) => model as hypermodel.`,
    );
  }

  /** Trains the model; the default is `model.fit(x, y, args)` (`x` alone for a dataset). */
  async fit(
    _hp: HyperParameters,
    model: Model,
    x: FitData,
    y: FitData | null | undefined,
    args: FitArgs,
  ): Promise<FitResult> {
    return fitModel(model, x, y, args);
  }
}

/** A hypermodel from a build function. */
export class FunctionHyperModel extends HyperModel {
  readonly #build: (hp: HyperParameters) => Model | Promise<Model>;

  constructor(build: (hp: HyperParameters) => Model | Promise<Model>) {
    super({ name: build.name || 'FunctionHyperModel' });
    this.#build = build;
  }

  override build(hp: HyperParameters): Model | Promise<Model> {
    return this.#build(hp);
  }
}

/** A HyperModel, or a function (hp) => model wrapped as one; anything else fails naming `where`. */
export function toHyperModel(value: unknown, where: string): HyperModel {
  if (value instanceof HyperModel) return value;
  if (typeof value === 'function') return new FunctionHyperModel(value as never);
  throw new ValueError(
    `${where}: expected a HyperModel or a function (hp) => model. Received: ${value === undefined ? 'nothing (no such export)' : typeof value}.`,
  );
}
