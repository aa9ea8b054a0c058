import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { clearRandomSeed, setRandomSeed } from '../utils/random.js';
import * as initializers from './index.js';

beforeAll(async () => {
  await ready();
});

function stats(t: tf.Tensor): { mean: number; std: number; min: number; max: number } {
  const v = Array.from(t.dataSync());
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

describe('variance-scaling family (Keras formulas)', () => {
  // fan_in 200, fan_out 100 for a [200, 100] kernel.
  const shape = [200, 100];
  const cases: [string, 'uniform' | 'normal', number][] = [
    ['glorot_uniform', 'uniform', Math.sqrt(6 / 300)],
    ['he_uniform', 'uniform', Math.sqrt(6 / 200)],
    ['lecun_uniform', 'uniform', Math.sqrt(3 / 200)],
    ['glorot_normal', 'normal', Math.sqrt(2 / 300)],
    ['he_normal', 'normal', Math.sqrt(2 / 200)],
    ['lecun_normal', 'normal', Math.sqrt(1 / 200)],
  ];
  for (const [name, kind, bound] of cases) {
    it(`${name}: ${kind === 'uniform' ? `uniform in ±${bound.toFixed(4)}` : `truncated normal with std ${bound.toFixed(4)}`}`, () => {
      tf.tidy(() => {
        const s = stats(initializers.get(name).call(shape));
        expect(Math.abs(s.mean)).toBeLessThan(0.01 * bound * 10);
        if (kind === 'uniform') {
          expect(s.max).toBeLessThanOrEqual(bound);
          expect(s.min).toBeGreaterThanOrEqual(-bound);
          expect(s.std).toBeCloseTo(bound / Math.sqrt(3), 2);
        } else {
          // Keras truncates at 2 stddev and rescales the stddev by 1 / 0.87962566103423978.
          expect(s.std).toBeCloseTo(bound, 2);
          expect(s.max).toBeLessThanOrEqual((2 * bound) / 0.87962566103423978 + 1e-6);
        }
      });
    });
  }

  it('computes fans of conv kernels like Keras (receptive field times channels)', () => {
    expect(initializers.computeFans([3, 3, 4, 8])).toEqual([36, 72]);
    expect(initializers.computeFans([5, 7])).toEqual([5, 7]);
  });

  it('is reproducible with a seed and serializes to the Keras dict', () => {
    const a = new initializers.GlorotUniform({ seed: 7 });
    tf.tidy(() => {
      const x = a.call([3, 4]);
      const y = new initializers.GlorotUniform({ seed: 7 }).call([3, 4]);
      expect(Array.from(x.dataSync())).toEqual(Array.from(y.dataSync()));
    });
    const dict = initializers.serialize(
      new initializers.VarianceScaling({
        scale: 2,
        mode: 'fan_out',
        distribution: 'uniform',
        seed: 3,
      }),
    );
    expect(dict).toMatchObject({
      module: 'keras.initializers',
      class_name: 'VarianceScaling',
      config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 3 },
    });
    const back = initializers.get(JSON.parse(JSON.stringify(dict)));
    expect(initializers.serialize(back)).toEqual(dict);
    expect(initializers.get('glorotUniform')).toBeInstanceOf(initializers.GlorotUniform);
    expect(() => initializers.get('glorot_uniformm')).toThrow(
      /Unknown initializer "glorot_uniformm". Expected one of/,
    );
  });
  it('treats seed 0 as a seed (tfjs normal generators take a falsy seed for none)', () => {
    const makers: [string, () => initializers.Initializer][] = [
      ['GlorotNormal', () => new initializers.GlorotNormal({ seed: 0 })],
      [
        'HeNormal (untruncated)',
        () => new initializers.VarianceScaling({ distribution: 'untruncated_normal', seed: 0 }),
      ],
      ['RandomNormal', () => new initializers.RandomNormal({ seed: 0 })],
      ['TruncatedNormal', () => new initializers.TruncatedNormal({ seed: 0 })],
      ['Orthogonal', () => new initializers.Orthogonal({ seed: 0 })],
      ['GlorotUniform', () => new initializers.GlorotUniform({ seed: 0 })],
    ];
    for (const [name, make] of makers) {
      tf.tidy(() => {
        const x = Array.from(make().call([4, 3]).dataSync());
        const y = Array.from(make().call([4, 3]).dataSync());
        expect(y, name).toEqual(x);
      });
    }
  });
});

