import { beforeAll, describe, expect, it } from 'vitest';
import { backend, tf } from '../index.js';
import { Adadelta } from './adadelta.js';
import { Adafactor } from './adafactor.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Ftrl } from './ftrl.js';
import { deserialize, get, serialize } from './get.js';
import { Lion } from './lion.js';
import { Nadam } from './nadam.js';
import type { Optimizer } from './optimizer.js';
import { ExponentialDecay } from './schedules/exponential-decay.js';
import { SGD } from './sgd.js';

beforeAll(async () => {
  await backend.ready();
});

const W0 = [0.5, -1.2, 2.0, 0.1];
const GRADS = [
  [0.3, -0.2, 0.5, -0.05],
  [0.1, 0.4, -0.3, 0.02],
  [-0.2, 0.1, 0.25, 0.3],
];

/** Runs `optimizer` over GRADS from W0 and returns the weights after each step. */
function run(optimizer: Optimizer, w0 = W0, grads = GRADS): number[][] {
  const w = tf.variable(tf.tensor1d(w0));
  const out: number[][] = [];
  for (const g of grads) {
    const t = tf.tensor1d(g);
    optimizer.applyGradients([t], [w]);
    t.dispose();
    out.push(Array.from(w.dataSync()));
  }
  w.dispose();
  optimizer.dispose();
  return out;
}

/** The same update written per element in plain numbers (float64), from Keras's formulas. */
function reference(
  update: (w: number, g: number, state: Record<string, number>, t: number) => number,
  init: Record<string, number> = {},
): number[][] {
  const w = [...W0];
  const states = w.map(() => ({ ...init }));
  return GRADS.map((g, step) => {
    for (let i = 0; i < w.length; i++) w[i] = update(w[i]!, g[i]!, states[i]!, step + 1);
    return [...w];
  });
}

function expectClose(got: number[][], want: number[][], digits = 5): void {
  got.forEach((row, s) =>
    row.forEach((v, i) =>
      expect(v, `step ${s + 1}, element ${i}`).toBeCloseTo(want[s]![i]!, digits),
    ),
  );
}

