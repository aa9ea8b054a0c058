import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { deserialize as deserializeConstraint } from '../constraints/index.js';
import { backend, tf } from '../index.js';
import { deserialize, serialize } from './get.js';
import { Lion } from './lion.js';
import { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';
import {
  deserializeSchedule,
  type SerializedSchedule,
  serializeSchedule,
} from './schedules/learning-rate-schedule.js';
import type { LayerVariableLike } from './variable-like.js';

// Fixtures written by real Keras 3.15.1 (jax backend): scripts/reference/keras_optimizers.py.

interface Tensor {
  path?: string;
  dtype: string;
  shape: number[];
  data: number[];
}
interface OptimizerCase {
  id: string;
  serialized: { module: string; class_name: string; config: Record<string, unknown> };
  options: {
    grad_scale: number | null;
    none_grads: [number, number][];
    exclude_var_names: string[] | null;
    constraints: (Parameters<typeof deserializeConstraint>[0] | null)[] | null;
  };
  trajectory: number[][][];
  iterations: number;
  learning_rate: number;
  scaled_loss: number;
  optimizer_variables: Tensor[];
  resumed: number[][];
  finalized?: number[][];
}
interface OptimizerFixture {
  variables: (Tensor & { path: string; name: string })[];
  grads: number[][][];
  cases: OptimizerCase[];
}
interface ScheduleFixture {
  steps: number;
  cases: { id: string; serialized: SerializedSchedule; values: number[] }[];
}

const load = <T>(name: string): T =>
  JSON.parse(
    readFileSync(
      new URL(`../../test-fixtures/reference/keras-optimizers/${name}.json`, import.meta.url),
      'utf8',
    ),
  ) as T;
const optimizers = load<OptimizerFixture>('optimizers');
const schedules = load<ScheduleFixture>('schedules');

const RTOL = 1e-5;
const ATOL = 1e-6;

function expectClose(got: ArrayLike<number>, want: number[], what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const ok = Math.abs(g - w) <= RTOL * Math.abs(w) + ATOL;
    if (!ok) expect.fail(`${what}[${i}]: Cornu ${g}, Keras ${w}`);
  }
}

/** Every key path of a config, in order, so key order and nesting are compared too. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value == null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [
    `${prefix}${k}`,
    ...keyPaths(v, `${prefix}${k}.`),
  ]);
}

function expectSameConfig(got: unknown, want: unknown): void {
  expect(keyPaths(got)).toEqual(keyPaths(want));
  expect(got).toEqual(want);
}

/**
 * Keras names Nadam's running product with the auto-numbered default of `backend.Variable`
 * (`<optimizer>/variable`, `variable_1`, ... counted process-wide); Cornu calls it `u_product`.
 * The paths are labels only: .keras files store optimizer variables by position.
 */
function expectedPath(path: string, className: string): string {
  return className === 'Nadam' ? path.replace(/\/variable(_\d+)?$/, '/u_product') : path;
}

beforeAll(async () => {
  await backend.ready();
});

