/**
 * Activations by Keras name: `activations.get('relu')` returns `(x: tf.Tensor) => tf.Tensor`;
 * `serialize(fn)` returns the Keras snake_case name (`'gelu'`, `'hard_sigmoid'`).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import * as fns from './activations.js';

export {
  elu,
  exponential,
  gelu,
  hardSigmoid,
  hardSilu,
  leakyRelu,
  linear,
  logSoftmax,
  mish,
  relu,
  relu6,
  selu,
  sigmoid,
  silu,
  softmax,
  softplus,
  softsign,
  tanh,
} from './activations.js';

/** An activation function. */
export type ActivationFn = (x: tf.Tensor) => tf.Tensor;
/** Anything `get` accepts: a Keras name, a function, or null/undefined for linear. */
export type ActivationIdentifier = string | ActivationFn | null | undefined;

/** `gelu` with the tanh approximation, serialized as `'gelu_approximate'`. */
export const geluApproximate: ActivationFn = (x) => fns.gelu(x, true);

const one =
  (f: (x: tf.Tensor, ...rest: never[]) => tf.Tensor): ActivationFn =>
  (x) =>
    f(x);

/** Keras name -> function; the first name of each function is the one `serialize` writes. */
const BY_NAME: [string, ActivationFn][] = [
  ['linear', fns.linear],
  ['relu', fns.relu],
  ['relu6', fns.relu6],
  ['sigmoid', fns.sigmoid],
  ['tanh', fns.tanh],
  ['softmax', one(fns.softmax)],
  ['log_softmax', one(fns.logSoftmax)],
  ['softplus', fns.softplus],
  ['softsign', fns.softsign],
  ['selu', fns.selu],
  ['elu', one(fns.elu)],
  ['gelu', one(fns.gelu)],
  ['gelu_approximate', geluApproximate],
  ['silu', fns.silu],
  ['hard_sigmoid', fns.hardSigmoid],
  ['hard_silu', fns.hardSilu],
  ['mish', fns.mish],
  ['leaky_relu', one(fns.leakyRelu)],
  ['exponential', fns.exponential],
];

const byName = new Map<string, ActivationFn>(BY_NAME);
const nameOf = new Map<ActivationFn, string>();
for (const [name, fn] of BY_NAME) nameOf.set(fn, name);
// The exported forms serialize to their names too.
for (const [fn, name] of [
  [fns.softmax, 'softmax'],
  [fns.logSoftmax, 'log_softmax'],
  [fns.elu, 'elu'],
  [fns.gelu, 'gelu'],
  [fns.leakyRelu, 'leaky_relu'],
] as const) {
  nameOf.set(fn as ActivationFn, name);
}
const ALIASES: Record<string, string> = {
  swish: 'silu',
  hard_swish: 'hard_silu',
  logsoftmax: 'log_softmax',
};

function canonical(name: string): string {
  const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return ALIASES[snake] ?? snake;
}

/** Resolves an activation: a Keras name (snake_case or camelCase), a function, or null for linear. */
export function get(identifier: ActivationIdentifier): ActivationFn {
  if (identifier == null) return fns.linear;
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string') {
    const fn = byName.get(canonical(identifier));
    if (fn) return fn;
  }
  throw new ValueError(
    `Unknown activation ${JSON.stringify(identifier)}. Expected one of ${[
      ...byName.keys(),
      ...Object.keys(ALIASES),
    ]
      .map((k) => `'${k}'`)
      .join(', ')}, or a function.`,
  );
}

/**
 * The Keras name of an activation (`'relu'`), or the function's `name` for a custom one
 * (`registerActivation` makes it loadable).
 */
export function serialize(fn: ActivationFn): string {
  return nameOf.get(fn) ?? custom.get(fn) ?? (fn.name || 'custom_activation');
}

const custom = new Map<ActivationFn, string>();

/** Registers a custom activation under `name` so configs naming it can be loaded. */
export function registerActivation(name: string, fn: ActivationFn): void {
  byName.set(name, fn);
  custom.set(fn, name);
}
