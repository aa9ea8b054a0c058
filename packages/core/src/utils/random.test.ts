import { afterEach, describe, expect, it } from 'vitest';
import { clearRandomSeed, createRng, nextSeed, setRandomSeed } from './random.js';

afterEach(() => clearRandomSeed());

describe('utils.setRandomSeed / nextSeed', () => {
  it('makes the seed sequence a function of the seed', () => {
    setRandomSeed(42);
    const a = [nextSeed(), nextSeed(), nextSeed()];
    setRandomSeed(42);
    expect([nextSeed(), nextSeed(), nextSeed()]).toEqual(a);
    setRandomSeed(43);
    expect(nextSeed()).not.toBe(a[0]);
    expect(new Set(a).size).toBe(3);
    for (const s of a) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  it('createRng gives reproducible uniform floats in [0, 1)', () => {
    const a = createRng(7);
    const b = createRng(7);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01); // std of the mean is 0.0029
  });

  it('rejects a negative or fractional seed', () => {
    expect(() => setRandomSeed(-1)).toThrow(
      /seed must be a non-negative integer\. Received: seed=-1/,
    );
    expect(() => setRandomSeed(1.5)).toThrow(/Received: seed=1\.5/);
  });
});
