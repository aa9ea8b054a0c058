import { describe, expect, it } from 'vitest';
import { CosineDecay } from './cosine-decay.js';
import { CosineDecayRestarts } from './cosine-decay-restarts.js';
import { ExponentialDecay } from './exponential-decay.js';
import { InverseTimeDecay } from './inverse-time-decay.js';
import { deserializeSchedule, serializeSchedule } from './learning-rate-schedule.js';
import { PiecewiseConstantDecay } from './piecewise-constant-decay.js';
import { PolynomialDecay } from './polynomial-decay.js';

describe('learning rate schedules (Keras formulas at given steps)', () => {
  it('ExponentialDecay, smooth and staircase', () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expect(s.call(0)).toBeCloseTo(0.1, 12);
    expect(s.call(5)).toBeCloseTo(0.1 * Math.SQRT1_2, 12);
    expect(s.call(20)).toBeCloseTo(0.025, 12);
    const st = new ExponentialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
      staircase: true,
    });
    expect(st.call(19)).toBeCloseTo(0.05, 12);
  });

  it('PiecewiseConstantDecay: values[i] while step <= boundaries[i]', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [100, 110], values: [1, 0.5, 0.1] });
    expect([0, 100, 101, 110, 111, 1000].map((t) => s.call(t))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1]);
    expect(() => new PiecewiseConstantDecay({ boundaries: [1], values: [1] })).toThrow(
      /one more element than boundaries, received 1 values and 1 boundaries/,
    );
  });

  it('PolynomialDecay, capped and cycling', () => {
    const s = new PolynomialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      endLearningRate: 0.01,
      power: 2,
    });
    expect(s.call(5)).toBeCloseTo(0.09 * 0.25 + 0.01, 12);
    expect(s.call(50)).toBeCloseTo(0.01, 12);
    const c = new PolynomialDecay({
      initialLearningRate: 0.1,
      decaySteps: 10,
      endLearningRate: 0.01,
      cycle: true,
    });
    // step 15 -> decay steps become 20: (0.1 - 0.01) * (1 - 15/20) + 0.01
    expect(c.call(15)).toBeCloseTo(0.09 * 0.25 + 0.01, 12);
    expect(c.call(0)).toBeCloseTo(0.1, 12);
  });

  it('InverseTimeDecay', () => {
    const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    expect(s.call(2)).toBeCloseTo(0.05, 12);
    const st = new InverseTimeDecay({
      initialLearningRate: 0.1,
      decaySteps: 4,
      decayRate: 1,
      staircase: true,
    });
    expect(st.call(7)).toBeCloseTo(0.05, 12);
  });

  it('CosineDecay, plain and with warmup', () => {
    const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.1 });
    expect(s.call(50)).toBeCloseTo(0.1 * (0.9 * 0.5 + 0.1), 12);
    expect(s.call(200)).toBeCloseTo(0.01, 12);
    const w = new CosineDecay({
      initialLearningRate: 0,
      decaySteps: 100,
      warmupTarget: 0.2,
      warmupSteps: 10,
    });
    expect(w.call(5)).toBeCloseTo(0.1, 12);
    expect(w.call(10)).toBeCloseTo(0.2, 12);
    expect(w.call(60)).toBeCloseTo(0.1, 12);
    expect(w.call(500)).toBeCloseTo(0, 12);
  });

  it('CosineDecayRestarts with tMul 2 and mMul 0.5', () => {
    const s = new CosineDecayRestarts({
      initialLearningRate: 1,
      firstDecaySteps: 10,
      tMul: 2,
      mMul: 0.5,
    });
    expect(s.call(0)).toBeCloseTo(1, 12);
    expect(s.call(5)).toBeCloseTo(0.5, 12);
    // The second period runs steps 10..30 at half the height: its midpoint is step 20.
    expect(s.call(10)).toBeCloseTo(0.5, 12);
    expect(s.call(20)).toBeCloseTo(0.25, 12);
    const same = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 1 });
    expect(same.call(15)).toBeCloseTo(0.5, 12);
  });

  it('serialize/deserialize round-trips every schedule', () => {
    for (const s of [
      new ExponentialDecay({
        initialLearningRate: 0.1,
        decaySteps: 10,
        decayRate: 0.5,
        staircase: true,
      }),
      new PiecewiseConstantDecay({ boundaries: [1], values: [1, 2] }),
      new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10, cycle: true }),
      new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
      new CosineDecay({
        initialLearningRate: 0.1,
        decaySteps: 10,
        warmupTarget: 1,
        warmupSteps: 3,
      }),
      new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10 }),
    ]) {
      const dict = serializeSchedule(s);
      const back = deserializeSchedule(JSON.parse(JSON.stringify(dict)));
      expect(back.constructor).toBe(s.constructor);
      expect(back.getConfig()).toEqual(s.getConfig());
      expect(back.call(7)).toBe(s.call(7));
    }
    expect(() => deserializeSchedule({ class_name: 'Nope', config: {} })).toThrow(
      /unknown learning rate schedule class 'Nope'/,
    );
  });
});
