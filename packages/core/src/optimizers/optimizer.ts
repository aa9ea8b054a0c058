import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError, ValueError } from '../errors/errors.js';
import { uniqueName } from '../engine/naming.js';
import {
  deserializeSchedule,
  LearningRateSchedule,
  type SerializedSchedule,
  serializeSchedule,
} from './schedules/learning-rate-schedule.js';
import {
  constrain,
  toVariable,
  type VariableLike,
  variableName,
  variablePath,
} from './variable-like.js';

/** Arguments every optimizer shares (Keras 3's base optimizer keyword arguments). */
export interface OptimizerArgs {
  /** A number or a `LearningRateSchedule` (called with the step before each update). The default depends on the optimizer. */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: `w -= w * weightDecay * lr` before each update. @default null */
  weightDecay?: number | null;
  /** Clip each gradient to this L2 norm. @default null */
  clipnorm?: number | null;
  /** Clip each gradient element to `[-clipvalue, clipvalue]`. @default null */
  clipvalue?: number | null;
  /** Clip all gradients together to this global L2 norm. @default null */
  globalClipnorm?: number | null;
  /** Keep an exponential moving average of the weights. @default false */
  useEma?: boolean;
  /** `average = emaMomentum * average + (1 - emaMomentum) * weight`. @default 0.99 */
  emaMomentum?: number;
  /** Overwrite the weights with their average every this many iterations. @default null */
  emaOverwriteFrequency?: number | null;
  /** Multiply the loss by this in `scaleLoss` and divide gradients by it. @default null */
  lossScaleFactor?: number | null;
  /** Average the gradients of this many calls and update once. @default null */
  gradientAccumulationSteps?: number | null;
  /** @default the snake_case class name, made unique */
  name?: string;
}

/** The snake_case config every optimizer writes (Keras 3 keys). */
export type OptimizerConfig = Record<string, unknown>;

/** The sizes of an optimizer state variable: a `tf.Variable` plus its Keras path. */
export interface OptimizerVariable {
  readonly path: string;
  readonly value: tf.Variable;
}

let variableCounter = 0;

function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

function check(
  owner: string,
  argument: string,
  value: number | null | undefined,
  ok: (v: number) => boolean,
  expected: string,
): void {
  if (value != null && !ok(value)) {
    throw new ValueError(`${owner}: ${argument} must be ${expected}, received ${value}.`);
  }
}

/**
 * The base of every optimizer: the apply path of Keras 3's `BaseOptimizer` (loss-scale undo,
 * gradient accumulation, clipping, weight decay, the per-variable `updateStep`, EMA, constraints,
 * the iteration counter), learning rates as numbers or schedules, and configs in Keras's keys.
 *
 * Subclasses add their state in `buildState` (through `addVariableFromReference`, so
 * `variables()` lists it in Keras's order) and implement `updateStep`. Updates use the step count
 * kept on the JavaScript side, so an update never waits on the device.
 */
export abstract class Optimizer {
  static readonly className: string = 'Optimizer';
  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly lossScaleFactor: number | null;
  readonly gradientAccumulationSteps: number | null;
  built = false;

  private readonly state: OptimizerVariable[] = [];
  private readonly iterationVariable: tf.Variable;
  private learningRateVariable: tf.Variable | null = null;
  private schedule: LearningRateSchedule | null = null;
  private learningRateValue = 0;
  private steps = 0;
  private readonly indices = new Map<tf.Variable, number>();
  private trainable: VariableLike[] = [];
  private emaAverages: tf.Variable[] = [];
  private gradientAccumulators: tf.Variable[] = [];
  private excludedVariables = new Set<tf.Variable>();
  private excludedPattern: RegExp | null = null;

