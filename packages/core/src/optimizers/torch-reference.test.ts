import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { backend, tf } from '../index.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

interface Fixture {
  w0: number[][];
  grads: number[][][];
  cases: Record<string, { args: Record<string, unknown>; weights: number[][][] }>;
}
const fixture = JSON.parse(
  readFileSync(
    new URL('../../test-fixtures/reference/optimizers/optimizers.json', import.meta.url),
    'utf8',
  ),
) as Fixture;

const make: Record<string, (args: Record<string, unknown>) => Optimizer> = {
  adam: (a) => new Adam(a),
  adam_amsgrad: (a) => new Adam(a),
  adamw: (a) => new AdamW(a),
  rmsprop: (a) => new RMSprop(a),
  rmsprop_momentum_centered: (a) => new RMSprop(a),
  adagrad: (a) => new Adagrad(a),
  sgd_nesterov: (a) => new SGD(a),
  sgd_momentum: (a) => new SGD(a),
};

beforeAll(async () => {
  await backend.ready();
});

describe('optimizers against torch.optim trajectories (scripts/reference/optimizers.py)', () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`${name}: 4 steps match torch`, () => {
      const w = tf.variable(tf.tensor2d(fixture.w0));
      const optimizer = make[name]!(c.args);
      fixture.grads.forEach((g, step) => {
        const grad = tf.tensor2d(g);
        optimizer.applyGradients([grad], [w]);
        grad.dispose();
        const got = w.arraySync() as number[][];
        const want = c.weights[step]!;
        got.flat().forEach((value, i) => expect(value).toBeCloseTo(want.flat()[i]!, 5));
      });
      expect(optimizer.iterations).toBe(4);
      optimizer.dispose();
      w.dispose();
    });
  }
});
