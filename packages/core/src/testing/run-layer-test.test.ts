import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { Dense } from '../layers/core/dense.js';
import { clearRandomSeed, getRandomSeed, nextSeed, setRandomSeed } from '../utils/random.js';
import { runLayerTest } from './run-layer-test.js';

beforeAll(async () => {
  await ready();
});

/** 'pass' or the harness's message: a one-unit relu Dense on one sample has a dead unit half the time. */
function outcome(seed: number): string {
  try {
    runLayerTest(Dense, { initArgs: { units: 1, activation: 'relu' }, inputShape: [1, 4], seed });
    return 'pass';
  } catch (error) {
    // Layer names carry a counter (dense_7, dense_9, ...); the verdict is the rest.
    return (error as Error).message.replace(/dense_\d+/g, 'dense');
  }
}

describe('runLayerTest', () => {
  it('gives the same verdict on every run of a seed (initializers are seeded too)', () => {
    const verdicts = new Map<number, string>();
    for (let seed = 0; seed < 12; seed += 1) {
      const first = outcome(seed);
      for (let repeat = 0; repeat < 3; repeat += 1) expect(outcome(seed)).toBe(first);
      verdicts.set(seed, first);
    }
    const values = [...verdicts.values()];
    // Both verdicts occur, so the repeats above would have caught an unseeded initializer.
    expect(values).toContain('pass');
    expect(values.some((v) => v.includes("gradient of 'dense") && v.includes('all zeros'))).toBe(
      true,
    );
  });

  it("restores the caller's global seed state afterwards", () => {
    setRandomSeed(42);
    nextSeed();
    const saved = getRandomSeed();
    const expected = (() => {
      const draws = [nextSeed(), nextSeed()];
      setRandomSeed(saved as number);
      return draws;
    })();
    runLayerTest(Dense, { initArgs: { units: 2 }, inputShape: [2, 3] });
    expect([nextSeed(), nextSeed()]).toEqual(expected);

    clearRandomSeed();
    runLayerTest(Dense, { initArgs: { units: 2 }, inputShape: [2, 3] });
    expect(getRandomSeed()).toBeUndefined();
  });
});
