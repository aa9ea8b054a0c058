/** Weight constraints (`maxNorm`, `minMaxNorm`, `nonNeg`, `unitNorm`) by object, name or Keras dict. */
import { ValueError } from '../errors/errors.js';
import { toSnakeCase } from '../engine/naming.js';
import {
  deserializeKerasObject,
  isKerasObjectDict,
  type KerasObjectDict,
  registerKerasClass,
  serializeKerasObject,
} from '../saving/registry.js';
import { Constraint } from './constraint.js';
import {
  MaxNorm,
  type MaxNormArgs,
  MinMaxNorm,
  type MinMaxNormArgs,
  NonNeg,
  UnitNorm,
  type UnitNormArgs,
} from './norms.js';

export { Constraint } from './constraint.js';
export {
  MaxNorm,
  type MaxNormArgs,
  MinMaxNorm,
  type MinMaxNormArgs,
  NonNeg,
  UnitNorm,
  type UnitNormArgs,
} from './norms.js';

const MODULE = 'keras.constraints';
for (const cls of [MaxNorm, MinMaxNorm, NonNeg, UnitNorm]) registerKerasClass(MODULE, cls);

/** Rescales vectors whose norm exceeds `maxValue` (default 2). */
export const maxNorm = (args: MaxNormArgs = {}): Constraint => new MaxNorm(args);
/** Keeps norms in `[minValue, maxValue]`. */
export const minMaxNorm = (args: MinMaxNormArgs = {}): Constraint => new MinMaxNorm(args);
/** Zeroes negative weights. */
export const nonNeg = (): Constraint => new NonNeg();
/** Unit L2 norm along `axis`. */
export const unitNorm = (args: UnitNormArgs = {}): Constraint => new UnitNorm(args);

const byName: Record<string, () => Constraint> = {
  max_norm: () => new MaxNorm(),
  min_max_norm: () => new MinMaxNorm(),
  non_neg: () => new NonNeg(),
  unit_norm: () => new UnitNorm(),
};

/** Anything `get` accepts. */
export type ConstraintIdentifier = Constraint | string | KerasObjectDict;

/** Resolves a constraint from an object, a name (`'non_neg'`, `'nonNeg'`) or a Keras dict. */
export function get(identifier: ConstraintIdentifier): Constraint {
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === 'string') {
    const make = byName[toSnakeCase(identifier)];
    if (!make) {
      throw new ValueError(
        `Unknown constraint ${JSON.stringify(identifier)}. Expected one of ${Object.keys(byName)
          .map((k) => `'${k}'`)
          .join(', ')}.`,
      );
    }
    return make();
  }
  if (isKerasObjectDict(identifier)) return deserializeKerasObject<Constraint>(identifier);
  throw new ValueError(`Could not interpret constraint identifier: ${JSON.stringify(identifier)}.`);
}

/** The Keras dict of a constraint. */
export function serialize(constraint: Constraint): KerasObjectDict {
  return serializeKerasObject(constraint);
}

/** Rebuilds a constraint from its Keras dict. */
export function deserialize(dict: KerasObjectDict): Constraint {
  return deserializeKerasObject<Constraint>(dict);
}
