/**
 * Training on `Model`: compile, fit, evaluate, predict, the *OnBatch methods and the overridable
 * trainStep / testStep / predictStep. The methods live here and are installed on `Model.prototype`
 * (importing @cornu/core does it); TypeScript sees them through the declaration merged below.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Callback, CallbackList, type Logs } from '../callbacks/callback.js';
import { BackupAndRestore } from '../callbacks/backup-and-restore.js';
import { History } from '../callbacks/history.js';
import { LambdaCallback } from '../callbacks/lambda-callback.js';
import { ProgbarLogger } from '../callbacks/progbar-logger.js';
import { getMask } from '../engine/mask.js';
import { Model } from '../engine/model.js';
import { RuntimeError, ValueError } from '../errors/errors.js';
import type { Metric } from '../metrics/metric.js';
import { Mean } from '../metrics/reduction-metrics.js';
import { get as getOptimizer } from '../optimizers/get.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import {
  CompiledLoss,
  CompiledMetrics,
  type LossIdentifier,
  type MetricsSpec,
  type PerOutput,
} from './compile-utils.js';
import {
  ArrayAdapter,
  type Batch,
  type BatchSource,
  isBatchSource,
  splitTail,
  type TensorStruct,
  toList,
  unpackElement,
} from './data-adapter.js';
import { valueAndGrads } from './value-and-grads.js';

/** Arguments of `model.compile`. */
export interface CompileArgs {
  /** An optimizer or its name ('adam', 'sgd', ...). @default 'rmsprop' */
  optimizer?: string | Optimizer;
  /** One loss, or one per output (list in output order, or a record by output name). */
  loss?: PerOutput<LossIdentifier>;
  /** Scalar weight of each output's loss in the total. @default 1 for every output */
  lossWeights?: number[] | Record<string, number>;
  /** Metrics, unweighted: a list (for every output), a list of lists, or a record by output name. */
  metrics?: MetricsSpec;
  /** Metrics weighted by the sample weights. */
  weightedMetrics?: MetricsSpec;
}

/** 0 silent, 1 progress bar, 2 one line per epoch, 'auto' = 1. */
export type Verbose = 0 | 1 | 2 | 'auto';

/** Arguments of `model.fit`. */
export interface FitArgs {
  /** Samples per gradient step (ignored for datasets, which are batched already). @default 32 */
  batchSize?: number;
  /** The epoch to stop before (an absolute index, as in Keras). @default 1 */
  epochs?: number;
  /** @default 'auto' */
  verbose?: Verbose;
  /** Callbacks; a History is added (and returned), and a ProgbarLogger when verbose is not 0. */
  callbacks?: Callback[];
  /** Fraction of the samples (the last ones, taken before shuffling) held out for validation. @default 0 */
  validationSplit?: number;
  /** `[x, y]`, `[x, y, sampleWeight]` or a dataset evaluated at the end of each epoch. */
  validationData?:
    | [TensorStruct, TensorStruct]
    | [TensorStruct, TensorStruct, TensorStruct]
    | BatchSource;
  /** Shuffle the samples before each epoch (in-memory data). @default true */
  shuffle?: boolean;
  /** Weight of each class index in the loss (single-output models). */
  classWeight?: Record<number, number>;
  /** Per-sample weights (shape [samples], or one per output). */
  sampleWeight?: TensorStruct;
  /** The epoch to start at (to resume). @default 0 */
  initialEpoch?: number;
  /**
   * Steps that make an epoch. As Keras: the pass over the data (arrays or a dataset) carries on
   * across epochs; an epoch that reaches the end of the data stops early and the next one starts a
   * fresh pass.
   */
  stepsPerEpoch?: number;
  /**
   * Validation steps per evaluation. As Keras (its evaluate resets the iterator), every evaluation
   * starts again from the first batch; a one-shot iterator (a generator object) cannot restart, so
   * it carries on.
   */
  validationSteps?: number;
  /** @default batchSize */
  validationBatchSize?: number;
  /** Validate every N epochs, or at the listed (1-based) epochs. @default 1 */
  validationFreq?: number | number[];
}

/** Arguments of `model.evaluate`. */
export interface EvaluateArgs {
  /** @default 32 */
  batchSize?: number;
  /** @default 'auto' */
  verbose?: Verbose;
  sampleWeight?: TensorStruct;
  /** Batches to draw (datasets). */
  steps?: number;
  callbacks?: Callback[];
  /** Return `{ loss, accuracy, ... }` instead of a number or a list. @default false */
  returnDict?: boolean;
}

/** Arguments of `model.predict`. */
export interface PredictArgs {
  /** @default 32 */
  batchSize?: number;
  /** Keras's default: a progress line as evaluate prints (0 to silence). @default 'auto' */
  verbose?: Verbose;
  /** Batches to draw (datasets). */
  steps?: number;
  callbacks?: Callback[];
}

/** What `trainStep` / `testStep` receive: x, y and sample weights, as single tensors or lists. */
export type StepData = [
  x: tf.Tensor | tf.Tensor[],
  y?: tf.Tensor | tf.Tensor[] | null,
  sampleWeight?: tf.Tensor | tf.Tensor[] | null,
];

/** Per-step logs: scalar tensors (synced only when a log is needed) or numbers. */
export type StepLogs = Record<string, tf.Tensor | number>;

