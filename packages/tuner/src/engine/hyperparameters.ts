import { ValueError } from '@cornu/core';
import type { Rng } from './random.js';

/** A hyperparameter's value. */
export type HyperParameterValue = number | string | boolean;

/** How a numeric range is explored: uniformly, uniformly in log space, or dense near the maximum. */
export type Sampling = 'linear' | 'log' | 'reverse_log';

/** The hyperparameter is active only while `parentName`'s value is one of `parentValues`. */
export interface Condition {
  parentName: string;
  parentValues: HyperParameterValue[];
}

/** Options every hyperparameter takes. */
export interface HyperParameterOptions {
  /** Make this hyperparameter active only when `parentName` takes one of `parentValues`. */
  parentName?: string;
  parentValues?: HyperParameterValue[];
}

/** Serialized hyperparameter: Keras Tuner's `{class_name, config}` with snake_case keys. */
export interface HyperParameterConfig {
  class_name: 'Int' | 'Float' | 'Choice' | 'Boolean' | 'Fixed';
  config: Record<string, unknown>;
}

/** Base of the five hyperparameter kinds: a name, a default, conditions, and a map to [0, 1]. */
export abstract class HyperParameter<V extends HyperParameterValue = HyperParameterValue> {
  readonly name: string;
  readonly conditions: Condition[];
  abstract readonly default: V;

  constructor(name: string, conditions: Condition[]) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ValueError(
        `HyperParameter: name must be a non-empty string. Received: ${String(name)}.`,
      );
    }
    this.name = name;
    this.conditions = conditions;
  }

  /** A value drawn from the prior (uniform in the sampling space). */
  sample(rng: Rng): V {
    return this.probToValue(rng.next());
  }
  /** Maps a value to [0, 1] (the cumulative prior); numeric oracles work in this space. */
  abstract valueToProb(value: V): number;
  /** Inverse of `valueToProb`. */
  abstract probToValue(prob: number): V;
  /**
   * The interval of [0, 1] that `probToValue` maps to `value` when the hyperparameter is discrete
   * (Int, stepped Float, Choice, Boolean, Fixed); undefined for a continuous range.
   */
  probInterval(_value: V): [number, number] | undefined {
    return undefined;
  }
  /** Every value GridSearch tries, in order. */
  abstract gridValues(): V[];
  /** Checks a value belongs to the space. */
  abstract contains(value: HyperParameterValue): boolean;
  /** Keras Tuner's config dict for this hyperparameter. */
  abstract getConfig(): HyperParameterConfig;

  protected baseConfig(): Record<string, unknown> {
    return {
      name: this.name,
      default: this.default,
      conditions: this.conditions.map((c) => ({
        class_name: 'Parent',
        config: { name: c.parentName, values: c.parentValues },
      })),
    };
  }
}

const clip01 = (p: number): number => Math.min(Math.max(p, 0), 1 - 1e-12);

/** Shared numeric behaviour of Int and Float: range, step grid, linear/log/reverse_log sampling. */
abstract class NumericHyperParameter extends HyperParameter<number> {
  readonly minValue: number;
  readonly maxValue: number;
  readonly step: number | undefined;
  readonly sampling: Sampling;
  readonly default: number;
  #grid: number[] | undefined;

  constructor(
    kind: string,
    name: string,
    minValue: number,
    maxValue: number,
    step: number | undefined,
    sampling: Sampling,
    defaultValue: number | undefined,
    conditions: Condition[],
  ) {
    super(name, conditions);
    if (!Number.isFinite(minValue) || !Number.isFinite(maxValue) || minValue > maxValue) {
      throw new ValueError(
        `${kind} '${name}': expected finite minValue <= maxValue. Received: minValue=${minValue}, maxValue=${maxValue}.`,
      );
    }
    if (sampling !== 'linear' && sampling !== 'log' && sampling !== 'reverse_log') {
      throw new ValueError(
        `${kind} '${name}': sampling must be 'linear', 'log' or 'reverse_log'. Received: ${String(sampling)}.`,
      );
    }
    if (sampling !== 'linear' && minValue <= 0) {
      throw new ValueError(
        `${kind} '${name}': ${sampling} sampling needs minValue > 0. Received: minValue=${minValue}.`,
      );
    }
    if (step !== undefined && !(step > 0 && (sampling === 'linear' || step > 1))) {
      throw new ValueError(
        `${kind} '${name}': step must be > 0 (and > 1 with ${sampling} sampling, where it multiplies). Received: step=${step}.`,
      );
    }
    this.minValue = minValue;
    this.maxValue = maxValue;
    this.step = step;
    this.sampling = sampling;
    if (defaultValue !== undefined && !this.contains(defaultValue)) {
      throw new ValueError(
        `${kind} '${name}': default ${defaultValue} is outside [${minValue}, ${maxValue}] or off the step grid.`,
      );
    }
    this.default = defaultValue ?? minValue;
  }