describe('optimizers against Keras 3.15.1 (scripts/reference/keras_optimizers.py)', () => {
  it('covers every optimizer Cornu exports', () => {
    expect(optimizers.cases).toHaveLength(32);
    expect(new Set(optimizers.cases.map((c) => c.serialized.class_name))).toEqual(
      new Set([
        'SGD',
        'RMSprop',
        'Adam',
        'AdamW',
        'Adamax',
        'Nadam',
        'Adagrad',
        'Adadelta',
        'Ftrl',
        'Lion',
        'Adafactor',
      ]),
    );
  });

  for (const c of optimizers.cases) {
    /** The two weights with the given values (the fixture's initial ones by default). */
    const makeVariables = (values = optimizers.variables.map((v) => v.data)): LayerVariableLike[] =>
      optimizers.variables.map((v, i) => {
        const constraint = c.options.constraints?.[i];
        return {
          value: tf.tidy(() => tf.variable(tf.tensor(values[i]!, v.shape, 'float32'))),
          path: v.path,
          name: v.name,
          constraint: constraint ? deserializeConstraint(constraint) : undefined,
        };
      });
    /** Step `step`'s gradients (scaled like a scaled loss would make them, or missing). */
    const gradients = (step: number, allPresent = false): (tf.Tensor | null)[] =>
      optimizers.grads[step]!.map((g, i) => {
        if (!allPresent && c.options.none_grads.some(([s, v]) => s === step && v === i))
          return null;
        const scale = c.options.grad_scale;
        return tf.tidy(() => {
          const t = tf.tensor(g, optimizers.variables[i]!.shape, 'float32');
          return scale == null ? t : tf.mul(t, scale);
        });
      });
    const applyStep = (
      optimizer: Optimizer,
      variables: LayerVariableLike[],
      grads: (tf.Tensor | null)[],
    ) => {
      optimizer.applyGradients(grads, variables);
      for (const g of grads) g?.dispose();
    };

    it(c.id, () => {
      const start = tf.memory().numTensors;
      const variables = makeVariables();
      const optimizer = deserialize(c.serialized);
      expectSameConfig(serialize(optimizer), c.serialized);
      if (c.options.exclude_var_names)
        optimizer.excludeFromWeightDecay({ varNames: c.options.exclude_var_names });

      let afterFirst = -1;
      optimizers.grads.forEach((_, step) => {
        applyStep(optimizer, variables, gradients(step));
        if (step === 0) afterFirst = tf.memory().numTensors;
        expect(tf.memory().numTensors, `tensors after step ${step + 1}`).toBe(afterFirst);
        variables.forEach((v, i) =>
          expectClose(v.value.dataSync(), c.trajectory[step]![i]!, `step ${step + 1} ${v.path}`),
        );
      });
      expect(optimizer.iterations).toBe(c.iterations);
      expectClose([optimizer.learningRate], [c.learning_rate], 'learning rate after the last step');
      const loss = tf.scalar(2.5);
      const scaled = optimizer.scaleLoss(loss);
      expectClose(scaled.dataSync(), [c.scaled_loss], 'scaleLoss(2.5)');
      tf.dispose([loss, scaled]);

      // The optimizer's state: Keras's optimizer.variables, by position.
      const state = optimizer.variablesWithPaths();
      expect(state.map((s) => s.path)).toEqual(
        c.optimizer_variables.map((v) => expectedPath(v.path!, c.serialized.class_name)),
      );
      state.forEach((s, i) => {
        const want = c.optimizer_variables[i]!;
        expect(s.value.dtype, `${s.path} dtype`).toBe(want.dtype);
        expect(s.value.shape, `${s.path} shape`).toEqual(want.shape);
        expectClose(s.value.dataSync(), want.data, s.path);
      });

      // A fresh optimizer given Keras's state (setWeights) takes the next step as Keras did.
      const resumedVariables = makeVariables(c.trajectory[c.trajectory.length - 1]);
      const resumed = deserialize(c.serialized);
      if (c.options.exclude_var_names)
        resumed.excludeFromWeightDecay({ varNames: c.options.exclude_var_names });
      resumed.build(resumedVariables);
      const kerasState = c.optimizer_variables.map((v) =>
        tf.tensor(v.data, v.shape, v.dtype as tf.DataType),
      );
      resumed.setWeights(kerasState);
      tf.dispose(kerasState);
      applyStep(resumed, resumedVariables, gradients(0, true));
      resumedVariables.forEach((v, i) =>
        expectClose(v.value.dataSync(), c.resumed[i]!, `resumed from Keras state ${v.path}`),
      );
      // ... and so does the optimizer that got there itself.
      applyStep(optimizer, variables, gradients(0, true));
      variables.forEach((v, i) =>
        expectClose(v.value.dataSync(), c.resumed[i]!, `step ${c.trajectory.length + 1} ${v.path}`),
      );

      if (c.finalized) {
        optimizer.finalizeVariableValues(variables);
        variables.forEach((v, i) =>
          expectClose(v.value.dataSync(), c.finalized![i]!, `finalized ${v.path}`),
        );
      }
      // A config written after training is still the one Keras wrote.
      expectSameConfig(serialize(optimizer), c.serialized);

      for (const o of [optimizer, resumed]) o.dispose();
      for (const v of [...variables, ...resumedVariables]) v.value.dispose();
      expect(tf.memory().numTensors).toBe(start);
    });
  }
});

