/** Weight and activity regularizers: `l1`, `l2`, `l1l2`, `orthogonal`, by object, name or Keras dict. */
import { ValueError } from '../errors/errors.js';
import {
  deserializeKerasObject,
  isKerasObjectDict,
  type KerasObjectDict,
  registerKerasClass,
  serializeKerasObject,
} from '../saving/registry.js';
import { L1, L1L2, L2, OrthogonalRegularizer } from './penalties.js';
import { Regularizer } from './regularizer.js';

export { Regularizer } from './regularizer.js';
export {
  L1,
  L1L2,
  L2,
  OrthogonalRegularizer,
  type OrthogonalRegularizerArgs,
} from './penalties.js';

const MODULE = 'keras.regularizers';
registerKerasClass(MODULE, L1);
registerKerasClass(MODULE, L2);
registerKerasClass(MODULE, L1L2);
registerKerasClass(MODULE, OrthogonalRegularizer);

/** `l1 * sum(|x|)`, factor 0.01 by default. */
export const l1 = (factor = 0.01): Regularizer => new L1({ l1: factor });
/** `l2 * sum(x^2)`, factor 0.01 by default. */
export const l2 = (factor = 0.01): Regularizer => new L2({ l2: factor });
/** Both penalties (each factor 0 by default, as Keras's L1L2). */
export const l1l2 = (args: { l1?: number; l2?: number } = {}): Regularizer => new L1L2(args);
/** Keras's OrthogonalRegularizer. */
export const orthogonal = (
  args: { factor?: number; mode?: 'rows' | 'columns' } = {},
): Regularizer => new OrthogonalRegularizer(args);

const byName: Record<string, () => Regularizer> = {
  l1: () => new L1(),
  l2: () => new L2(),
  l1l2: () => new L1L2({ l1: 0.01, l2: 0.01 }),
  l1_l2: () => new L1L2({ l1: 0.01, l2: 0.01 }),
  orthogonal_regularizer: () => new OrthogonalRegularizer(),
  orthogonal: () => new OrthogonalRegularizer(),
};

/** Anything `get` accepts. */
export type RegularizerIdentifier = Regularizer | string | KerasObjectDict;

/** Resolves a regularizer from an object, a name (`'l2'`) or a Keras dict. */
export function get(identifier: RegularizerIdentifier): Regularizer {
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'string') {
    const make = byName[identifier.toLowerCase()];
    if (!make) {
      throw new ValueError(
        `Unknown regularizer ${JSON.stringify(identifier)}. Expected one of ${Object.keys(byName)
          .map((k) => `'${k}'`)
          .join(', ')}.`,
      );
    }
    return make();
  }
  if (isKerasObjectDict(identifier)) return deserializeKerasObject<Regularizer>(identifier);
  throw new ValueError(
    `Could not interpret regularizer identifier: ${JSON.stringify(identifier)}.`,
  );
}

/** The Keras dict of a regularizer. */
export function serialize(regularizer: Regularizer): KerasObjectDict {
  return serializeKerasObject(regularizer);
}

/** Rebuilds a regularizer from its Keras dict. */
export function deserialize(dict: KerasObjectDict): Regularizer {
  return deserializeKerasObject<Regularizer>(dict);
}
