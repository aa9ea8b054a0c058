/**
 * Seeded pseudo-random numbers. Oracles draw each trial's values from a stream derived from
 * `(seed, trial number)`, so a trial's values do not depend on how many other trials ran before it
 * or in which order they finished: a resumed search and a parallel search create the same trials
 * as a serial, uninterrupted one.
 */
export interface Rng {
  /** A uniform number in [0, 1). */
  next(): number;
}

/** 32-bit FNV-1a hash of a string, used to mix seeds with stream names. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** sfc32: a small, fast generator with a 128-bit state that passes PractRand to 2^40 bytes. */
export function createRng(seed: number, stream = ''): Rng {
  let a = hash(`a${seed}/${stream}`);
  let b = hash(`b${seed}/${stream}`);
  let c = hash(`c${seed}/${stream}`);
  let d = 1;
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return { next };
}

/** A standard normal draw (Box-Muller). */
export function randomNormal(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** A seed for when none is given: fixed per process start so runs differ, but never Math.random. */
export function defaultSeed(): number {
  return Number(process.hrtime.bigint() % 2147483647n);
}
