import { describe, expect, it } from 'vitest';
import { Choice, Fixed, Float, HyperParameters, Int } from './hyperparameters.js';
import { createRng } from './random.js';

describe('HyperParameters', () => {
  it('registers on first use and returns defaults', () => {
    const hp = new HyperParameters();
    expect(hp.Int('units', 32, 512, { step: 32 })).toBe(32);
    expect(hp.Float('lr', 1e-4, 1e-2, { sampling: 'log', default: 1e-3 })).toBe(1e-3);
    expect(hp.Choice('act', ['relu', 'tanh'])).toBe('relu');
    expect(hp.Boolean('bn')).toBe(false);
    expect(hp.Fixed('seed', 7)).toBe(7);
    expect(hp.space.map((p) => p.name)).toEqual(['units', 'lr', 'act', 'bn', 'seed']);
    hp.values.units = 96;
    expect(hp.Int('units', 32, 512, { step: 32 })).toBe(96);
    expect(hp.get('units')).toBe(96);
  });

  it('Int: step grid, log sampling without step, prob round trips', () => {
    const units = new Int('units', 32, 512, { step: 32 });
    expect(units.gridValues()).toEqual(Array.from({ length: 16 }, (_, i) => 32 * (i + 1)));
    expect(units.probToValue(0)).toBe(32);
    expect(units.probToValue(0.9999)).toBe(512);
    expect(units.valueToProb(64)).toBeCloseTo(1.5 / 16, 12);
    // floor(exp(0.5 * ln(1001))) = floor(31.64) = 31
    const n = new Int('n', 1, 1000, { sampling: 'log' });
    expect(n.probToValue(0.5)).toBe(31);
    expect(n.probToValue(n.valueToProb(31))).toBe(31);
    // log step multiplies: 2, 4, 8, ..., 256
    expect(new Int('b', 2, 256, { step: 2, sampling: 'log' }).gridValues()).toEqual([
      2, 4, 8, 16, 32, 64, 128, 256,
    ]);
  });

  it('Float: linear, log and reverse_log maps and the step grid', () => {
    expect(new Float('x', -5, 10).probToValue(0.2)).toBeCloseTo(-2, 12);
    const lr = new Float('lr', 1e-4, 1e-2, { sampling: 'log' });
    expect(lr.probToValue(0.5)).toBeCloseTo(1e-3, 12);
    expect(lr.valueToProb(1e-3)).toBeCloseTo(0.5, 12);
    // reverse_log: max + min - min * (max / min)^(1 - p) = 0.01 + 0.0001 - 0.001 at p = 0.5
    const rev = new Float('m', 1e-4, 1e-2, { sampling: 'reverse_log' });
    expect(rev.probToValue(0.5)).toBeCloseTo(0.0091, 12);
    expect(rev.valueToProb(0.0091)).toBeCloseTo(0.5, 10);
    const dropout = new Float('d', 0, 0.5, { step: 0.1 });
    expect(dropout.gridValues()).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(dropout.contains(0.3)).toBe(true);
    expect(dropout.contains(0.25)).toBe(false);
    expect(new Float('f', 0, 1).gridValues()).toHaveLength(10);
  });

  it('samples log ranges uniformly in log space', () => {
    const lr = new Float('lr', 1e-4, 1e-2, { sampling: 'log' });
    const rng = createRng(3);
    let below = 0;
    for (let i = 0; i < 20000; i++) if (lr.sample(rng) < 1e-3) below++;
    // Binomial(20000, 0.5): sd = 0.0035; 5 sd bound.
    expect(Math.abs(below / 20000 - 0.5)).toBeLessThan(0.018);
  });

  it('conditional scopes make hyperparameters active only under their parent values', () => {
    const hp = new HyperParameters();
    const kind = hp.Choice('kind', ['mlp', 'cnn']);
    expect(kind).toBe('mlp');
    const filters = hp.conditionalScope('kind', ['cnn'], () =>
      hp.Int('filters', 8, 64, { step: 8, default: 16 }),
    );
    expect(filters).toBe(16);
    hp.Int('depth', 1, 3, { parentName: 'kind', parentValues: ['mlp'] });
    expect(hp.isActive('filters')).toBe(false);
    expect(hp.isActive('depth')).toBe(true);
    expect(Object.keys(hp.activeValues())).toEqual(['kind', 'depth']);
    hp.values.kind = 'cnn';
    hp.values.filters = 40;
    expect(hp.isActive('filters')).toBe(true);
    expect(
      hp.conditionalScope('kind', ['cnn'], () =>
        hp.Int('filters', 8, 64, { step: 8, default: 16 }),
      ),
    ).toBe(40);
    // nested: active only when every ancestor holds
    hp.conditionalScope('kind', ['cnn'], () => {
      hp.Boolean('pool');
      hp.conditionalScope('pool', [true], () => hp.Int('poolSize', 2, 3));
    });
    hp.values.pool = true;
    expect(hp.isActive('poolSize')).toBe(true);
    hp.values.kind = 'mlp';
    expect(hp.isActive('poolSize')).toBe(false);
  });

  it('awaits async conditional scopes before closing them', async () => {
    const hp = new HyperParameters();
    hp.Choice('kind', ['a', 'b']);
    await hp.conditionalScope('kind', ['b'], async () => {
      await Promise.resolve();
      hp.Int('inner', 0, 3);
    });
    hp.Int('outer', 0, 3);
    expect(hp.getHyperParameter('inner')!.conditions).toHaveLength(1);
    expect(hp.getHyperParameter('outer')!.conditions).toHaveLength(0);
  });

  it('round-trips getConfig / fromConfig', () => {
    const hp = new HyperParameters();
    hp.Int('units', 32, 512, { step: 32, default: 64 });
    hp.Float('lr', 1e-4, 1e-2, { sampling: 'log' });
    hp.Choice('act', ['relu', 'gelu'], { default: 'gelu' });
    hp.conditionalScope('act', ['relu'], () => hp.Float('slope', 0, 0.3, { step: 0.1 }));
    hp.Boolean('bn', { default: true });
    hp.Fixed('tag', 'x');
    hp.values.units = 128;
    const config = hp.getConfig();
    expect(config.space[0]).toEqual({
      class_name: 'Int',
      config: {
        name: 'units',
        default: 64,
        conditions: [],
        min_value: 32,
        max_value: 512,
        step: 32,
        sampling: 'linear',
      },
    });
    const back = HyperParameters.fromConfig(JSON.parse(JSON.stringify(config)));
    expect(back.getConfig()).toEqual(config);
    expect(back.getHyperParameter('slope')!.conditions).toEqual([
      { parentName: 'act', parentValues: ['relu'] },
    ]);
    expect(back.getHyperParameter('bn')!.default).toBe(true);
  });

  it('rejects bad definitions with messages naming the argument', () => {
    const hp = new HyperParameters();
    expect(() => hp.Int('a', 5, 1)).toThrow(
      /Int 'a': expected finite minValue <= maxValue. Received: minValue=5, maxValue=1/,
    );
    expect(() => hp.Int('a', 1.5, 4)).toThrow(/must be integers/);
    expect(() => hp.Float('b', 0, 1, { sampling: 'log' })).toThrow(
      /log sampling needs minValue > 0/,
    );
    expect(() => hp.Float('b', 0, 1, { default: 2 })).toThrow(/default 2 is outside/);
    expect(() => hp.Choice('c', [])).toThrow(/non-empty array/);
    expect(() => hp.Choice('c', [1, 'x'] as (number | string)[])).toThrow(
      /must all be numbers, all strings or all booleans/,
    );
    expect(() => hp.Choice('c', ['x'], { default: 'y' })).toThrow(/default "y" is not one of/);
    expect(() => hp.conditionalScope('missing', [1], () => 0)).toThrow(
      /parent 'missing' is not registered/,
    );
    hp.Int('n', 0, 3);
    expect(() => hp.Float('n', 0, 1)).toThrow(/already registered as Int/);
    expect(() => hp.get('nope')).toThrow(/unknown hyperparameter 'nope'/);
    expect(new Choice('o', [1, 2, 3]).ordered).toBe(true);
    expect(new Fixed('f', 3).gridValues()).toEqual([3]);
  });
});