  /** The step grid, or undefined for a continuous range. */
  protected grid(): number[] | undefined {
    if (this.step === undefined) return undefined;
    if (this.#grid) return this.#grid;
    const values: number[] = [];
    const eps = 1e-9 * Math.max(1, Math.abs(this.maxValue));
    if (this.sampling === 'linear') {
      for (let k = 0; this.minValue + k * this.step <= this.maxValue + eps; k++) {
        values.push(this.round(this.minValue + k * this.step));
      }
    } else {
      for (let v = this.minValue; v <= this.maxValue * (1 + 1e-9); v *= this.step) {
        values.push(this.round(v));
      }
    }
    this.#grid = values;
    return values;
  }

  protected round(value: number): number {
    return Number(value.toPrecision(12));
  }

  /** Continuous map from [0, 1] to [lo, hi] in the sampling space. */
  protected continuous(prob: number, lo: number, hi: number): number {
    if (this.sampling === 'linear') return lo + prob * (hi - lo);
    const logLo = Math.log(lo);
    const logHi = Math.log(hi);
    if (this.sampling === 'log') return Math.exp(logLo + prob * (logHi - logLo));
    return hi + lo - Math.exp(logLo + (1 - prob) * (logHi - logLo));
  }

  protected continuousInverse(value: number, lo: number, hi: number): number {
    if (hi === lo) return 0.5;
    if (this.sampling === 'linear') return (value - lo) / (hi - lo);
    const logLo = Math.log(lo);
    const logHi = Math.log(hi);
    if (this.sampling === 'log') return (Math.log(value) - logLo) / (logHi - logLo);
    return 1 - (Math.log(hi + lo - value) - logLo) / (logHi - logLo);
  }

  contains(value: HyperParameterValue): boolean {
    if (typeof value !== 'number' || value < this.minValue || value > this.maxValue) return false;
    const grid = this.grid();
    return (
      grid === undefined || grid.some((g) => Math.abs(g - value) <= 1e-9 * Math.max(1, Math.abs(g)))
    );
  }

  valueToProb(value: number): number {
    const grid = this.grid();
    if (grid) {
      let best = 0;
      for (let i = 1; i < grid.length; i++) {
        if (Math.abs(grid[i]! - value) < Math.abs(grid[best]! - value)) best = i;
      }
      return (best + 0.5) / grid.length;
    }
    return this.continuousInverse(value, this.minValue, this.maxValue);
  }

  override probInterval(value: number): [number, number] | undefined {
    const grid = this.grid();
    if (!grid) return undefined;
    const i = Math.floor(this.valueToProb(value) * grid.length);
    return [i / grid.length, (i + 1) / grid.length];
  }

  probToValue(prob: number): number {
    const grid = this.grid();
    if (grid) return grid[Math.floor(clip01(prob) * grid.length)]!;
    return this.continuous(clip01(prob), this.minValue, this.maxValue);
  }

  protected numericConfig(): Record<string, unknown> {
    return {
      ...this.baseConfig(),
      min_value: this.minValue,
      max_value: this.maxValue,
      step: this.step ?? null,
      sampling: this.sampling,
    };
  }
}

/** Options of `hp.Int`. */
export interface IntOptions extends HyperParameterOptions {
  /**
   * Distance between values (a multiplier with log sampling).
   * @default 1 for linear sampling
   */
  step?: number;
  /** @default 'linear' */
  sampling?: Sampling;
  /** @default minValue */
  default?: number;
}

/** An integer in [minValue, maxValue], both inclusive. */
export class Int extends NumericHyperParameter {
  constructor(
    name: string,
    minValue: number,
    maxValue: number,
    options: IntOptions = {},
    conditions: Condition[] = [],
  ) {
    const { step, sampling = 'linear', default: defaultValue } = options;
    if (!Number.isInteger(minValue) || !Number.isInteger(maxValue)) {
      throw new ValueError(
        `Int '${name}': minValue and maxValue must be integers. Received: ${minValue}, ${maxValue}.`,
      );
    }
    super(
      'Int',
      name,
      minValue,
      maxValue,
      step ?? (sampling === 'linear' ? 1 : undefined),
      sampling,
      defaultValue,
      conditions,
    );
  }