  constructor(args: OptimizerArgs, defaultLearningRate: number) {
    const owner = (this.constructor as typeof Optimizer).className;
    const {
      learningRate = defaultLearningRate,
      weightDecay = null,
      clipnorm = null,
      clipvalue = null,
      globalClipnorm = null,
      useEma = false,
      emaMomentum = 0.99,
      emaOverwriteFrequency = null,
      lossScaleFactor = null,
      gradientAccumulationSteps = null,
      name = uniqueName(snake(owner)),
    } = args;
    const clips = [clipnorm, clipvalue, globalClipnorm].filter((c) => c != null).length;
    if (clips > 1) {
      throw new ValueError(
        `${owner}: only one of clipnorm, clipvalue and globalClipnorm can be set, received clipnorm=${clipnorm}, clipvalue=${clipvalue}, globalClipnorm=${globalClipnorm}.`,
      );
    }
    check(
      owner,
      'gradientAccumulationSteps',
      gradientAccumulationSteps,
      (v) => Number.isInteger(v) && v >= 2,
      'an integer >= 2',
    );
    // As in Keras, the EMA arguments are only checked when EMA is on: a Keras config with
    // use_ema false may carry any ema_momentum and still loads.
    if (useEma) {
      check(owner, 'emaMomentum', emaMomentum, (v) => v >= 0 && v <= 1, 'in [0, 1]');
      check(
        owner,
        'emaOverwriteFrequency',
        emaOverwriteFrequency,
        (v) => Number.isInteger(v) && v >= 1,
        'an integer >= 1 or null',
      );
    }
    this.name = name;
    this.weightDecay = weightDecay;
    this.clipnorm = clipnorm;
    this.clipvalue = clipvalue;
    this.globalClipnorm = globalClipnorm;
    this.useEma = useEma;
    this.emaMomentum = emaMomentum;
    this.emaOverwriteFrequency = emaOverwriteFrequency;
    this.lossScaleFactor = lossScaleFactor;
    this.gradientAccumulationSteps = gradientAccumulationSteps;
    this.iterationVariable = this.track('iteration', tf.scalar(0, 'int32'));
    this.setLearningRate(learningRate, owner);
  }

  /** Optimizer steps taken (with gradient accumulation: completed accumulation cycles). */
  get iterations(): number {
    const acc = this.gradientAccumulationSteps;
    return acc ? Math.floor(this.steps / acc) : this.steps;
  }

  /** The learning rate for the next update (a schedule is evaluated at the current step). */
  get learningRate(): number {
    return this.schedule ? this.schedule.call(this.steps) : this.learningRateValue;
  }

  set learningRate(value: number | LearningRateSchedule) {
    this.setLearningRate(value, (this.constructor as typeof Optimizer).className);
  }

  /** The schedule driving the learning rate, if any. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.schedule;
  }

  private setLearningRate(value: number | LearningRateSchedule, owner: string): void {
    if (value instanceof LearningRateSchedule) {
      this.schedule = value;
      if (this.learningRateVariable) {
        const i = this.state.findIndex((s) => s.value === this.learningRateVariable);
        this.state.splice(i, 1);
        this.learningRateVariable.dispose();
        this.learningRateVariable = null;
      }
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValueError(
        `${owner}: learningRate must be a finite number or a LearningRateSchedule, received ${String(value)}.`,
      );
    }
    if (this.schedule) {
      throw new RuntimeError(
        `${owner} '${this.name}' was created with a LearningRateSchedule, so its learning rate cannot be set to a number (received ${value}). Fix: create the optimizer with a numeric learningRate.`,
      );
    }
    this.learningRateValue = value;
    if (this.learningRateVariable == null) {
      this.learningRateVariable = this.track('learning_rate', tf.scalar(value, 'float32'));
    } else {
      const v = this.learningRateVariable;
      tf.tidy(() => v.assign(tf.scalar(value, 'float32')));
    }
  }

  private track(path: string, initial: tf.Tensor): tf.Variable {
    const value = tf.variable(initial, false, `cornu_opt_${variableCounter++}_${path}`);
    initial.dispose();
    this.state.push({ path: `${this.name}/${path}`, value });
    return value;
  }

  /** A zero-initialised (or `fill`-initialised) state variable shaped like `reference`. */
  protected addVariableFromReference(reference: VariableLike, name: string, fill = 0): tf.Variable {
    const v = toVariable(reference);
    return this.addVariable(
      v.shape,
      `${variablePath(reference).replace(/\//g, '_')}_${name}`,
      fill,
      v.dtype,
    );
  }

  /** A state variable of the given shape, filled with `fill`. */
  protected addVariable(
    shape: number[],
    name: string,
    fill = 0,
    dtype: tf.DataType = 'float32',
  ): tf.Variable {
    return this.track(name, tf.fill(shape, fill, dtype));
  }