/** Arguments of `model.computeLoss`. */
export interface ComputeLossArgs {
  x?: tf.Tensor | tf.Tensor[];
  y?: tf.Tensor | tf.Tensor[] | null;
  yPred: tf.Tensor | tf.Tensor[];
  sampleWeight?: tf.Tensor | tf.Tensor[] | null;
  training?: boolean;
}

/**
 * The training surface on every `Model` (installed on `Model.prototype` by this module). Exported so
 * the engine's `Model` can merge it by name: bundled declaration files drop a relative `declare module`.
 */
export interface TrainingMethods {
  /** Set by `compile`; callbacks read and set its `learningRate`. */
  optimizer: Optimizer | null;
  /** The epoch `fit` resumes from (written by BackupAndRestore). */
  initialEpoch?: number;
  /** Whether `compile` has been called. */
  readonly compiled: boolean;
  /** The loss tracker, per-output loss trackers and compiled metrics (after the first batch). */
  readonly metrics: Metric[];
  /** Log names: 'loss', then the metrics ('accuracy', 'val_' prefixes are added by fit). */
  readonly metricsNames: string[];
  compile(args?: CompileArgs): void;
  fit(x: TensorStruct, y?: TensorStruct | null, args?: FitArgs): Promise<History>;
  fit(dataset: BatchSource, args?: FitArgs): Promise<History>;
  evaluate(
    x: TensorStruct,
    y: TensorStruct | null | undefined,
    args: EvaluateArgs & { returnDict: true },
  ): Promise<Record<string, number>>;
  evaluate(
    x: TensorStruct,
    y?: TensorStruct | null,
    args?: EvaluateArgs,
  ): Promise<number | number[]>;
  evaluate(
    dataset: BatchSource,
    args: EvaluateArgs & { returnDict: true },
  ): Promise<Record<string, number>>;
  evaluate(dataset: BatchSource, args?: EvaluateArgs): Promise<number | number[]>;
  predict(x: TensorStruct | BatchSource, args?: PredictArgs): Promise<tf.Tensor | tf.Tensor[]>;
  trainOnBatch(
    x: TensorStruct,
    y?: TensorStruct | null,
    args?: { sampleWeight?: TensorStruct; classWeight?: Record<number, number> },
  ): Promise<Logs>;
  testOnBatch(
    x: TensorStruct,
    y?: TensorStruct | null,
    args?: { sampleWeight?: TensorStruct },
  ): Promise<Logs>;
  predictOnBatch(x: TensorStruct): tf.Tensor | tf.Tensor[];
  resetMetrics(): void;
  /** One training step (override to customise; fit keeps callbacks, progress bar and metrics). */
  trainStep(data: StepData): StepLogs;
  /** One evaluation step. */
  testStep(data: StepData): StepLogs;
  /** One prediction step. */
  predictStep(data: StepData): tf.Tensor | tf.Tensor[];
  /** The total loss: compiled losses (weighted) plus the model's own losses (regularisation). */
  computeLoss(args: ComputeLossArgs): tf.Scalar;
  /** Updates the compiled metrics and returns every metric's result. */
  computeMetrics(
    x: tf.Tensor | tf.Tensor[],
    y: tf.Tensor | tf.Tensor[] | null | undefined,
    yPred: tf.Tensor | tf.Tensor[],
    sampleWeight?: tf.Tensor | tf.Tensor[] | null,
  ): StepLogs;
  /** Every metric's current result, by log name. */
  getMetricsResult(): StepLogs;
}

declare module '../engine/model.js' {
  interface Model extends TrainingMethods {}
}

interface TrainingState {
  optimizer: Optimizer | null;
  /** compile made the optimizer (from a name or config), so the model's dispose frees it. */
  ownsOptimizer: boolean;
  loss: CompiledLoss;
  metrics: CompiledMetrics;
  lossTracker: Mean;
}

const states = new WeakMap<Model, TrainingState>();
const optimizers = new WeakMap<Model, Optimizer | null>();

function who(model: Model): string {
  return `${model.className} '${model.name}'`;
}

function stateOf(model: Model, method: string): TrainingState {
  const st = states.get(model);
  if (!st) {
    throw new RuntimeError(
      `${who(model)}: ${method}() needs a compiled model. Fix: call model.compile({ optimizer, loss, metrics }) first.`,
    );
  }
  return st;
}

const asList = (t: tf.Tensor | tf.Tensor[] | null | undefined): tf.Tensor[] | null =>
  t == null ? null : Array.isArray(t) ? t : [t];
const unlist = (ts: tf.Tensor[]): tf.Tensor | tf.Tensor[] => (ts.length === 1 ? ts[0]! : ts);

function outputNamesOf(model: Model, count: number): string[] {
  const names = model.outputNames;
  if (names.length === count) return names;
  return count === 1 ? ['output'] : Array.from({ length: count }, (_, i) => `output_${i + 1}`);
}

function names(model: Model): { inputs: string[]; outputs: string[] } {
  return { inputs: model.inputNames, outputs: model.outputNames };
}

/** Reads step logs with one device sync. */
function syncLogs(logs: StepLogs): Logs {
  const entries = Object.entries(logs);
  const tensors = entries.filter(([, v]) => v instanceof tf.Tensor) as [string, tf.Tensor][];
  const out: Logs = {};
  let values: Float32Array | Int32Array | Uint8Array | undefined;
  if (tensors.length > 0) {
    // One device read for every log: scalars packed into one vector, read, then freed.
    const packed = tf.tidy(() =>
      tf.concat(tensors.map(([, t]) => tf.reshape(tf.cast(t, 'float32'), [-1]))),
    );
    values = packed.dataSync() as Float32Array;
    packed.dispose();
  }
  let k = 0;
  let offset = 0;
  for (const [key, v] of entries) {
    if (v instanceof tf.Tensor) {
      out[key] = values![offset]!;
      offset += tensors[k]![1].size;
      k++;
    } else {
      out[key] = v;
    }
  }
  return out;
}