  override contains(value: HyperParameterValue): boolean {
    return Number.isInteger(value) && super.contains(value);
  }

  override valueToProb(value: number): number {
    if (this.step !== undefined) return super.valueToProb(value);
    return this.continuousInverse(value + 0.5, this.minValue, this.maxValue + 1);
  }

  override probInterval(value: number): [number, number] {
    if (this.step !== undefined) return super.probInterval(value)!;
    const hi = this.maxValue + 1;
    return [
      this.continuousInverse(value, this.minValue, hi),
      this.continuousInverse(value + 1, this.minValue, hi),
    ];
  }

  override probToValue(prob: number): number {
    if (this.step !== undefined) return super.probToValue(prob);
    const v = Math.floor(this.continuous(clip01(prob), this.minValue, this.maxValue + 1));
    return Math.min(Math.max(v, this.minValue), this.maxValue);
  }

  gridValues(): number[] {
    const grid = this.grid();
    if (grid) return grid;
    const values: number[] = [];
    for (let v = this.minValue; v <= this.maxValue; v++) values.push(v);
    return values;
  }

  getConfig(): HyperParameterConfig {
    return { class_name: 'Int', config: this.numericConfig() };
  }
}

/** Options of `hp.Float`. */
export interface FloatOptions extends IntOptions {}

/** A float in [minValue, maxValue]; with a step, only the values on the step grid. */
export class Float extends NumericHyperParameter {
  constructor(
    name: string,
    minValue: number,
    maxValue: number,
    options: FloatOptions = {},
    conditions: Condition[] = [],
  ) {
    const { step, sampling = 'linear', default: defaultValue } = options;
    super('Float', name, minValue, maxValue, step, sampling, defaultValue, conditions);
  }

  /** The step grid, or 10 points spread evenly in the sampling space when there is no step. */
  gridValues(): number[] {
    const grid = this.grid();
    if (grid) return grid;
    if (this.minValue === this.maxValue) return [this.minValue];
    return Array.from({ length: 10 }, (_, i) =>
      this.round(this.continuous(i / 9, this.minValue, this.maxValue)),
    );
  }

  getConfig(): HyperParameterConfig {
    return { class_name: 'Float', config: this.numericConfig() };
  }
}

/** Options of `hp.Choice`. */
export interface ChoiceOptions<V extends HyperParameterValue> extends HyperParameterOptions {
  /**
   * Whether the values have an order (numeric oracles then treat neighbours as close).
   * @default true when every value is a number
   */
  ordered?: boolean;
  /** @default values[0] */
  default?: V;
}

/** One of a list of values. */
export class Choice<V extends HyperParameterValue = HyperParameterValue> extends HyperParameter<V> {
  readonly values: V[];
  readonly ordered: boolean;
  readonly default: V;

