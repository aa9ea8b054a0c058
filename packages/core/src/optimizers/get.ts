import { NotFoundError, ValueError } from '../errors/errors.js';
import { Adadelta } from './adadelta.js';
import { Adafactor } from './adafactor.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Ftrl } from './ftrl.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';
import { describe } from './variable-like.js';

type OptimizerClass = {
  className: string;
  fromConfig(config: OptimizerConfig): Optimizer;
  new (): Optimizer;
};

const classes = new Map<string, OptimizerClass>();
for (const cls of [
  SGD,
  Adam,
  AdamW,
  Adamax,
  Nadam,
  RMSprop,
  Adagrad,
  Adadelta,
  Adafactor,
  Lion,
  Ftrl,
]) {
  classes.set(cls.className, cls as unknown as OptimizerClass);
}
const key = (name: string) => name.replace(/_/g, '').toLowerCase();
const byKey = new Map([...classes.values()].map((cls) => [key(cls.className), cls]));

/** Makes a custom optimizer class known to `get` and `deserialize` under its `className`. */
export function register(cls: OptimizerClass): void {
  classes.set(cls.className, cls);
  byKey.set(key(cls.className), cls);
}

/** The Keras dict of an optimizer: `{ module, class_name, config, registered_name }`. */
export function serialize(optimizer: Optimizer): {
  module: string;
  class_name: string;
  config: OptimizerConfig;
  registered_name: string | null;
} {
  const className = (optimizer.constructor as typeof Optimizer).className;
  const builtIn = classes.get(className) === (optimizer.constructor as unknown);
  return {
    module: builtIn ? 'keras.optimizers' : 'Custom',
    class_name: className,
    config: optimizer.getConfig(),
    registered_name: builtIn ? null : `Custom>${className}`,
  };
}

/** Rebuilds an optimizer from its Keras dict. */
export function deserialize(dict: { class_name: string; config?: OptimizerConfig }): Optimizer {
  const cls = classes.get(dict.class_name) ?? byKey.get(key(dict.class_name));
  if (cls == null) {
    throw new NotFoundError(
      `optimizers.deserialize: unknown optimizer class '${dict.class_name}'. Known: ${[...classes.keys()].join(', ')}. Fix: optimizers.register(YourOptimizer) first.`,
    );
  }
  return cls.fromConfig(dict.config ?? {});
}

/**
 * An optimizer from a name ('adam', 'Adam', 'rmsprop', 'adamw'), a Keras dict, or an instance
 * (returned as is). Names give the optimizer with Keras's default arguments.
 */
export function get(
  identifier: string | Optimizer | { class_name: string; config?: OptimizerConfig },
): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') {
    const cls = byKey.get(key(identifier));
    if (cls == null) {
      throw new NotFoundError(
        `optimizers.get: unknown optimizer '${identifier}'. Expected one of: ${[...classes.keys()].map((n) => `'${n.toLowerCase()}'`).join(', ')}.`,
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
    `optimizers.get: expected an optimizer name, a Keras dict or an Optimizer, received ${describe(identifier)}.`,
  );
}