function disposeLogs(logs: StepLogs): void {
  // A custom step may return a metric's own state variable: never dispose a variable.
  for (const v of Object.values(logs))
    if (v instanceof tf.Tensor && !(v instanceof tf.Variable)) v.dispose();
}

function classWeightsToSampleWeight(
  y: tf.Tensor,
  classWeight: Record<number, number>,
  model: Model,
): tf.Tensor {
  const keys = Object.keys(classWeight).map(Number);
  const maxClass = Math.max(...keys);
  const table: number[] = [];
  for (let c = 0; c <= maxClass; c++) {
    const w = classWeight[c];
    if (w === undefined) {
      throw new ValueError(
        `${who(model)}: classWeight must give a weight for every class from 0 to ${maxClass}; class ${c} is missing. Received keys [${keys.join(', ')}].`,
      );
    }
    table.push(w);
  }
  return tf.tidy(() => {
    const labels =
      y.rank > 1 && y.shape[y.rank - 1]! > 1
        ? tf.argMax(y, -1)
        : tf.cast(tf.reshape(y, [y.shape[0]!]), 'int32');
    return tf.gather(tf.tensor1d(table), tf.reshape(labels, [-1]));
  });
}

/** A source of batches for one pass: arrays (sliced) or a dataset (iterated). */
interface Epoch {
  steps: number | null;
  /** The next batch and the tensors to dispose after its step, or null at the end. */
  next(): Promise<{ batch: Batch; owned: tf.Tensor[] } | null>;
  /** Ends the epoch (a pass left unfinished carries on into the next epoch with stepsPerEpoch). */
  close(): Promise<void>;
}

/**
 * Says, once per fit / evaluate, that the data ended before `stepsPerEpoch` steps (as Keras
 * warns): the epoch ends early and the next epoch starts a fresh pass.
 */
function ranOutWarning(
  label: string,
  steps: number,
  stepsPerEpoch: number,
  validation = false,
): string {
  const argName = validation ? 'validationSteps' : 'stepsPerEpoch';
  return `${label}: the data ran out after ${steps} of ${argName}=${stepsPerEpoch} steps, so this epoch ends early and the next one starts a fresh pass (as Keras does). Fix: make the number of batches a multiple of ${argName}, repeat() the dataset, or leave ${argName} unset.`;
}

/**
 * Epochs over in-memory arrays. Without `stepsPerEpoch` every epoch is one full pass (reshuffled).
 * With it, as Keras's EpochIterator: the pass carries on across epochs (epoch 2 starts at the batch
 * after the last one of epoch 1), an epoch that reaches the end of the pass stops there, and the
 * next epoch starts a fresh (reshuffled) pass. With `restart` (validation) every pass starts at the
 * first batch whatever `stepsPerEpoch` says, as Keras's evaluate resets its iterator each time.
 */