  constructor(
    name: string,
    values: V[],
    options: ChoiceOptions<V> = {},
    conditions: Condition[] = [],
  ) {
    super(name, conditions);
    if (!Array.isArray(values) || values.length === 0) {
      throw new ValueError(
        `Choice '${name}': values must be a non-empty array. Received: ${JSON.stringify(values)}.`,
      );
    }
    const types = new Set(values.map((v) => typeof v));
    if (
      types.size > 1 ||
      ![...types].every((t) => t === 'number' || t === 'string' || t === 'boolean')
    ) {
      throw new ValueError(
        `Choice '${name}': values must all be numbers, all strings or all booleans. Received: ${JSON.stringify(values)}.`,
      );
    }
    if (new Set(values).size !== values.length) {
      throw new ValueError(
        `Choice '${name}': values must be unique. Received: ${JSON.stringify(values)}.`,
      );
    }
    const { ordered = types.has('number'), default: defaultValue } = options;
    if (ordered && !types.has('number')) {
      throw new ValueError(
        `Choice '${name}': ordered=true needs numeric values. Received: ${JSON.stringify(values)}.`,
      );
    }
    if (defaultValue !== undefined && !values.includes(defaultValue)) {
      throw new ValueError(
        `Choice '${name}': default ${JSON.stringify(defaultValue)} is not one of ${JSON.stringify(values)}.`,
      );
    }
    this.values = [...values];
    this.ordered = ordered;
    this.default = defaultValue ?? values[0]!;
  }

  contains(value: HyperParameterValue): boolean {
    return this.values.includes(value as V);
  }

  valueToProb(value: V): number {
    const index = this.values.indexOf(value);
    return (Math.max(index, 0) + 0.5) / this.values.length;
  }

  probToValue(prob: number): V {
    return this.values[Math.floor(clip01(prob) * this.values.length)]!;
  }

  override probInterval(value: V): [number, number] {
    const i = Math.max(this.values.indexOf(value), 0);
    return [i / this.values.length, (i + 1) / this.values.length];
  }

  gridValues(): V[] {
    return [...this.values];
  }

  getConfig(): HyperParameterConfig {
    return {
      class_name: 'Choice',
      config: { ...this.baseConfig(), values: this.values, ordered: this.ordered },
    };
  }
}

/** true or false. */
export class BooleanChoice extends Choice<boolean> {
  constructor(
    name: string,
    options: { default?: boolean } & HyperParameterOptions = {},
    conditions: Condition[] = [],
  ) {
    super(name, [false, true], { ordered: false, default: options.default ?? false }, conditions);
  }

  override getConfig(): HyperParameterConfig {
    return { class_name: 'Boolean', config: this.baseConfig() };
  }
}

/** A constant: recorded with the trial, never searched. */
export class Fixed<V extends HyperParameterValue = HyperParameterValue> extends HyperParameter<V> {
  readonly value: V;
  readonly default: V;

  constructor(name: string, value: V, conditions: Condition[] = []) {
    super(name, conditions);
    if (!['number', 'string', 'boolean'].includes(typeof value)) {
      throw new ValueError(
        `Fixed '${name}': value must be a number, string or boolean. Received: ${String(value)}.`,
      );
    }
    this.value = value;
    this.default = value;
  }

