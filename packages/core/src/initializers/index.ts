/**
 * Weight initializers, by object, Keras name (`'glorot_uniform'`), camelCase name
 * (`'glorotUniform'`) or Keras dict (`{ class_name: 'GlorotUniform', config: { seed: null } }`).
 */
import { ValueError } from '../errors/errors.js';
import { toSnakeCase } from '../engine/naming.js';
import {
  type Config,
  deserializeKerasObject,
  isKerasObjectDict,
  type KerasObjectDict,
  registerKerasClass,
  serializeKerasObject,
} from '../saving/registry.js';
import { Constant, Ones, Zeros } from './constant.js';
import { Identity } from './identity.js';
import { Initializer } from './initializer.js';
import { Orthogonal } from './orthogonal.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
} from './variance-scaling.js';

export { computeFans, Initializer } from './initializer.js';
export { Constant, type ConstantArgs, Ones, Zeros } from './constant.js';
export { Identity, type IdentityArgs } from './identity.js';
export { Orthogonal, type OrthogonalArgs } from './orthogonal.js';
export {
  RandomNormal,
  type RandomNormalArgs,
  RandomUniform,
  type RandomUniformArgs,
  TruncatedNormal,
} from './random.js';
export {
  type Distribution,
  type FanMode,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  type SeedArgs,
  VarianceScaling,
  type VarianceScalingArgs,
} from './variance-scaling.js';

const MODULE = 'keras.initializers';
type Ctor = (new () => Initializer) & { className: string; fromConfig(c: Config): Initializer };
const ALL: Ctor[] = [
  Zeros,
  Ones,
  Constant,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  GlorotUniform,
  GlorotNormal,
  HeUniform,
  HeNormal,
  LecunUniform,
  LecunNormal,
  Orthogonal,
  Identity,
] as unknown as Ctor[];

const byName = new Map<string, Ctor>();
for (const cls of ALL) {
  registerKerasClass(MODULE, cls);
  byName.set(toSnakeCase(cls.className), cls);
}
byName.set('uniform', RandomUniform as unknown as Ctor);
byName.set('normal', RandomNormal as unknown as Ctor);
byName.set('zero', Zeros as unknown as Ctor);
byName.set('one', Ones as unknown as Ctor);

/** Anything `get` accepts. */
export type InitializerIdentifier = Initializer | string | KerasObjectDict;

/** Resolves an initializer from an object, a name or a Keras dict. */
export function get(identifier: InitializerIdentifier): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') {
    const cls = byName.get(toSnakeCase(identifier)) ?? byName.get(identifier);
    if (!cls) {
      throw new ValueError(
        `Unknown initializer ${JSON.stringify(identifier)}. Expected one of ${[...byName.keys()].map((k) => `'${k}'`).join(', ')}.`,
      );
    }
    return new cls();
  }
  if (isKerasObjectDict(identifier)) return deserializeKerasObject<Initializer>(identifier);
  throw new ValueError(
    `Could not interpret initializer identifier: ${JSON.stringify(identifier)}.`,
  );
}

/** The Keras dict of an initializer: `{ module: 'keras.initializers', class_name, config, registered_name }`. */
export function serialize(initializer: Initializer): KerasObjectDict {
  return serializeKerasObject(initializer);
}

/** Rebuilds an initializer from its Keras dict. */
export function deserialize(dict: KerasObjectDict): Initializer {
  return deserializeKerasObject<Initializer>(dict);
}