describe('orthogonal, identity, constants, random', () => {
  it('orthogonal gives orthonormal columns (Q^T Q = I) scaled by gain', () => {
    tf.tidy(() => {
      const q = new initializers.Orthogonal({ gain: 2, seed: 1 }).call([6, 4]) as tf.Tensor2D;
      const gram = tf.matMul(q, q, true, false);
      const diff = tf.sub(gram, tf.mul(tf.eye(4), 4));
      expect(tf.max(tf.abs(diff)).dataSync()[0]).toBeLessThan(1e-4);
    });
  });

  it('identity, zeros, ones and constant', () => {
    tf.tidy(() => {
      expect(new initializers.Identity({ gain: 3 }).call([2, 3]).arraySync()).toEqual([
        [3, 0, 0],
        [0, 3, 0],
      ]);
      expect(Array.from(initializers.get('zeros').call([3]).dataSync())).toEqual([0, 0, 0]);
      expect(Array.from(initializers.get('ones').call([2]).dataSync())).toEqual([1, 1]);
      expect(Array.from(new initializers.Constant({ value: 0.5 }).call([2]).dataSync())).toEqual([
        0.5, 0.5,
      ]);
    });
  });

  it('random normal / uniform / truncated normal honour their arguments', () => {
    tf.tidy(() => {
      const n = stats(
        new initializers.RandomNormal({ mean: 1, stddev: 0.5, seed: 2 }).call([100, 100]),
      );
      expect(n.mean).toBeCloseTo(1, 1);
      expect(n.std).toBeCloseTo(0.5, 1);
      const u = stats(
        new initializers.RandomUniform({ minval: 2, maxval: 3, seed: 2 }).call([1000]),
      );
      expect(u.min).toBeGreaterThanOrEqual(2);
      expect(u.max).toBeLessThanOrEqual(3);
      const t = stats(
        new initializers.TruncatedNormal({ mean: 0, stddev: 1, seed: 2 }).call([1000]),
      );
      expect(t.max).toBeLessThanOrEqual(2);
      expect(t.min).toBeGreaterThanOrEqual(-2);
    });
  });
});

describe('global seed', () => {
  it('makes unseeded initializers reproducible after setRandomSeed, and each call still differs', () => {
    const draw = () => {
      setRandomSeed(7);
      const out = [
        new initializers.GlorotUniform().call([4, 3]),
        new initializers.GlorotUniform().call([4, 3]),
        new initializers.RandomNormal().call([5]),
        new initializers.Orthogonal().call([3, 3]),
      ].map((t) => {
        const v = Array.from(t.dataSync());
        t.dispose();
        return v;
      });
      clearRandomSeed();
      return out;
    };
    const first = draw();
    expect(draw()).toEqual(first);
    expect(first[0]).not.toEqual(first[1]);
  });
});

describe('fan axes (Keras 3 input_axes / output_axes)', () => {
  it('take the fans from the given axes and round-trip through the Keras config', () => {
    // Shape [3, 4, 5], input axes [0, 1], output axis [2]: fanIn 12, fanOut 5, so Glorot's limit
    // is sqrt(6 / 17) = 0.594. The default conv rule (receptive field 3) would give fanIn 12,
    // fanOut 15 and the limit sqrt(6 / 27) = 0.471.
    const init = new initializers.GlorotUniform({ seed: 3, inputAxes: [0, 1], outputAxes: [2] });
    const drawn = init.call([3, 4, 5]);
    const values = drawn.dataSync();
    drawn.dispose();
    const limit = Math.sqrt(6 / 17);
    const biggest = Math.max(...Array.from(values, Math.abs));
    expect(biggest).toBeLessThanOrEqual(limit);
    expect(biggest).toBeGreaterThan(Math.sqrt(6 / 27)); // beyond the default rule's limit
    const config = init.getConfig();
    expect(config).toEqual({ seed: 3, input_axes: [0, 1], output_axes: [2] });
    const back = initializers.GlorotUniform.fromConfig(config) as initializers.GlorotUniform;
    const again = back.call([3, 4, 5]);
    expect(Array.from(again.dataSync())).toEqual(Array.from(values));
    again.dispose();
  });

  it('names an axis outside the weight shape', () => {
    const init = new initializers.VarianceScaling({ inputAxes: [0], outputAxes: [3] });
    expect(() => init.call([2, 2])).toThrow(
      /outputAxes has axis 3, outside the weight shape \[2,2\]/,
    );
  });
});