  /** Creates the state for `variables` (called on the first `applyGradients`). */
  build(variables: VariableLike[]): void {
    if (this.built) return;
    this.trainable = [...variables];
    variables.forEach((variable, i) => {
      this.indices.set(toVariable(variable), i);
    });
    // Keras creates every EMA average first, then every gradient accumulator (not one of each
    // per weight), so `variables()` and saved optimizer weights line up by position.
    if (this.useEma) {
      this.emaAverages = variables.map((v) => this.addVariableFromReference(v, 'average'));
    }
    if (this.gradientAccumulationSteps) {
      this.gradientAccumulators = variables.map((v) =>
        this.addVariableFromReference(v, 'gradient_accumulator'),
      );
    }
    this.buildState(variables);
    this.built = true;
  }

  /** Subclasses create their per-variable state here, in Keras's order. */
  protected abstract buildState(variables: VariableLike[]): void;

  /**
   * One variable's update. `index` is its position in the list the optimizer was built with,
   * `step` the 1-based update count (Keras's `iterations + 1`), `learningRate` the current rate.
   * Runs inside a `tf.tidy`.
   */
  protected abstract updateStep(
    gradient: tf.Tensor,
    variable: tf.Variable,
    learningRate: number,
    index: number,
    step: number,
  ): void;

  /** Runs before the per-variable updates of one step (Nadam keeps a running product here). */
  protected beforeUpdate(_step: number): void {}

  /** Multiplies the loss by `lossScaleFactor` (gradients are divided by it on apply). */
  scaleLoss(loss: tf.Scalar): tf.Scalar {
    const s = this.lossScaleFactor;
    return s == null ? loss : tf.tidy(() => tf.mul(loss, s));
  }

  /**
   * Excludes weights from weight decay, by identity or by name: `varNames` are regular
   * expressions searched in each weight's name, as in Keras ('bias' excludes every name
   * containing 'bias'). Must be called before the optimizer is built.
   */
  excludeFromWeightDecay({
    variables = [],
    varNames = [],
  }: {
    variables?: VariableLike[];
    varNames?: string[];
  }): void {
    if (this.built) {
      throw new RuntimeError(
        `${(this.constructor as typeof Optimizer).className} '${this.name}': excludeFromWeightDecay must be called before the optimizer is built.`,
      );
    }
    this.excludedVariables = new Set(variables.map((v) => toVariable(v)));
    // Keras joins var_names with '|' into one regular expression and searches each weight's
    // name with it, so 'bias' matches as a substring and '^k' or 'norm.*' work as patterns.
    let pattern: RegExp | null = null;
    if (varNames.length > 0) {
      try {
        pattern = new RegExp([...new Set(varNames)].join('|'));
      } catch (e) {
        throw new ValueError(
          `${(this.constructor as typeof Optimizer).className} '${this.name}': excludeFromWeightDecay varNames must be regular expressions (Keras searches weight names with them), received ${JSON.stringify(varNames)}: ${(e as Error).message}`,
        );
      }
    }
    this.excludedPattern = pattern;
  }

  private usesWeightDecay(variable: VariableLike): boolean {
    if (this.excludedVariables.has(toVariable(variable))) return false;
    if (this.excludedPattern?.test(variableName(variable))) return false;
    return true;
  }

  /**
   * Applies one step of gradients: `applyGradients(grads, variables)` or a list of
   * `[grad, variable]` pairs. Builds the optimizer on the first call; later calls must pass
   * variables it was built with (any subset, in any order). A null gradient skips its variable.
   */
  applyGradients(grads: (tf.Tensor | null)[], variables?: VariableLike[]): void;
  applyGradients(pairs: [tf.Tensor | null, VariableLike][]): void;
  applyGradients(
    gradsOrPairs: (tf.Tensor | null)[] | [tf.Tensor | null, VariableLike][],
    maybeVariables?: VariableLike[],
  ): void {
    let grads: (tf.Tensor | null)[];
    let variables: VariableLike[] | undefined = maybeVariables;
    if (maybeVariables === undefined && gradsOrPairs.length > 0 && Array.isArray(gradsOrPairs[0])) {
      const pairs = gradsOrPairs as [tf.Tensor | null, VariableLike][];
      grads = pairs.map((p) => p[0]);
      variables = pairs.map((p) => p[1]);
    } else {
      grads = gradsOrPairs as (tf.Tensor | null)[];
    }
    this.apply(grads, variables);
  }

