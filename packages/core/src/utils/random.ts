import { ValueError } from '../errors/errors.js';

/**
 * Cornu's global seed: `setRandomSeed(seed)` makes every seeded draw after it reproducible.
 *
 * Initializers, dropout, shuffles and anything else that draws random numbers call `nextSeed()` for
 * the seed of each draw (tfjs ops take an explicit `seed` argument), or `createRng(nextSeed())`
 * for a JavaScript stream. Without `setRandomSeed` the seeds come from `Math.random`.
 */

let state: number | undefined;

/** splitmix32 step: a well-mixed 32-bit sequence from a counter-like state. */
function splitmix32(s: number): [next: number, value: number] {
  const next = (s + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/**
 * Seeds Cornu's global seed generator (Keras `keras.utils.set_random_seed`). Every later
 * `nextSeed()` sequence is a function of `seed` only.
 */
export function setRandomSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0) {
    throw new ValueError(
      `setRandomSeed: seed must be a non-negative integer. Received: seed=${String(seed)}.`,
    );
  }
  state = seed >>> 0;
}

/** Forgets the global seed, so that seeds come from `Math.random` again. */
export function clearRandomSeed(): void {
  state = undefined;
}

/** The global seed set by `setRandomSeed`, or `undefined`. */
export function getRandomSeed(): number | undefined {
  return state;
}

/**
 * The next seed (a 32-bit unsigned integer) for one random draw. Deterministic after
 * `setRandomSeed`, fresh from `Math.random` otherwise. Pass it as the `seed` of a tfjs random op
 * or to `createRng`.
 */
export function nextSeed(): number {
  if (state === undefined) return Math.floor(Math.random() * 0x100000000) >>> 0;
  const [next, value] = splitmix32(state);
  state = next;
  return value;
}

/**
 * The seed to hand a tfjs normal or gamma generator (`tf.randomNormal`, `tf.truncatedNormal`,
 * `tf.randomGamma`). Those treat a falsy seed as no seed at all (`seed ? seed : Math.random()`),
 * so seed 0, a valid Keras seed and a possible `nextSeed()` value, would draw fresh numbers on
 * every call. 0 maps to 2^32, which `nextSeed()` never returns; every other seed is unchanged.
 */
export function tfjsSeed(seed: number): number {
  return seed === 0 ? 0x100000000 : seed;
}

/**
 * A small seeded JavaScript generator (mulberry32): each call returns a float in [0, 1).
 * `seed` defaults to `nextSeed()`.
 */
export function createRng(seed: number = nextSeed()): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n) drawn from `rng`. */
export function randomInt(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}
