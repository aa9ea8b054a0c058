import { NotFoundError, ValueError } from '../errors/errors.js';
import { CTC } from './ctc.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import { Loss, type LossConfig, type LossFunction, LossFunctionWrapper } from './loss.js';
import {
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalCrossentropy,
  CategoricalFocalCrossentropy,
  KLDivergence,
  Poisson,
  SparseCategoricalCrossentropy,
} from './probabilistic.js';
import {
  CosineSimilarity,
  Huber,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
} from './regression.js';
import { Dice, Tversky } from './segmentation.js';

type LossClass = { className: string; fromConfig(config: LossConfig): Loss; new (): Loss };

const classes = new Map<string, LossClass>();
for (const cls of [
  MeanSquaredError,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
  Huber,
  LogCosh,
  CosineSimilarity,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  CategoricalCrossentropy,
  SparseCategoricalCrossentropy,
  BinaryCrossentropy,
  BinaryFocalCrossentropy,
  CategoricalFocalCrossentropy,
  KLDivergence,
  Poisson,
  Dice,
  Tversky,
  CTC,
]) {
  classes.set(cls.className, cls as unknown as LossClass);
}

/** Keras's short aliases, by normalised key. */
const ALIASES: Record<string, string> = {
  mse: 'MeanSquaredError',
  mae: 'MeanAbsoluteError',
  mape: 'MeanAbsolutePercentageError',
  msle: 'MeanSquaredLogarithmicError',
  kld: 'KLDivergence',
  kldivergence: 'KLDivergence',
  kullbackleiblerdivergence: 'KLDivergence',
  huberloss: 'Huber',
  logcosh: 'LogCosh',
};
const key = (name: string) => name.replace(/_/g, '').toLowerCase();

function lookup(name: string): LossClass | undefined {
  const k = key(name);
  const alias = ALIASES[k];
  if (alias) return classes.get(alias);
  for (const cls of classes.values()) if (key(cls.className) === k) return cls;
  return undefined;
}

/** Makes a custom loss class known to `get` and `deserialize`. */
export function register(cls: LossClass): void {
  classes.set(cls.className, cls);
}

/** The Keras dict of a loss. */
export function serialize(loss: Loss): {
  module: string;
  class_name: string;
  config: LossConfig;
  registered_name: string | null;
} {
  const className = (loss.constructor as typeof Loss).className;
  const builtIn = classes.get(className) === (loss.constructor as unknown);
  return {
    module: builtIn ? 'keras.losses' : 'Custom',
    class_name: className,
    config: loss.getConfig(),
    registered_name: builtIn ? null : `Custom>${className}`,
  };
}

/** Rebuilds a loss from its Keras dict. */
export function deserialize(dict: { class_name: string; config?: LossConfig }): Loss {
  const cls = classes.get(dict.class_name) ?? lookup(dict.class_name);
  if (cls == null) {
    throw new NotFoundError(
      `losses.deserialize: unknown loss class '${dict.class_name}'. Fix: losses.register(YourLoss) first.`,
    );
  }
  return cls.fromConfig(dict.config ?? {});
}

/**
 * A loss from a name in camelCase or Keras snake_case ('sparseCategoricalCrossentropy',
 * 'sparse_categorical_crossentropy', 'mse'), a class name, a Keras dict, a `Loss` (returned as
 * is) or a per-sample function (wrapped).
 */
export function get(
  identifier: string | Loss | LossFunction | { class_name: string; config?: LossConfig },
): Loss {
  if (identifier instanceof Loss) return identifier;
  if (typeof identifier === 'function') return new LossFunctionWrapper(identifier);
  if (typeof identifier === 'string') {
    const cls = lookup(identifier);
    if (cls == null) {
      throw new NotFoundError(
        `losses.get: unknown loss '${identifier}'. Expected a Keras loss name such as 'sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy', 'mse' or 'binary_crossentropy', a Loss, or a function (yTrue, yPred) => tensor.`,
      );
    }
    return new cls();
  }
  if (
    identifier != null &&
    typeof identifier === 'object' &&
    typeof identifier.class_name === 'string'
  ) {
    return deserialize(identifier);
  }
  throw new ValueError(
    `losses.get: expected a loss name, a Loss, a function or a Keras dict, received ${String(identifier)}.`,
  );
}