  /** Same as `applyGradients(grads, variables)`; without variables, uses the built list. */
  apply(grads: (tf.Tensor | null)[], variables?: VariableLike[]): void {
    const owner = `${(this.constructor as typeof Optimizer).className} '${this.name}'`;
    if (grads.length === 0) return;
    if (variables === undefined) {
      if (!this.built) {
        throw new ValueError(
          `${owner}: applyGradients without variables needs a built optimizer. Fix: call optimizer.build(variables) first.`,
        );
      }
      variables = this.trainable;
    }
    if (grads.length !== variables.length) {
      throw new ValueError(
        `${owner}: received ${grads.length} gradients for ${variables.length} variables; expected one gradient per variable.`,
      );
    }
    if (!this.built) this.build(variables);
    const tfVars = variables.map((v) => toVariable(v));
    const indices = tfVars.map((v, i) => {
      const index = this.indices.get(v);
      if (index === undefined) {
        throw new ValueError(
          `${owner}: unknown variable '${variablePath(variables![i]!)}'. An optimizer updates only the variables it was built with. Fix: create a new optimizer for new variables.`,
        );
      }
      return index;
    });
    const live = grads.map((_, i) => i).filter((i) => grads[i] != null);
    if (live.length === 0)
      throw new ValueError(`${owner}: no gradients provided for any variable.`);

    tf.tidy(() => {
      let g = live.map((i) => grads[i]!);
      if (this.lossScaleFactor != null) g = g.map((t) => tf.div(t, this.lossScaleFactor!));
      const liveVars = live.map((i) => variables![i]!);
      const liveTf = live.map((i) => tfVars[i]!);
      const liveIdx = live.map((i) => indices[i]!);
      const acc = this.gradientAccumulationSteps;
      if (acc) {
        const isUpdate = (this.steps + 1) % acc === 0;
        const accs = liveIdx.map((i) => this.gradientAccumulators[i]!);
        if (isUpdate) {
          g = g.map((t, k) => tf.div(tf.add(t, accs[k]!), acc));
          this.updateAll(g, liveVars, liveTf, liveIdx);
          for (const a of this.gradientAccumulators) a.assign(tf.zerosLike(a));
        } else {
          g.forEach((t, k) => accs[k]!.assign(tf.add(t, accs[k]!)));
        }
      } else {
        this.updateAll(g, liveVars, liveTf, liveIdx);
      }
      if (this.useEma) this.updateEma();
      this.steps += 1;
      this.iterationVariable.assign(tf.scalar(this.steps, 'int32'));
    });
    for (const v of liveVars(live, variables)) constrain(v);
  }

  private updateAll(
    grads: tf.Tensor[],
    variables: VariableLike[],
    tfVars: tf.Variable[],
    indices: number[],
  ): void {
    grads = this.clipGradients(grads);
    const lr = this.learningRate;
    if (this.weightDecay != null) {
      const wd = this.weightDecay;
      variables.forEach((v, k) => {
        if (this.usesWeightDecay(v)) {
          const t = tfVars[k]!;
          t.assign(tf.sub(t, tf.mul(t, wd * lr)));
        }
      });
    }
    const step = this.iterations + 1;
    this.beforeUpdate(step);
    grads.forEach((g, k) => this.updateStep(g, tfVars[k]!, lr, indices[k]!, step));
  }

  private clipGradients(grads: tf.Tensor[]): tf.Tensor[] {
    if (this.clipnorm != null && this.clipnorm > 0) {
      const c = this.clipnorm;
      return grads.map((g) => {
        const l2sum = tf.sum(tf.square(g));
        const norm = tf.sqrt(l2sum);
        return tf.div(tf.mul(g, c), tf.maximum(norm, c));
      });
    }
    if (this.globalClipnorm != null && this.globalClipnorm > 0) {
      const c = this.globalClipnorm;
      const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
      // c * min(1 / norm, 1 / c), made NaN when the norm is not finite (Keras's clip_by_global_norm).
      const scale = tf.add(tf.mul(c, tf.minimum(tf.div(1, norm), 1 / c)), tf.sub(norm, norm));
      return grads.map((g) => tf.mul(g, scale));
    }
    if (this.clipvalue != null && this.clipvalue > 0) {
      const c = this.clipvalue;
      return grads.map((g) => tf.clipByValue(g, -c, c));
    }
    return grads;
  }

  private updateEma(): void {
    const momentum = this.iterations !== 0 ? this.emaMomentum : 0;
    this.trainable.forEach((variable, i) => {
      const v = toVariable(variable);
      const average = this.emaAverages[i]!;
      average.assign(tf.add(tf.mul(average, momentum), tf.mul(v, 1 - momentum)));
    });
    const freq = this.emaOverwriteFrequency;
    if (freq && (this.iterations + 1) % freq === 0) this.overwriteWithAverages(this.trainable);
  }