describe('update formulas (hand-derived, float64 references)', () => {
  it('Adamax', () => {
    const [b1, b2, eps, lr] = [0.9, 0.999, 1e-7, 0.01];
    const want = reference(
      (w, g, s, t) => {
        s.m = s.m! + (g - s.m!) * (1 - b1);
        s.u = Math.max(b2 * s.u!, Math.abs(g));
        return w - (lr * s.m) / ((1 - b1 ** t) * (s.u + eps));
      },
      { m: 0, u: 0 },
    );
    expectClose(run(new Adamax({ learningRate: lr })), want);
  });

  it('Nadam', () => {
    const [b1, b2, eps, lr] = [0.9, 0.999, 1e-7, 0.01];
    let uProduct = 1;
    const w = [...W0];
    const st = w.map(() => ({ m: 0, v: 0 }));
    const want = GRADS.map((g, k) => {
      const t = k + 1;
      uProduct *= b1 * (1 - 0.5 * 0.96 ** t);
      const uT = b1 * (1 - 0.5 * 0.96 ** t);
      const uT1 = b1 * (1 - 0.5 * 0.96 ** (t + 1));
      for (let i = 0; i < w.length; i++) {
        const s = st[i]!;
        s.m += (g[i]! - s.m) * (1 - b1);
        s.v += (g[i]! ** 2 - s.v) * (1 - b2);
        const mHat = (uT1 * s.m) / (1 - uProduct * uT1) + ((1 - uT) * g[i]!) / (1 - uProduct);
        const vHat = s.v / (1 - b2 ** t);
        w[i] = w[i]! - (mHat * lr) / (Math.sqrt(vHat) + eps);
      }
      return [...w];
    });
    expectClose(run(new Nadam({ learningRate: lr })), want);
  });

  it('Adadelta', () => {
    const [rho, eps, lr] = [0.95, 1e-7, 1.0];
    const want = reference(
      (w, g, s) => {
        s.ag = rho * s.ag! + (1 - rho) * g * g;
        const delta = (-Math.sqrt(s.ad! + eps) * g) / Math.sqrt(s.ag + eps);
        s.ad = rho * s.ad! + (1 - rho) * delta * delta;
        return w + lr * delta;
      },
      { ag: 0, ad: 0 },
    );
    expectClose(run(new Adadelta({ learningRate: lr })), want);
  });

  it('Lion', () => {
    const [b1, b2, lr] = [0.9, 0.99, 0.01];
    const want = reference(
      (w, g, s) => {
        const next = w - lr * Math.sign(s.m! * b1 + g * (1 - b1));
        s.m = s.m! * b2 + g * (1 - b2);
        return next;
      },
      { m: 0 },
    );
    expectClose(run(new Lion({ learningRate: lr })), want);
  });

  it('Ftrl with l1, l2, shrinkage and beta', () => {
    const [lr, power, l1, l2, shrink, beta] = [0.1, -0.5, 0.01, 0.02, 0.03, 0.5];
    const want = reference(
      (w, g, s) => {
        const l2Total = l2 + beta / (2 * lr);
        const gradToUse = g + 2 * shrink * w;
        const newAccum = s.n! + g * g;
        s.z = s.z! + gradToUse - ((newAccum ** -power - s.n! ** -power) / lr) * w;
        const quadratic = newAccum ** -power / lr + 2 * l2Total;
        const clipped = Math.min(Math.max(s.z, -l1), l1);
        s.n = newAccum;
        return (clipped - s.z) / quadratic;
      },
      { n: 0.1, z: 0 },
    );
    const optimizer = new Ftrl({
      learningRate: lr,
      learningRatePower: power,
      l1RegularizationStrength: l1,
      l2RegularizationStrength: l2,
      l2ShrinkageRegularizationStrength: shrink,
      beta,
    });
    expectClose(run(optimizer), want);
  });

  it('Adafactor on a vector (unfactored) and a matrix (factored)', () => {
    const lr = 0.01;
    const rms = (x: number[]) => Math.sqrt(x.reduce((a, b) => a + b * b, 0) / x.length);
    // Vector: v is a running average of g^2 + eps1.
    const w = [...W0];
    const v = w.map(() => 0);
    const want = GRADS.map((g, k) => {
      const t = k + 1;
      const alpha = Math.max(1e-3, rms(w)) * Math.min(lr, 1 / Math.sqrt(t));
      const beta2 = 1 - t ** -0.8;
      for (let i = 0; i < w.length; i++) v[i] = beta2 * v[i]! + (1 - beta2) * (g[i]! ** 2 + 1e-30);
      const u = g.map((gi, i) => gi / Math.sqrt(v[i]!));
      const scale = Math.max(1, rms(u) / 1.0);
      for (let i = 0; i < w.length; i++) w[i] = w[i]! - (alpha * u[i]!) / scale;
      return [...w];
    });
    expectClose(run(new Adafactor({ learningRate: lr })), want);

    // Matrix 2x2, one step: r = row means, c = column means of g^2 (+eps1), v = r/mean(r) x c.
    const g2 = [
      [0.3, -0.2],
      [0.5, -0.05],
    ];
    const wm = tf.variable(
      tf.tensor2d([
        [0.5, -1.2],
        [2.0, 0.1],
      ]),
    );
    const opt = new Adafactor({ learningRate: lr });
    const gt = tf.tensor2d(g2);
    opt.applyGradients([gt], [wm]);
    const sq = g2.map((row) => row.map((x) => x * x + 1e-30));
    const r = sq.map((row) => (row[0]! + row[1]!) / 2);
    const c = [0, 1].map((j) => (sq[0]![j]! + sq[1]![j]!) / 2);
    const beta2 = 1 - 1 ** -0.8; // 0 on the first step: r, c are this step's means
    expect(beta2).toBe(0);
    const rMean = (r[0]! + r[1]!) / 2;
    const vm = r.map((ri) => c.map((cj) => (ri / rMean) * cj));
    const u = g2.map((row, i) => row.map((x, j) => x / Math.sqrt(vm[i]![j]!)));
    const flatW = [0.5, -1.2, 2.0, 0.1];
    const alpha = Math.max(1e-3, rms(flatW)) * Math.min(lr, 1);
    const scale = Math.max(1, rms(u.flat()));
    const expected = flatW.map((x, k) => x - (alpha * u.flat()[k]!) / scale);
    Array.from(wm.dataSync()).forEach((x, k) => expect(x).toBeCloseTo(expected[k]!, 5));
    tf.dispose([gt, wm]);
    opt.dispose();
  });
});