  contains(value: HyperParameterValue): boolean {
    return value === this.value;
  }
  valueToProb(): number {
    return 0.5;
  }
  probToValue(): V {
    return this.value;
  }
  override probInterval(): [number, number] {
    return [0, 1];
  }
  gridValues(): V[] {
    return [this.value];
  }
  getConfig(): HyperParameterConfig {
    return { class_name: 'Fixed', config: { ...this.baseConfig(), value: this.value } };
  }
}

/** Serialized `HyperParameters`: the space and the current values. */
export interface HyperParametersConfig {
  space: HyperParameterConfig[];
  values: Record<string, HyperParameterValue>;
}

/** Rebuilds one hyperparameter from its config. */
/** The keys a serialized hyperparameter config may hold. */
interface RawConfig {
  name: string;
  default?: HyperParameterValue;
  conditions?: { config: { name: string; values: HyperParameterValue[] } }[];
  min_value: number;
  max_value: number;
  step?: number | null;
  sampling?: Sampling;
  values: HyperParameterValue[];
  ordered?: boolean;
  value: HyperParameterValue;
}

export function hyperParameterFromConfig({
  class_name: kind,
  config,
}: HyperParameterConfig): HyperParameter {
  const c = config as unknown as RawConfig;
  const conditions: Condition[] = (c.conditions ?? []).map((cond) => ({
    parentName: cond.config.name,
    parentValues: cond.config.values,
  }));
  const numeric = (): IntOptions => ({
    step: c.step ?? undefined,
    sampling: c.sampling ?? 'linear',
    default: c.default as number | undefined,
  });
  switch (kind) {
    case 'Int':
      return new Int(c.name, c.min_value, c.max_value, numeric(), conditions);
    case 'Float':
      return new Float(c.name, c.min_value, c.max_value, numeric(), conditions);
    case 'Choice':
      return new Choice(c.name, c.values, { ordered: c.ordered, default: c.default }, conditions);
    case 'Boolean':
      return new BooleanChoice(c.name, { default: c.default as boolean | undefined }, conditions);
    case 'Fixed':
      return new Fixed(c.name, c.value, conditions);
    default:
      throw new ValueError(
        `HyperParameters.fromConfig: unknown hyperparameter class ${JSON.stringify(kind)}. Expected Int, Float, Choice, Boolean or Fixed.`,
      );
  }
}

/**
 * The search space and the values of one trial (Keras Tuner's `HyperParameters`).
 *
 * A hypermodel calls `hp.Int(...)`, `hp.Float(...)`, `hp.Choice(...)`, `hp.Boolean(...)` or
 * `hp.Fixed(...)`: the first call registers the hyperparameter in the space, and every call
 * returns the trial's value (the default when none was chosen, or when the hyperparameter is
 * inactive because its `conditionalScope` does not hold).
 *
 * @example
 * const hp = new HyperParameters();
 * const layers = hp.Int('layers', 1, 3);
 * const kind = hp.Choice('kind', ['mlp', 'cnn']);
 * hp.conditionalScope('kind', ['cnn'], () => hp.Int('filters', 8, 64, { step: 8 }));
 */
export class HyperParameters {
  /** Every hyperparameter registered so far, in registration order. */
  readonly space: HyperParameter[] = [];
  /** The values of this trial, by name (including `tuner/...` bookkeeping values). */
  values: Record<string, HyperParameterValue> = {};
  readonly #byName = new Map<string, HyperParameter>();
  readonly #scopes: Condition[] = [];

  /** An integer hyperparameter; returns its value. */
  Int(name: string, minValue: number, maxValue: number, options: IntOptions = {}): number {
    return this.#retrieve(
      new Int(name, minValue, maxValue, options, this.#conditions(options)),
    ) as number;
  }

  /** A float hyperparameter; returns its value. */
  Float(name: string, minValue: number, maxValue: number, options: FloatOptions = {}): number {
    return this.#retrieve(
      new Float(name, minValue, maxValue, options, this.#conditions(options)),
    ) as number;
  }

  /** One of `values`; returns the chosen one. */
  Choice<V extends HyperParameterValue>(
    name: string,
    values: V[],
    options: ChoiceOptions<V> = {},
  ): V {
    return this.#retrieve(new Choice(name, values, options, this.#conditions(options))) as V;
  }

  /** A boolean hyperparameter; returns its value. */
  Boolean(name: string, options: { default?: boolean } & HyperParameterOptions = {}): boolean {
    return this.#retrieve(new BooleanChoice(name, options, this.#conditions(options))) as boolean;
  }

  /** A constant recorded with the trial; returns `value`. */
  Fixed<V extends HyperParameterValue>(
    name: string,
    value: V,
    options: HyperParameterOptions = {},
  ): V {
    return this.#retrieve(new Fixed(name, value, this.#conditions(options))) as V;
  }

  /**
   * Runs `fn` with every hyperparameter it registers active only when `parentName` takes one of
   * `parentValues`. Scopes nest. Returns what `fn` returns (awaiting it first when it is async).
   */
  conditionalScope<T>(parentName: string, parentValues: HyperParameterValue[], fn: () => T): T {
    if (!this.#byName.has(parentName)) {
      throw new ValueError(
        `conditionalScope: parent '${parentName}' is not registered yet. Register it (hp.Choice('${parentName}', ...)) before opening a scope on it.`,
      );
    }
    this.#scopes.push({ parentName, parentValues: [...parentValues] });
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.#scopes.pop();
      throw error;
    }
    if (result instanceof Promise) {
      return result.finally(() => this.#scopes.pop()) as T;
    }
    this.#scopes.pop();
    return result;
  }

  /** Whether a hyperparameter's conditions hold under the current values (unknown names: false). */
  isActive(hp: string | HyperParameter): boolean {
    const param = typeof hp === 'string' ? this.#byName.get(hp) : hp;
    if (!param) return false;
    return this.conditionsHold(param.conditions);
  }