  private overwriteWithAverages(variables: VariableLike[]): void {
    if (variables.length !== this.emaAverages.length) {
      throw new ValueError(
        `${(this.constructor as typeof Optimizer).className} '${this.name}': finalizeVariableValues received ${variables.length} variables, the optimizer averages ${this.emaAverages.length}.`,
      );
    }
    tf.tidy(() => variables.forEach((v, i) => toVariable(v).assign(this.emaAverages[i]!)));
  }

  /** With `useEma`, copies the moving averages into the weights (`fit` calls it at the end). */
  finalizeVariableValues(variables: VariableLike[]): void {
    if (this.useEma) this.overwriteWithAverages(variables);
  }

  /** The optimizer's state in Keras 3's order: iteration, learning_rate (if not a schedule), then the built state. */
  variables(): tf.Variable[] {
    return this.state.map((s) => s.value);
  }

  /** The state with Keras-style paths ('adam/dense_kernel_momentum'). */
  variablesWithPaths(): OptimizerVariable[] {
    return [...this.state];
  }

  /** Copies of `variables()`' values (the caller disposes them). */
  getWeights(): tf.Tensor[] {
    return this.state.map((s) => tf.clone(s.value));
  }

  /** Sets the state from `getWeights()`-ordered values (the optimizer must be built). */
  setWeights(values: tf.Tensor[]): void {
    const owner = `${(this.constructor as typeof Optimizer).className} '${this.name}'`;
    if (values.length !== this.state.length) {
      throw new ValueError(
        `${owner}: setWeights received ${values.length} values, expected ${this.state.length}${this.built ? '' : ' (the optimizer is not built yet: call optimizer.build(variables) first)'}.`,
      );
    }
    values.forEach((t, i) => {
      const s = this.state[i]!;
      if (!tf.util.arraysEqual(t.shape, s.value.shape)) {
        throw new ValueError(
          `${owner}: variable '${s.path}' has shape [${s.value.shape}], received a value of shape [${t.shape}].`,
        );
      }
      tf.tidy(() => s.value.assign(t.dtype === s.value.dtype ? t : tf.cast(t, s.value.dtype)));
    });
    this.steps = this.iterationVariable.dataSync()[0]!;
    if (this.learningRateVariable)
      this.learningRateValue = this.learningRateVariable.dataSync()[0]!;
  }

  /** Keras 3 config keys: name, learning_rate, weight_decay, clipnorm, ... */
  getConfig(): OptimizerConfig {
    return {
      name: this.name,
      learning_rate: this.schedule ? serializeSchedule(this.schedule) : this.learningRateValue,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.useEma,
      ema_momentum: this.emaMomentum,
      ema_overwrite_frequency: this.emaOverwriteFrequency,
      loss_scale_factor: this.lossScaleFactor,
      gradient_accumulation_steps: this.gradientAccumulationSteps,
    };
  }

  /** The base arguments read back from a Keras config. */
  protected static baseArgs(config: OptimizerConfig): OptimizerArgs {
    const lr = config.learning_rate;
    const numOrNull = (k: string) => (typeof config[k] === 'number' ? (config[k] as number) : null);
    return {
      name: typeof config.name === 'string' ? config.name : undefined,
      learningRate:
        typeof lr === 'number'
          ? lr
          : lr != null && typeof lr === 'object'
            ? deserializeSchedule(lr as SerializedSchedule)
            : undefined,
      weightDecay: numOrNull('weight_decay'),
      clipnorm: numOrNull('clipnorm'),
      globalClipnorm: numOrNull('global_clipnorm'),
      clipvalue: numOrNull('clipvalue'),
      useEma: Boolean(config.use_ema),
      emaMomentum: typeof config.ema_momentum === 'number' ? config.ema_momentum : undefined,
      emaOverwriteFrequency: numOrNull('ema_overwrite_frequency'),
      lossScaleFactor: numOrNull('loss_scale_factor'),
      gradientAccumulationSteps: numOrNull('gradient_accumulation_steps'),
    };
  }

  /** Frees the optimizer's state variables. */
  dispose(): void {
    for (const s of this.state) s.value.dispose();
    this.state.length = 0;
  }
}

function liveVars(live: number[], variables: VariableLike[]): VariableLike[] {
  return live.map((i) => variables[i]!);
}