describe('Optimizer base', () => {
  it('clipnorm rescales each gradient to the norm', () => {
    // g = [3, 4] has norm 5; clipnorm 1 gives [0.6, 0.8]; plain SGD lr 1 subtracts it.
    const out = run(new SGD({ learningRate: 1, clipnorm: 1 }), [0, 0], [[3, 4]]);
    expectClose(out, [[-0.6, -0.8]]);
  });

  it('globalClipnorm rescales all gradients together', () => {
    const a = tf.variable(tf.tensor1d([0]));
    const b = tf.variable(tf.tensor1d([0]));
    const opt = new SGD({ learningRate: 1, globalClipnorm: 2.5 });
    const [ga, gb] = [tf.tensor1d([3]), tf.tensor1d([4])];
    opt.applyGradients([ga, gb], [a, b]); // global norm 5 -> scale 0.5
    expect(a.dataSync()[0]).toBeCloseTo(-1.5, 6);
    expect(b.dataSync()[0]).toBeCloseTo(-2, 6);
    tf.dispose([a, b, ga, gb]);
    opt.dispose();
  });

  it('clipvalue clips each element', () => {
    expectClose(run(new SGD({ learningRate: 1, clipvalue: 0.5 }), [0, 0], [[3, -0.2]]), [
      [-0.5, 0.2],
    ]);
  });

  it('rejects two clipping arguments with both values named', () => {
    expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(
      /only one of clipnorm, clipvalue and globalClipnorm can be set, received clipnorm=1, clipvalue=1/,
    );
  });

  it('weight decay is decoupled: w -= w * wd * lr before the update, and respects exclusions', () => {
    const w = tf.variable(tf.tensor1d([2]), true, 'wd_kernel');
    const bias = tf.variable(tf.tensor1d([2]), true, 'wd_bias');
    const opt = new SGD({ learningRate: 0.1, weightDecay: 0.5 });
    opt.excludeFromWeightDecay({ varNames: ['bias'] });
    const g = tf.tensor1d([1]);
    opt.applyGradients([g, g], [w, bias]);
    expect(w.dataSync()[0]).toBeCloseTo(2 - 2 * 0.5 * 0.1 - 0.1, 6);
    expect(bias.dataSync()[0]).toBeCloseTo(2 - 0.1, 6);
    expect(() => opt.excludeFromWeightDecay({ varNames: ['x'] })).toThrow(
      /must be called before the optimizer is built/,
    );
    tf.dispose([w, bias, g]);
    opt.dispose();
  });

  it('AdamW defaults weight decay to 0.004', () => {
    expect(new AdamW().weightDecay).toBe(0.004);
  });

  it('gradientAccumulationSteps averages gradients and updates every N calls', () => {
    const opt = new SGD({ learningRate: 1, gradientAccumulationSteps: 2 });
    const out = run(opt, [0], [[1], [3], [5]]);
    // Step 1 accumulates; step 2 applies mean(1, 3) = 2; step 3 accumulates again.
    expectClose(out, [[0], [-2], [-2]]);
    expect(() => new SGD({ gradientAccumulationSteps: 1 })).toThrow(
      /gradientAccumulationSteps must be an integer >= 2, received 1/,
    );
  });

  it('iterations count accumulation cycles', () => {
    const w = tf.variable(tf.tensor1d([0]));
    const g = tf.tensor1d([1]);
    const opt = new SGD({ gradientAccumulationSteps: 2 });
    for (let i = 0; i < 5; i++) opt.applyGradients([g], [w]);
    expect(opt.iterations).toBe(2);
    tf.dispose([w, g]);
    opt.dispose();
  });

  it('EMA averages weights (first step copies) and finalizeVariableValues writes them back', () => {
    const w = tf.variable(tf.tensor1d([0]));
    const opt = new SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5 });
    const g = tf.tensor1d([1]);
    opt.applyGradients([g], [w]); // w = -1, average = -1 (momentum 0 on the first step)
    opt.applyGradients([g], [w]); // w = -2, average = 0.5 * -1 + 0.5 * -2 = -1.5
    expect(w.dataSync()[0]).toBeCloseTo(-2, 6);
    opt.finalizeVariableValues([w]);
    expect(w.dataSync()[0]).toBeCloseTo(-1.5, 6);
    tf.dispose([w, g]);
    opt.dispose();
  });

  it('emaOverwriteFrequency overwrites the weights every N iterations', () => {
    const out = run(
      new SGD({ learningRate: 1, useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 2 }),
      [0],
      [[1], [1]],
    );
    // Step 2: w = -2, average -1.5, overwritten because (1 + 1) % 2 == 0.
    expectClose(out, [[-1], [-1.5]]);
  });

  it('learning rate schedules are evaluated at the step before the update', () => {
    const schedule = new ExponentialDecay({
      initialLearningRate: 1,
      decaySteps: 1,
      decayRate: 0.5,
    });
    const out = run(new SGD({ learningRate: schedule }), [0], [[1], [1], [1]]);
    expectClose(out, [[-1], [-1.5], [-1.75]]);
  });

  it('learningRate is settable when numeric and refuses numbers when a schedule drives it', () => {
    const opt = new Adam({ learningRate: 0.1 });
    opt.learningRate = 0.05;
    expect(opt.learningRate).toBe(0.05);
    expect(opt.variables()[1]!.dataSync()[0]).toBeCloseTo(0.05, 7);
    const scheduled = new Adam({
      learningRate: new ExponentialDecay({
        initialLearningRate: 1,
        decaySteps: 10,
        decayRate: 0.5,
      }),
    });
    expect(() => {
      scheduled.learningRate = 0.1;
    }).toThrow(/was created with a LearningRateSchedule/);
    opt.dispose();
    scheduled.dispose();
  });

  it("variables() follows Keras 3's order: iteration, learning_rate, then per-weight state", () => {
    const a = tf.variable(tf.zeros([2, 3]));
    const b = tf.variable(tf.zeros([3]));
    const opt = new Adam({ amsgrad: true, useEma: true });
    const ga = tf.onesLike(a);
    const gb = tf.onesLike(b);
    opt.applyGradients([ga, gb], [a, b]);
    const paths = opt
      .variablesWithPaths()
      .map((v) =>
        v.path.split('/')[1]!.replace(/^.*_(?=(average|momentum|velocity|velocity_hat)$)/, ''),
      );
    expect(paths).toEqual([
      'iteration',
      'learning_rate',
      'average',
      'average',
      'momentum',
      'velocity',
      'momentum',
      'velocity',
      'velocity_hat',
      'velocity_hat',
    ]);
    expect(opt.variables()[0]!.dataSync()[0]).toBe(1);
    // setWeights restores the step count from the iteration variable.
    const saved = opt.getWeights();
    const copy = new Adam({ amsgrad: true, useEma: true });
    copy.build([a, b]);
    copy.setWeights(saved);
    expect(copy.iterations).toBe(1);
    tf.dispose([a, b, ga, gb, ...saved]);
    opt.dispose();
    copy.dispose();
  });

  it('rejects unknown variables and mismatched lengths with the fix', () => {
    const a = tf.variable(tf.zeros([2]));
    const other = tf.variable(tf.zeros([2]));
    const g = tf.zeros([2]);
    const opt = new SGD();
    opt.applyGradients([g], [a]);
    expect(() => opt.applyGradients([g], [other])).toThrow(
      /unknown variable .* Fix: create a new optimizer/,
    );
    expect(() => opt.applyGradients([g, g], [a])).toThrow(/received 2 gradients for 1 variables/);
    tf.dispose([a, other, g]);
    opt.dispose();
  });

  it('accepts [grad, variable] pairs and null gradients (skipped)', () => {
    const a = tf.variable(tf.tensor1d([1]));
    const b = tf.variable(tf.tensor1d([1]));
    const g = tf.tensor1d([1]);
    const opt = new SGD({ learningRate: 0.5 });
    opt.applyGradients([
      [g, a],
      [null, b],
    ]);
    expect(a.dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(b.dataSync()[0]).toBe(1);
    tf.dispose([a, b, g]);
    opt.dispose();
  });

  it('applies LayerVariable constraints after the update', () => {
    const v = tf.variable(tf.tensor1d([0.5]));
    const layerVar = {
      value: v,
      path: 'dense/kernel',
      name: 'kernel',
      constraint: (w: tf.Tensor) => tf.clipByValue(w, 0, 1),
    };
    const g = tf.tensor1d([-10]);
    const opt = new SGD({ learningRate: 1 });
    opt.applyGradients([g], [layerVar]);
    expect(v.dataSync()[0]).toBe(1);
    tf.dispose([v, g]);
    opt.dispose();
  });

  it('does not leak tensors across steps', () => {
    const w = tf.variable(tf.randomNormal([4, 4]));
    const g = tf.randomNormal([4, 4]);
    for (const opt of [
      new Adam({ amsgrad: true, clipnorm: 1 }),
      new Nadam({ useEma: true }),
      new Adafactor(),
      new Ftrl(),
      new SGD({ momentum: 0.9, gradientAccumulationSteps: 2 }),
    ]) {
      opt.applyGradients([g], [w]);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) opt.applyGradients([g], [w]);
      expect(tf.memory().numTensors).toBe(before);
      opt.dispose();
    }
    tf.dispose([w, g]);
  });
});