  /** Whether every condition holds (each parent active and at one of the listed values). */
  conditionsHold(
    conditions: Condition[],
    values: Record<string, HyperParameterValue> = this.values,
  ): boolean {
    return conditions.every((c) => {
      const parent = this.#byName.get(c.parentName);
      if (!parent) return false;
      const value = values[c.parentName] ?? parent.default;
      return this.conditionsHold(parent.conditions, values) && c.parentValues.includes(value);
    });
  }

  /** The value of a registered hyperparameter. */
  get(name: string): HyperParameterValue {
    const param = this.#byName.get(name);
    if (name in this.values) return this.values[name]!;
    if (param) return param.default;
    throw new ValueError(
      `HyperParameters.get: unknown hyperparameter '${name}'. Known: ${JSON.stringify(Object.keys(this.values))}.`,
    );
  }

  /** Whether `name` is registered in the space. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** The registered hyperparameter named `name`, if any. */
  getHyperParameter(name: string): HyperParameter | undefined {
    return this.#byName.get(name);
  }

  /** The values of the active hyperparameters and bookkeeping entries only. */
  activeValues(): Record<string, HyperParameterValue> {
    const out: Record<string, HyperParameterValue> = {};
    for (const [name, value] of Object.entries(this.values)) {
      const param = this.#byName.get(name);
      if (!param || this.isActive(param)) out[name] = value;
    }
    return out;
  }

  /** Adds hyperparameters from another space; with `overwrite`, replaces those of the same name. */
  merge(other: HyperParameters | HyperParameter[], overwrite = false): void {
    const params = other instanceof HyperParameters ? other.space : other;
    for (const param of params) {
      if (this.#byName.has(param.name) && !overwrite) continue;
      this.#register(param, true);
      if (other instanceof HyperParameters && param.name in other.values) {
        this.values[param.name] = other.values[param.name]!;
      }
    }
  }

  /** A deep copy (space and values). */
  copy(): HyperParameters {
    return HyperParameters.fromConfig(this.getConfig());
  }

  getConfig(): HyperParametersConfig {
    return { space: this.space.map((p) => p.getConfig()), values: { ...this.values } };
  }

  static fromConfig(config: HyperParametersConfig): HyperParameters {
    const hp = new HyperParameters();
    for (const paramConfig of config.space)
      hp.#register(hyperParameterFromConfig(paramConfig), false);
    hp.values = { ...config.values };
    return hp;
  }

  /** Adds a hyperparameter to the space (setting its default value if none is set). */
  register(param: HyperParameter): void {
    this.#register(param, false);
  }

  #register(param: HyperParameter, overwrite: boolean): void {
    const index = this.space.findIndex((p) => p.name === param.name);
    if (index >= 0) {
      if (!overwrite) return;
      this.space[index] = param;
    } else {
      this.space.push(param);
    }
    this.#byName.set(param.name, param);
    if (!(param.name in this.values) || overwrite) this.values[param.name] = param.default;
  }

  #conditions(options: HyperParameterOptions): Condition[] {
    const conditions = this.#scopes.map((c) => ({ ...c }));
    if (options.parentName !== undefined) {
      if (!options.parentValues) {
        throw new ValueError(
          `HyperParameters: parentName '${options.parentName}' needs parentValues. Received: parentValues=undefined.`,
        );
      }
      conditions.push({ parentName: options.parentName, parentValues: [...options.parentValues] });
    }
    return conditions;
  }

  #retrieve(param: HyperParameter): HyperParameterValue {
    const existing = this.#byName.get(param.name);
    if (existing) {
      if (existing.getConfig().class_name !== param.getConfig().class_name) {
        throw new ValueError(
          `HyperParameters: '${param.name}' is already registered as ${existing.getConfig().class_name}; received a ${param.getConfig().class_name} of the same name.`,
        );
      }
    } else {
      this.#register(param, false);
    }
    const current = this.#byName.get(param.name)!;
    if (!this.isActive(current)) return current.default;
    const value = this.values[param.name] ?? current.default;
    return value;
  }
}