class ArrayEpochs {
  #order: Int32Array | null = null;
  /** The next batch of the open pass, or -1 when no pass is open. */
  #position = -1;
  #warned = false;
  constructor(
    readonly adapter: ArrayAdapter,
    readonly stepsPerEpoch: number | undefined,
    readonly label: string,
    readonly restart = false,
  ) {}
  get steps(): number {
    return Math.min(this.adapter.steps, this.stepsPerEpoch ?? Number.POSITIVE_INFINITY);
  }
  epoch(): Epoch {
    const adapter = this.adapter;
    const total = adapter.steps;
    const limit = this.stepsPerEpoch ?? total;
    if (this.stepsPerEpoch === undefined || this.#position < 0 || this.restart) {
      this.#order = adapter.epochOrder();
      this.#position = 0;
    }
    const order = this.#order;
    const user = new Set([...adapter.x, ...(adapter.y ?? []), ...(adapter.sampleWeight ?? [])]);
    let step = 0;
    return {
      steps: this.steps,
      next: async () => {
        if (step >= limit) return null;
        if (this.#position >= total) {
          if (!this.#warned) {
            this.#warned = true;
            console.warn(ranOutWarning(this.label, step, limit, this.restart));
          }
          return null;
        }
        const at = this.#position;
        const [x, y, sw] = tf.tidy(() => {
          const b = adapter.batch(at, order);
          return [b.x, b.y ?? [], b.sampleWeight ?? []] as [tf.Tensor[], tf.Tensor[], tf.Tensor[]];
        });
        this.#position++;
        step++;
        return {
          batch: { x, y: y.length ? y : null, sampleWeight: sw.length ? sw : null },
          owned: [...x, ...y, ...sw].filter((t) => !user.has(t)),
        };
      },
      close: async () => {
        if (this.#position >= total) this.#position = -1;
      },
    };
  }
  async finish(): Promise<void> {
    this.#position = -1;
  }
}

/**
 * Epochs over a dataset (any iterable or async iterable). Without `stepsPerEpoch` each epoch
 * iterates it afresh. With it the iterator carries on across epochs, as in Keras: an epoch that
 * reaches the end of the data stops there and the next epoch starts a new iteration. (A pass of
 * unknown length that ends exactly at an epoch boundary restarts at once, rather than running an
 * empty epoch.) With `restart` (validation) every pass iterates the dataset afresh, as Keras's
 * evaluate resets its iterator each time; only a one-shot iterator (a generator object, which is
 * its own iterator) is left open so that the next pass carries on, since it cannot start again.
 */
class DatasetEpochs {
  private iterator: AsyncIterator<unknown> | Iterator<unknown> | null = null;
  /** Batches drawn from the current iterator. */
  private seen = 0;
  /** Batches in one pass, once a pass has been seen to end. */
  private passLength: number | null = null;
  private warned = false;
  constructor(
    readonly source: BatchSource,
    readonly model: Model,
    readonly stepsPerEpoch: number | undefined,
    readonly method: string,
    readonly restart = false,
  ) {}
  get steps(): number | null {
    return this.stepsPerEpoch ?? null;
  }
  private fresh(): AsyncIterator<unknown> | Iterator<unknown> {
    const s = this.source as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
    this.seen = 0;
    return s[Symbol.asyncIterator] ? s[Symbol.asyncIterator]!() : s[Symbol.iterator]!();
  }
  private ranOut(step: number): void {
    if (this.stepsPerEpoch === undefined || this.warned) return;
    this.warned = true;
    console.warn(
      ranOutWarning(`${who(this.model)}: ${this.method}`, step, this.stepsPerEpoch, this.restart),
    );
  }
  epoch(): Epoch {
    const carry = this.stepsPerEpoch !== undefined && !this.restart;
    if (!carry || this.iterator === null) this.iterator = this.fresh();
    const limit = this.stepsPerEpoch ?? Number.POSITIVE_INFINITY;
    let step = 0;
    return {
      steps: this.steps,
      next: async () => {
        if (step >= limit || this.iterator === null) return null;
        if (this.passLength !== null && this.seen >= this.passLength) {
          this.ranOut(step);
          await this.finish();
          return null;
        }
        let result = await this.iterator.next();
        if (result.done && carry && step === 0 && this.seen > 0) {
          this.passLength = this.seen;
          this.iterator = this.fresh();
          result = await this.iterator.next();
        }
        if (result.done) {
          if (carry) this.passLength ??= this.seen;
          this.ranOut(step);
          this.iterator = null;
          return null;
        }
        this.seen++;
        step++;
        const batch = unpackElement(
          result.value,
          names(this.model),
          `${who(this.model)}: ${this.method}`,
        );
        return { batch, owned: [...batch.x, ...(batch.y ?? []), ...(batch.sampleWeight ?? [])] };
      },
      close: async () => {
        // With stepsPerEpoch an unfinished pass goes on in the next epoch; otherwise each has its own.
        const passDone = this.passLength !== null && this.seen >= this.passLength;
        if (carry && !passDone) return;
        // A one-shot iterator cannot be iterated afresh: keep it open for the next pass.
        if (this.restart && (this.iterator as unknown) === this.source) return;
        await this.finish();
      },
    };
  }
  /** Returns an iterator left open (its stages free what they hold). */
  async finish(): Promise<void> {
    const iterator = this.iterator;
    this.iterator = null;
    await iterator?.return?.();
  }
}

function stepData(batch: Batch): StepData {
  return [
    unlist(batch.x),
    batch.y ? unlist(batch.y) : null,
    batch.sampleWeight ? unlist(batch.sampleWeight) : null,
  ];
}

/** Whether a callback reads the logs of a batch hook (so fit must read them from the device). */
function readsBatchLogs(cb: Callback, hook: 'onTrainBatchEnd' | 'onTestBatchEnd'): boolean {
  // These run batch hooks but never read their logs.
  if (cb instanceof ProgbarLogger || cb instanceof History || cb instanceof BackupAndRestore)
    return false;
  if (cb instanceof LambdaCallback) return cb.hooks[hook] !== undefined;
  return (
    (cb as unknown as Record<string, unknown>)[hook] !==
    (Callback.prototype as unknown as Record<string, unknown>)[hook]
  );
}

function resolveVerbose(verbose: Verbose | undefined, fallback: 0 | 1 | 2): 0 | 1 | 2 {
  if (verbose === undefined) return fallback;
  return verbose === 'auto' ? 1 : verbose;
}

function buildCallbacks(
  model: Model,
  user: Callback[],
  verbose: 0 | 1 | 2,
  params: { epochs?: number; steps?: number | null },
  history?: History,
): CallbackList {
  const list: Callback[] = [];
  if (verbose !== 0 && !user.some((c) => c instanceof ProgbarLogger))
    list.push(new ProgbarLogger());
  list.push(...user);
  if (history) list.push(history);
  return new CallbackList(list, { model, params: { ...params, verbose } });
}

/** When per-batch logs must be read: every batch for custom batch hooks, else throttled for a live bar. */
function batchLogPolicy(
  callbacks: Callback[],
  verbose: 0 | 1 | 2,
  hook: 'onTrainBatchEnd' | 'onTestBatchEnd',
): (step: number, last: boolean) => boolean {
  const custom = callbacks.some((c) => readsBatchLogs(c, hook));
  if (custom) return () => true;
  // A live bar (verbose 1 on a terminal) shows running metrics: read them at most 4 times a second.
  const live =
    verbose === 1 && callbacks.some((c) => c instanceof ProgbarLogger && c.stream.isTTY === true);
  if (!live) return () => false;
  let lastSync = 0;
  return (step, last) => {
    const now = Date.now();
    // Step 0 of every epoch too: the throttle spans epochs, and a short epoch would show no metrics.
    if (step === 0 || last || now - lastSync >= 250) {
      lastSync = now;
      return true;
    }
    return false;
  };
}

/** Calls the model on real tensors (one input or a list). */
function run(model: Model, x: tf.Tensor | tf.Tensor[], training: boolean): tf.Tensor | tf.Tensor[] {
  return model.apply(x as tf.Tensor[], { training }) as tf.Tensor | tf.Tensor[];
}

const methods = {
  compile(this: Model, args: CompileArgs = {}): void {
    const { optimizer = 'rmsprop', loss, lossWeights, metrics, weightedMetrics } = args;
    const previous = states.get(this);
    if (previous) disposeTrainingState(previous, false);
    this.optimizer = getOptimizer(optimizer);
    states.set(this, {
      optimizer: this.optimizer,
      ownsOptimizer: this.optimizer !== optimizer,
      loss: new CompiledLoss(loss, lossWeights),
      metrics: new CompiledMetrics(metrics, weightedMetrics),
      lossTracker: new Mean({ name: 'loss' }),
    });
  },

  computeLoss(this: Model, { y, yPred, sampleWeight }: ComputeLossArgs): tf.Scalar {
    const st = stateOf(this, 'computeLoss');
    const preds = asList(yPred)!;
    st.loss.build(outputNamesOf(this, preds.length));
    const targets = asList(y) ?? [];
    const batchSize = preds[0]!.shape[0] ?? 1;
    let total: tf.Scalar | null = st.loss.call(
      targets,
      preds,
      asList(sampleWeight),
      batchSize,
      preds.map(getMask),
    );
    for (const extra of this.losses) total = total ? (tf.add(total, extra) as tf.Scalar) : extra;
    if (total === null) {
      throw new ValueError(
        `${who(this)}: there is no loss to minimise: compile() got no loss and the model adds none. Fix: model.compile({ loss: 'sparseCategoricalCrossentropy', ... }).`,
      );
    }
    return total;
  },

  computeMetrics(
    this: Model,
    _x: tf.Tensor | tf.Tensor[],
    y: tf.Tensor | tf.Tensor[] | null | undefined,
    yPred: tf.Tensor | tf.Tensor[],
    sampleWeight?: tf.Tensor | tf.Tensor[] | null,
  ): StepLogs {
    const st = stateOf(this, 'computeMetrics');
    const preds = asList(yPred)!;
    const targets = asList(y);
    if (targets) {
      const outputNames = outputNamesOf(this, preds.length);
      st.loss.build(outputNames);
      st.metrics.build(outputNames, targets, preds, st.loss.losses);
      st.metrics.update(targets, preds, asList(sampleWeight), preds.map(getMask));
    }
    return this.getMetricsResult();
  },

  getMetricsResult(this: Model): StepLogs {
    const st = stateOf(this, 'getMetricsResult');
    const out: Record<string, tf.Tensor> = { loss: st.lossTracker.result() };
    for (const tracker of st.loss.trackers) if (tracker) out[tracker.name] = tracker.result();
    st.metrics.results(out);
    return out;
  },

  trainStep(this: Model, data: StepData): StepLogs {
    const [x, y, sampleWeight] = data;
    const st = stateOf(this, 'trainStep');
    const optimizer = this.optimizer;
    if (!optimizer)
      throw new RuntimeError(
        `${who(this)}: trainStep needs an optimizer. Fix: compile({ optimizer: 'adam', ... }).`,
      );
    let yPred: tf.Tensor | tf.Tensor[] | undefined;
    const batchSize = (Array.isArray(x) ? x[0]! : x).shape[0] ?? 1;
    // Build on the real shapes first so trainableWeights exists.
    if (!this.built) tf.tidy(() => void run(this, x, false));
    const variables = this.trainableWeights;
    const { value, grads } = valueAndGrads(() => {
      const out = run(this, x, true);
      yPred = out;
      for (const o of asList(out)!) {
        tf.keep(o);
        const m = getMask(o);
        if (m) tf.keep(m);
      }
      const loss = this.computeLoss({ x, y, yPred: out, sampleWeight, training: true });
      st.lossTracker.updateState(loss, tf.scalar(batchSize));
      return optimizer.scaleLoss(loss);
    }, variables);
    optimizer.applyGradients(grads, variables);
    tf.dispose([value, ...grads]);
    const logs = this.computeMetrics(x, y, yPred!, sampleWeight);
    for (const o of asList(yPred)!) {
      const m = getMask(o);
      if (m) m.dispose();
      o.dispose();
    }
    return logs;
  },

  testStep(this: Model, data: StepData): StepLogs {
    const [x, y, sampleWeight] = data;
    const st = stateOf(this, 'testStep');
    const yPred = run(this, x, false);
    const loss = this.computeLoss({ x, y, yPred, sampleWeight, training: false });
    st.lossTracker.updateState(loss, tf.scalar((Array.isArray(x) ? x[0]! : x).shape[0] ?? 1));
    return this.computeMetrics(x, y, yPred, sampleWeight);
  },

  predictStep(this: Model, data: StepData): tf.Tensor | tf.Tensor[] {
    return run(this, data[0], false);
  },

  resetMetrics(this: Model): void {
    const st = states.get(this);
    if (!st) return;
    st.lossTracker.resetState();
    for (const t of st.loss.trackers) t?.resetState();
    for (const m of st.metrics.metrics) m.resetState();
  },

  async fit(
    this: Model,
    x: TensorStruct | BatchSource,
    yOrArgs?: TensorStruct | null | FitArgs,
    maybeArgs?: FitArgs,
  ): Promise<History> {
    stateOf(this, 'fit');
    const fromDataset = isBatchSource(x);
    const args: FitArgs = (fromDataset ? (yOrArgs as FitArgs | undefined) : maybeArgs) ?? {};
    const y = fromDataset ? null : (yOrArgs as TensorStruct | null | undefined);
    const {
      batchSize = 32,
      epochs = 1,
      callbacks = [],
      validationSplit = 0,
      shuffle = true,
      classWeight,
      sampleWeight,
      initialEpoch = 0,
      stepsPerEpoch,
      validationSteps,
      validationFreq = 1,
    } = args;
    const verbose = resolveVerbose(args.verbose, 1);
    const method = `${who(this)}: fit`;
    const cleanup: tf.Tensor[] = [];
    let train: ArrayEpochs | DatasetEpochs | undefined;
    let validation: ArrayEpochs | DatasetEpochs | null = null;
    const validationBatchSize = args.validationBatchSize ?? batchSize;
    try {
      if (fromDataset) {
        if (validationSplit)
          throw new ValueError(
            `${method}: validationSplit is not supported for datasets. Fix: pass validationData.`,
          );
        train = new DatasetEpochs(x, this, stepsPerEpoch, 'fit');
      } else {
        const n = names(this);
        let xs = toList(x as TensorStruct, n.inputs, 'x', method)!;
        let ys = toList(y, n.outputs, 'y', method);
        let sws = toList(sampleWeight ?? null, n.outputs, 'sampleWeight', method);
        if (classWeight) {
          if (sws)
            throw new ValueError(`${method}: pass either classWeight or sampleWeight, not both.`);
          if (ys?.length !== 1)
            throw new ValueError(
              `${method}: classWeight needs a single-output model with targets y.`,
            );
        }
        if (validationSplit) {
          if (!(validationSplit > 0 && validationSplit < 1)) {
            throw new ValueError(
              `${method}: validationSplit must be in (0, 1), received ${validationSplit}.`,
            );
          }
          const all = [...xs, ...(ys ?? []), ...(sws ?? [])];
          const [head, tail] = splitTail(all, validationSplit);
          cleanup.push(...head, ...tail);
          const cut = (list: tf.Tensor[], from: number, count: number) =>
            list.slice(from, from + count);
          const nx = xs.length;
          const ny = ys?.length ?? 0;
          const nsw = sws?.length ?? 0;
          validation = new ArrayEpochs(
            new ArrayAdapter(
              cut(tail, 0, nx),
              ys ? cut(tail, nx, ny) : null,
              sws ? cut(tail, nx + ny, nsw) : null,
              validationBatchSize,
              false,
              method,
            ),
            validationSteps,
            `${method} (validation)`,
            true,
          );
          xs = cut(head, 0, nx);
          ys = ys ? cut(head, nx, ny) : null;
          sws = sws ? cut(head, nx + ny, nsw) : null;
        }
        // As Keras: class weights become sample weights of the training samples only (after the
        // split), so validation metrics stay unweighted.
        if (classWeight) {
          sws = [classWeightsToSampleWeight(ys![0]!, classWeight, this)];
          cleanup.push(...sws);
        }
        train = new ArrayEpochs(
          new ArrayAdapter(xs, ys, sws, batchSize, shuffle, method),
          stepsPerEpoch,
          method,
        );
      }
      const vd = args.validationData;
      if (vd !== undefined && validation === null) {
        if (isBatchSource(vd)) {
          validation = new DatasetEpochs(vd, this, validationSteps, 'fit (validation)', true);
        } else {
          const [vx, vy, vsw] = vd as [TensorStruct, TensorStruct, TensorStruct?];
          const n = names(this);
          validation = new ArrayEpochs(
            new ArrayAdapter(
              toList(vx, n.inputs, 'validationData x', method)!,
              toList(vy, n.outputs, 'validationData y', method),
              toList(vsw ?? null, n.outputs, 'validationData sampleWeight', method),
              validationBatchSize,
              false,
              method,
            ),
            validationSteps,
            `${method} (validation)`,
            true,
          );
        }
      }

      const history = new History();
      const cbs = buildCallbacks(this, callbacks, verbose, { epochs, steps: train.steps }, history);
      const needLogs = batchLogPolicy(cbs.callbacks, verbose, 'onTrainBatchEnd');
      const validateAt = (epoch: number) =>
        Array.isArray(validationFreq)
          ? validationFreq.includes(epoch + 1)
          : (epoch + 1) % validationFreq === 0;
      this.stopTraining = false;
      this.initialEpoch = undefined;
      await cbs.onTrainBegin();
      let epoch = Math.max(initialEpoch, this.initialEpoch ?? 0);
      let epochLogs: Logs = {};
      for (; epoch < epochs; epoch++) {
        this.resetMetrics();
        await cbs.onEpochBegin(epoch);
        epochLogs = await runPass(this, train.epoch(), (data) => this.trainStep(data), needLogs, {
          begin: (step) => cbs.onTrainBatchBegin(step),
          end: (step, logs) => cbs.onTrainBatchEnd(step, logs),
          stop: () => this.stopTraining,
        });
        if (validation && validateAt(epoch)) {
          const valLogs = await runTest(this, validation, cbs, false);
          for (const [k, v] of Object.entries(valLogs)) epochLogs[`val_${k}`] = v;
        }
        await cbs.onEpochEnd(epoch, epochLogs);
        if (this.stopTraining) break;
      }
      if (this.optimizer?.useEma) this.optimizer.finalizeVariableValues(this.trainableWeights);
      await cbs.onTrainEnd(epochLogs);
      return history;
    } finally {
      await train?.finish();
      await validation?.finish();
      tf.dispose(cleanup);
    }
  },

  async evaluate(
    this: Model,
    x: TensorStruct | BatchSource,
    yOrArgs?: TensorStruct | null | EvaluateArgs,
    maybeArgs?: EvaluateArgs,
  ): Promise<number | number[] | Record<string, number>> {
    stateOf(this, 'evaluate');
    const fromDataset = isBatchSource(x);
    const args: EvaluateArgs =
      (fromDataset ? (yOrArgs as EvaluateArgs | undefined) : maybeArgs) ?? {};
    const { batchSize = 32, sampleWeight, steps, callbacks = [], returnDict = false } = args;
    const verbose = resolveVerbose(args.verbose, 1);
    const method = `${who(this)}: evaluate`;
    let source: ArrayEpochs | DatasetEpochs;
    if (fromDataset) {
      source = new DatasetEpochs(x, this, steps, 'evaluate');
    } else {
      const n = names(this);
      source = new ArrayEpochs(
        new ArrayAdapter(
          toList(x as TensorStruct, n.inputs, 'x', method)!,
          toList(yOrArgs as TensorStruct | null | undefined, n.outputs, 'y', method),
          toList(sampleWeight ?? null, n.outputs, 'sampleWeight', method),
          batchSize,
          false,
          method,
        ),
        steps,
        method,
      );
    }
    const cbs = buildCallbacks(this, callbacks, verbose, {
      epochs: 1,
      steps: source.steps,
    });
    let logs: Logs;
    try {
      logs = await runTest(this, source, cbs, true);
    } finally {
      await source.finish();
    }
    if (returnDict) return logs;
    const keys = Object.keys(logs);
    return keys.length === 1 ? logs[keys[0]!]! : keys.map((k) => logs[k]!);
  },

  async predict(
    this: Model,
    x: TensorStruct | BatchSource,
    args: PredictArgs = {},
  ): Promise<tf.Tensor | tf.Tensor[]> {
    const { batchSize = 32, steps, callbacks = [] } = args;
    const verbose = resolveVerbose(args.verbose, 1);
    const method = `${who(this)}: predict`;
    const source = isBatchSource(x)
      ? new DatasetEpochs(x, this, steps, 'predict')
      : new ArrayEpochs(
          new ArrayAdapter(
            toList(x, names(this).inputs, 'x', method)!,
            null,
            null,
            batchSize,
            false,
            method,
          ),
          steps,
          method,
        );
    const cbs = buildCallbacks(this, callbacks, verbose, { epochs: 1, steps: source.steps });
    const parts: tf.Tensor[][] = [];
    await cbs.onPredictBegin();
    const pass = source.epoch();
    try {
      for (let step = 0; ; step++) {
        const item = await pass.next();
        if (!item) break;
        await cbs.onPredictBatchBegin(step);
        const out = tf.tidy(() => asList(this.predictStep(stepData(item.batch)))!);
        tf.dispose(item.owned);
        parts.push(out);
        await cbs.onPredictBatchEnd(step, { outputs: unlist(out) });
      }
      await cbs.onPredictEnd();
      if (parts.length === 0) throw new ValueError(`${method}: the input produced no batches.`);
      const outputs = parts[0]!.map((_, i) =>
        parts.length === 1
          ? parts[0]![i]!
          : tf.concat(
              parts.map((p) => p[i]!),
              0,
            ),
      );
      return unlist(outputs);
    } finally {
      if (parts.length > 1) tf.dispose(parts.flat());
      await pass.close();
      await source.finish();
    }
  },

  async trainOnBatch(
    this: Model,
    x: TensorStruct,
    y?: TensorStruct | null,
    args: { sampleWeight?: TensorStruct; classWeight?: Record<number, number> } = {},
  ): Promise<Logs> {
    stateOf(this, 'trainOnBatch');
    const method = `${who(this)}: trainOnBatch`;
    const n = names(this);
    const xs = toList(x, n.inputs, 'x', method)!;
    const ys = toList(y, n.outputs, 'y', method);
    const cleanup: tf.Tensor[] = [];
    let sws = toList(args.sampleWeight ?? null, n.outputs, 'sampleWeight', method);
    if (args.classWeight && ys) {
      sws = [classWeightsToSampleWeight(ys[0]!, args.classWeight, this)];
      cleanup.push(...sws);
    }
    this.resetMetrics();
    const logs = tf.tidy(() => this.trainStep(stepData({ x: xs, y: ys, sampleWeight: sws })));
    tf.dispose(cleanup);
    const out = syncLogs(logs);
    disposeLogs(logs);
    return out;
  },

  async testOnBatch(
    this: Model,
    x: TensorStruct,
    y?: TensorStruct | null,
    args: { sampleWeight?: TensorStruct } = {},
  ): Promise<Logs> {
    stateOf(this, 'testOnBatch');
    const method = `${who(this)}: testOnBatch`;
    const n = names(this);
    this.resetMetrics();
    const logs = tf.tidy(() =>
      this.testStep(
        stepData({
          x: toList(x, n.inputs, 'x', method)!,
          y: toList(y, n.outputs, 'y', method),
          sampleWeight: toList(args.sampleWeight ?? null, n.outputs, 'sampleWeight', method),
        }),
      ),
    );
    const out = syncLogs(logs);
    disposeLogs(logs);
    return out;
  },

  predictOnBatch(this: Model, x: TensorStruct): tf.Tensor | tf.Tensor[] {
    const xs = toList(x, names(this).inputs, 'x', `${who(this)}: predictOnBatch`)!;
    return tf.tidy(() => this.predictStep([unlist(xs)]));
  },
};

/**
 * One pass of steps, each in one `tf.tidy`. Batch logs are read from the device only when
 * `needLogs` says so. The pass's logs are those of its last step, read once at the end (as Keras:
 * extra keys a custom trainStep returns reach the epoch logs); an empty pass reports the metrics.
 */
async function runPass(
  model: Model,
  pass: Epoch,
  step: (data: StepData) => StepLogs,
  needLogs: (step: number, last: boolean) => boolean,
  hooks: {
    begin(step: number): Promise<void>;
    end(step: number, logs: Logs): Promise<void>;
    stop(): boolean;
  },
): Promise<Logs> {
  let logs: Logs = {};
  let last: StepLogs | null = null;
  let lastRead = false;
  try {
    for (let i = 0; ; i++) {
      const item = await pass.next();
      if (!item) break;
      await hooks.begin(i);
      const stepLogs = tf.tidy(() => step(stepData(item.batch)));
      tf.dispose(item.owned);
      if (last) disposeLogs(last);
      last = stepLogs;
      lastRead = needLogs(i, pass.steps !== null && i === pass.steps - 1);
      if (lastRead) logs = syncLogs(stepLogs);
      await hooks.end(i, logs);
      if (hooks.stop()) break;
    }
    if (last) return lastRead ? logs : syncLogs(last);
    const results = tf.tidy(() => model.getMetricsResult());
    try {
      return syncLogs(results);
    } finally {
      disposeLogs(results);
    }
  } finally {
    if (last) disposeLogs(last);
    await pass.close();
  }
}

async function runTest(
  model: Model,
  source: ArrayEpochs | DatasetEpochs,
  cbs: CallbackList,
  resetAfter: boolean,
): Promise<Logs> {
  model.resetMetrics();
  const needLogs = batchLogPolicy(cbs.callbacks, 0, 'onTestBatchEnd');
  await cbs.onTestBegin();
  const logs = await runPass(model, source.epoch(), (data) => model.testStep(data), needLogs, {
    begin: (step) => cbs.onTestBatchBegin(step),
    end: (step, stepLogs) => cbs.onTestBatchEnd(step, stepLogs),
    stop: () => false,
  });
  await cbs.onTestEnd(logs);
  if (resetAfter) model.resetMetrics();
  return logs;
}

/** Frees what compile created: the loss and metric trackers, and the optimizer when it made it. */
function disposeTrainingState(st: TrainingState, withOptimizer: boolean): void {
  st.lossTracker.dispose();
  for (const t of st.loss.trackers) t?.dispose();
  for (const m of st.metrics.metrics) m.dispose();
  if (withOptimizer && st.ownsOptimizer) st.optimizer?.dispose();
}

const disposeLayers = Model.prototype.dispose;
Object.defineProperty(Model.prototype, 'dispose', {
  /**
   * Frees the weights and, when compiled, the metrics' state and an optimizer that compile
   * created from a name or config (an optimizer instance you passed stays yours to dispose, as it
   * may be shared).
   */
  value: function dispose(this: Model): void {
    disposeLayers.call(this);
    const st = states.get(this);
    if (!st) return;
    disposeTrainingState(st, true);
    states.delete(this);
    optimizers.delete(this);
  },
  writable: true,
  configurable: true,
  enumerable: false,
});

for (const [key, fn] of Object.entries(methods)) {
  Object.defineProperty(Model.prototype, key, {
    value: fn,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

Object.defineProperties(Model.prototype, {
  optimizer: {
    get(this: Model) {
      return optimizers.get(this) ?? null;
    },
    set(this: Model, value: Optimizer | null) {
      optimizers.set(this, value);
      const st = states.get(this);
      if (st) st.optimizer = value;
    },
    configurable: true,
  },
  compiled: {
    get(this: Model) {
      return states.has(this);
    },
    configurable: true,
  },
  metrics: {
    get(this: Model): Metric[] {
      const st = states.get(this);
      if (!st) return [];
      return [
        st.lossTracker,
        ...(st.loss.trackers.filter((t) => t !== null) as Metric[]),
        ...st.metrics.metrics,
      ];
    },
    configurable: true,
  },
  metricsNames: {
    get(this: Model): string[] {
      const st = states.get(this);
      if (!st) return [];
      const out = [
        'loss',
        ...(st.loss.trackers.filter((t) => t !== null) as Metric[]).map((t) => t.name),
      ];
      for (const m of st.metrics.perOutput.flat()) out.push(m.logName);
      return out;
    },
    configurable: true,
  },
});
