import { nextSeed } from '../../utils/random.js';

/**
 * Seeds for a layer's random draws (Keras's SeedGenerator): with a seed, a reproducible sequence
 * (one new seed per call, so successive calls differ); without one, Cornu's global `nextSeed()`.
 */
export class SeedStream {
  #counter = 0;
  constructor(readonly seed: number | null) {}

  next(): number {
    if (this.seed === null) return nextSeed();
    this.#counter += 1;
    return (Math.imul(this.seed ^ 0x9e3779b9, 2654435761) + Math.imul(this.#counter, 40503)) >>> 0;
  }
}