describe('argument checks that follow Keras', () => {
  it('EMA arguments are checked only with useEma, as Keras does', () => {
    // Keras 3.15.1: SGD(ema_momentum=2.0) builds and writes 2.0; with use_ema=True it raises.
    const sgd = new SGD({ emaMomentum: 2 });
    expect(sgd.getConfig().ema_momentum).toBe(2);
    sgd.dispose();
    expect(() => new SGD({ useEma: true, emaMomentum: 2 })).toThrow(
      /SGD: emaMomentum must be in \[0, 1\], received 2/,
    );
    expect(() => new SGD({ useEma: true, emaOverwriteFrequency: 1.5 })).toThrow(
      /emaOverwriteFrequency must be an integer >= 1 or null, received 1.5/,
    );
  });

  it('excludeFromWeightDecay names patterns that are not regular expressions', () => {
    const sgd = new SGD({ weightDecay: 0.1 });
    expect(() => sgd.excludeFromWeightDecay({ varNames: ['bias', 'norm['] })).toThrow(
      /varNames must be regular expressions .*received \["bias","norm\["\]/,
    );
    sgd.dispose();
  });
});

describe('learning rate schedules against Keras 3.15.1', () => {
  it('covers every schedule Cornu exports', () => {
    expect(schedules.cases).toHaveLength(13);
    expect(new Set(schedules.cases.map((c) => c.serialized.class_name))).toEqual(
      new Set([
        'ExponentialDecay',
        'PiecewiseConstantDecay',
        'PolynomialDecay',
        'InverseTimeDecay',
        'CosineDecay',
        'CosineDecayRestarts',
      ]),
    );
  });

  for (const c of schedules.cases) {
    it(c.id, () => {
      const schedule = deserializeSchedule(c.serialized);
      expectSameConfig(serializeSchedule(schedule), c.serialized);
      expect(c.values).toHaveLength(schedules.steps);
      expectClose(
        c.values.map((_, step) => schedule.call(step)),
        c.values,
        `${c.id} lr(step)`,
      );
    });
  }
});

describe('differences from Keras, on purpose', () => {
  const byId = (id: string) => optimizers.cases.find((c) => c.id === id)!;

  it('a numeric learning rate is written as given; Keras writes its float32 variable', () => {
    // Keras reads learning_rate back from its float32 variable (0.02 -> 0.019999999552965164);
    // Cornu keeps the number it was given. Both load to the same float32, and a Keras-written
    // value is kept exactly (the replays above compare whole configs).
    const keras = byId('adam_betas_epsilon').serialized.config.learning_rate;
    expect(keras).toBe(Math.fround(0.02));
    expect(keras).not.toBe(0.02);
    const sgd = new SGD({ learningRate: 0.02 });
    expect(sgd.getConfig().learning_rate).toBe(0.02);
    expect(Math.fround(sgd.getConfig().learning_rate as number)).toBe(keras);
    sgd.dispose();
  });

  it("Nadam's running product is 'u_product'; Keras leaves it an auto-numbered 'variable'", () => {
    const nadam = optimizers.cases.filter((c) => c.serialized.class_name === 'Nadam');
    expect(nadam).toHaveLength(3);
    for (const c of nadam) {
      const last = c.optimizer_variables[c.optimizer_variables.length - 1]!;
      expect(last.path).toMatch(/^nadam(_\d+)?\/variable(_\d+)?$/);
      expect(last.shape).toEqual([]);
      expect(expectedPath(last.path!, 'Nadam')).toMatch(/\/u_product$/);
    }
  });

  it('Lion refuses beta2 outside (0, 1]; Keras checks only beta_1', () => {
    // Keras 3.15.1 accepts Lion(beta_2=0.0) and Lion(beta_2=1.5) (checked in the venv that wrote
    // the fixtures); a momentum decay outside (0, 1] either drops the momentum or lets it grow
    // without bound, so Cornu keeps its check.
    expect(() => new Lion({ beta2: 1.5 })).toThrow(/Lion: beta2 must be in \(0, 1\], received 1.5/);
    expect(() => new Lion({ beta2: 0 })).toThrow(/received 0/);
  });

  it('every replayed class is a Cornu Optimizer built from its Keras dict', () => {
    for (const c of optimizers.cases) {
      const o = deserialize(c.serialized);
      expect(o).toBeInstanceOf(Optimizer);
      expect((o.constructor as typeof Optimizer).className).toBe(c.serialized.class_name);
      o.dispose();
    }
  });
});