describe('configs and lookup', () => {
  it('getConfig uses Keras 3 keys and fromConfig round-trips, schedules included', () => {
    const opt = new Adam({
      learningRate: new ExponentialDecay({
        initialLearningRate: 0.1,
        decaySteps: 100,
        decayRate: 0.9,
      }),
      beta1: 0.8,
      clipnorm: 2,
    });
    const dict = serialize(opt);
    expect(dict.class_name).toBe('Adam');
    expect(dict.module).toBe('keras.optimizers');
    expect(dict.config).toMatchObject({
      beta_1: 0.8,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      clipnorm: 2,
      use_ema: false,
      ema_momentum: 0.99,
    });
    expect(dict.config.learning_rate).toMatchObject({
      class_name: 'ExponentialDecay',
      config: { initial_learning_rate: 0.1, decay_steps: 100, decay_rate: 0.9, staircase: false },
    });
    const back = deserialize(JSON.parse(JSON.stringify(dict)));
    expect(back.getConfig()).toEqual(dict.config);
    opt.dispose();
    back.dispose();
  });

  it('reads a Keras 3 optimizer config verbatim', () => {
    // As written by keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True).get_config().
    const config = {
      name: 'SGD',
      learning_rate: 0.05,
      weight_decay: null,
      clipnorm: null,
      global_clipnorm: null,
      clipvalue: null,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      loss_scale_factor: null,
      gradient_accumulation_steps: null,
      momentum: 0.9,
      nesterov: true,
    };
    const opt = deserialize({ class_name: 'SGD', config });
    expect(opt).toBeInstanceOf(SGD);
    expect(opt.getConfig()).toEqual(config);
    opt.dispose();
  });

  it('get() accepts names in any Keras spelling and rejects unknown ones', () => {
    for (const [name, cls] of [
      ['adam', Adam],
      ['AdamW', AdamW],
      ['sgd', SGD],
      ['adamax', Adamax],
      ['lion', Lion],
    ] as const) {
      const opt = get(name);
      expect(opt).toBeInstanceOf(cls);
      opt.dispose();
    }
    expect(() => get('adamm')).toThrow(/unknown optimizer 'adamm'. Expected one of: 'sgd', 'adam'/);
  });
});

describe('optimizer names', () => {
  // Keras 3 names them by to_snake_case of the class: adam, adam_w, sgd, rm_sprop (checked in Keras 3.15).
  it('are unique per base name and start again after resetNames, like layer names', async () => {
    const { resetNames } = await import('../engine/naming.js');
    resetNames();
    expect([new Adam().name, new Adam().name, new AdamW().name]).toEqual([
      'adam',
      'adam_1',
      'adam_w',
    ]);
    resetNames();
    expect(new Adam().name).toBe('adam');
  });
});
