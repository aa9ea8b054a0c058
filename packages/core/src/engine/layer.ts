import '../backend/tfjs-side-effects.js';
import * as tf from '@tensorflow/tfjs-core';
import { NotImplementedError, ValueError } from '../errors/errors.js';
import * as initializers from '../initializers/index.js';
import * as constraintsModule from '../constraints/index.js';
import type { Initializer } from '../initializers/initializer.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import * as regularizersModule from '../regularizers/index.js';
import { type Config, type ConfigValue, serializeKerasObject } from '../saving/registry.js';
import { assertInputCompatibility, type InputSpec, type Shape } from './input-spec.js';
import { isKerasTensor, KerasTensor } from './keras-tensor.js';
import { LayerVariable } from './layer-variable.js';
import { getMask, type Mask, setMask } from './mask.js';
import { weightPath, withNameScope } from './name-scope.js';
import { formatShape, snakeToCamel, toSnakeCase, uniqueName } from './naming.js';
import { Node, type NodeCallArgs } from './node.js';
import { findTracked } from './tracking.js';

export type { Shape } from './input-spec.js';

/** A Keras 3 dtype policy dict, as `.keras` configs write the `dtype` of a layer. */
export interface DTypePolicyDict {
  module?: string | null;
  class_name: string;
  config: { name: string };
  registered_name?: string | null;
}

/** Arguments every layer accepts. */
export interface LayerArgs {
  /** Unique name; generated from the class name when absent (`dense`, `dense_1`, ...). */
  name?: string;
  /** Whether the layer's weights are updated by training. @default true */
  trainable?: boolean;
  /** Variable and compute dtype (a dtype name or a Keras DTypePolicy dict). @default 'float32' */
  dtype?: tf.DataType | DTypePolicyDict;
  /** Input shape without the batch dimension; lets `Sequential` create its input from the first layer. */
  inputShape?: Shape;
  /** Fixed batch size used with `inputShape`. */
  batchSize?: number;
  /** Full input shape including the batch dimension (alternative to `inputShape` + `batchSize`). */
  batchInputShape?: Shape;
  /** Regularizer of the layer's outputs; its value is added to `layer.losses` on each call. */
  activityRegularizer?: regularizersModule.RegularizerIdentifier | null;
}

/** Arguments of `call`: the training flag and the input mask(s). */
export interface CallArgs {
  /** True while training (dropout, batch statistics). @default false */
  training?: boolean;
  /** Input mask (one per input for list inputs); true = keep. */
  mask?: Mask | Mask[];
}

/**
 * Arguments of `apply`: `CallArgs` plus any extra keyword the layer's `call` reads. On symbolic
 * inputs, masks and extra arguments may be KerasTensors (they become graph inputs).
 */
export type ApplyArgs = {
  training?: boolean;
  mask?: Mask | Mask[] | KerasTensor | (KerasTensor | null)[];
  [key: string]: unknown;
};

/** Arguments of `layer.addWeight`. */
export interface AddWeightArgs {
  /** Short name, `'kernel'`. */
  name: string;
  shape: number[];
  /** @default the layer's dtype */
  dtype?: tf.DataType;
  /** @default 'glorot_uniform' for floats, 'zeros' otherwise */
  initializer?: initializers.InitializerIdentifier;
  regularizer?: regularizersModule.RegularizerIdentifier | null;
  constraint?: constraintsModule.ConstraintIdentifier | null;
  /** @default true */
  trainable?: boolean;
}

/** The class side of a layer, as registries and `fromConfig` see it. */
export interface LayerClass<T extends Layer = Layer> {
  new (args: never): T;
  readonly className: string;
  fromConfig(config: Config): T;
}

/** Tensors as accepted/returned by `apply`: one or a list, symbolic or real. */
type AnyTensor = tf.Tensor | KerasTensor;

/** Nesting depth of eager `apply` calls: losses are reset at depth 0 (the outermost call). */
let callDepth = 0;

/** The Keras class name of a layer class (its static `className`, or its JS name for user classes). */
export function classNameOf(ctor: { className?: string; name: string }): string {
  return Object.hasOwn(ctor, 'className') && ctor.className ? ctor.className : ctor.name;
}

/** Parses a dtype name or a Keras DTypePolicy dict to a tfjs dtype. */
export function parseDtype(
  dtype: tf.DataType | DTypePolicyDict | string | undefined,
  who: string,
): tf.DataType {
  if (dtype === undefined || dtype === null) return 'float32';
  const name = typeof dtype === 'string' ? dtype : dtype.config?.name;
  const supported = ['float32', 'int32', 'bool', 'complex64', 'string'];
  if (name && supported.includes(name)) return name as tf.DataType;
  if (
    name === 'int64' ||
    name === 'uint8' ||
    name === 'int8' ||
    name === 'int16' ||
    name === 'uint16'
  )
    return 'int32';
  throw new NotImplementedError(
    `${who}: dtype ${JSON.stringify(name ?? dtype)} is not supported by the TensorFlow.js engines. Expected one of ${supported
      .map((s) => `'${s}'`)
      .join(', ')} (mixed precision policies are not available).`,
  );
}

function toList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/**
 * The base of every layer: weights, build-on-first-call, symbolic and eager `apply`, masks,
 * losses, config serialization.
 *
 * Subclasses implement `call` (and usually `build`, `computeOutputShape`, `getConfig`). Sublayers
 * assigned to properties (also inside arrays and plain objects) are tracked automatically.
 *
 * @example
 * ```ts
 * class Scale extends Layer {
 *   static override readonly className = 'Scale';
 *   scale!: LayerVariable;
 *   override build(inputShape: Shape) {
 *     this.scale = this.addWeight({ name: 'scale', shape: [inputShape.at(-1) as number], initializer: 'ones' });
 *   }
 *   override call(x: tf.Tensor) { return tf.mul(x, this.scale.read()); }
 * }
 * ```
 */
export abstract class Layer {
  /** Keras class name (`'Dense'`), used in configs and for auto names. */
  static readonly className: string = 'Layer';

  readonly name: string;
  /** Compute and variable dtype. */
  readonly dtype: tf.DataType;
  built = false;
  /** Whether the layer passes (or computes) masks; see `computeMask`. */
  supportsMasking = false;
  inputSpec?: InputSpec | InputSpec[];
  /** Input shape including the batch dimension, when given at construction (`inputShape`). */
  readonly batchInputShape?: Shape;
  readonly activityRegularizer?: Regularizer;
  /** Symbolic calls of this layer, in call order. */
  readonly inboundNodes: Node[] = [];

  #trainable: boolean;
  #ownTrainable: LayerVariable[] = [];
  #ownNonTrainable: LayerVariable[] = [];
  #callLosses: tf.Scalar[] = [];
  #lossFns: (() => tf.Scalar)[] = [];
  #buildInputShape?: Shape | Shape[];

  constructor({
    name,
    trainable = true,
    dtype,
    inputShape,
    batchSize,
    batchInputShape,
    activityRegularizer,
  }: LayerArgs = {}) {
    const className = classNameOf(new.target);
    this.name = name ?? uniqueName(toSnakeCase(className));
    this.#trainable = trainable;
    this.dtype = parseDtype(dtype, `${className} '${this.name}'`);
    if (batchInputShape) this.batchInputShape = [...batchInputShape];
    else if (inputShape) this.batchInputShape = [batchSize ?? null, ...inputShape];
    if (activityRegularizer) this.activityRegularizer = regularizersModule.get(activityRegularizer);
  }

  /** `Dense 'dense_1'`: how messages name this layer. */
  get who(): string {
    return `${this.className} '${this.name}'`;
  }

  /** The Keras class name of this instance. */
  get className(): string {
    return classNameOf(this.constructor as unknown as { className?: string; name: string });
  }

  /** Whether training updates this layer; setting it freezes/unfreezes every nested layer and variable. */
  get trainable(): boolean {
    return this.#trainable;
  }
  set trainable(value: boolean) {
    this.#trainable = value;
    for (const v of this.#ownTrainable) v.trainable = value;
    for (const layer of this.sublayers) layer.trainable = value;
  }

  /** Directly owned sublayers (tracked properties), in definition order. */
  get sublayers(): Layer[] {
    return findTracked(this, (x): x is Layer => x instanceof Layer);
  }

  /** Every layer nested under this one (depth first), excluding itself. */
  flattenLayers(): Layer[] {
    const out: Layer[] = [];
    const visit = (layer: Layer) => {
      for (const sub of layer.sublayers) {
        if (out.includes(sub)) continue;
        out.push(sub);
        visit(sub);
      }
    };
    visit(this);
    return out;
  }

  // ---- weights -------------------------------------------------------------------------------

  /** Creates a weight owned by this layer (call it from `build`). */
  addWeight({
    name,
    shape,
    dtype = this.dtype,
    initializer,
    regularizer,
    constraint,
    trainable = true,
  }: AddWeightArgs): LayerVariable {
    const init: Initializer = initializers.get(
      initializer ?? (dtype === 'float32' ? 'glorot_uniform' : 'zeros'),
    );
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new ValueError(
          `${this.who}: weight '${name}' needs a fully known shape, received shape ${formatShape(shape)}.`,
        );
      }
    }
    const args: ConstructorParameters<typeof LayerVariable>[0] = {
      initialValue: tf.tidy(() => init.call(shape, dtype)),
      name,
      path: weightPath(this, name),
      trainable: trainable && this.#trainable,
    };
    if (regularizer) args.regularizer = regularizersModule.get(regularizer);
    if (constraint) args.constraint = constraintsModule.get(constraint);
    const variable = new LayerVariable(args);
    (trainable ? this.#ownTrainable : this.#ownNonTrainable).push(variable);
    return variable;
  }

  /** All weights: own trainable, own non-trainable, then each sublayer's (Keras 3 order). */
  get weights(): LayerVariable[] {
    const out: LayerVariable[] = [...this.#ownTrainable, ...this.#ownNonTrainable];
    for (const layer of this.sublayers)
      for (const w of layer.weights) if (!out.includes(w)) out.push(w);
    return out;
  }

  /** Weights updated by training (none when the layer is frozen). */
  get trainableWeights(): LayerVariable[] {
    if (!this.trainable) return [];
    return this.weights.filter((w) => w.trainable);
  }

  /** Weights not updated by training. */
  get nonTrainableWeights(): LayerVariable[] {
    if (!this.trainable) return this.weights;
    return this.weights.filter((w) => !w.trainable);
  }

  /** Copies of the weight values, in `weights` order (the caller owns and disposes them). */
  getWeights(): tf.Tensor[] {
    return this.weights.map((w) => tf.clone(w.read()));
  }

  /** Assigns weight values in `weights` order (shapes must match; the caller keeps `values`). */
  setWeights(values: tf.Tensor[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new ValueError(
        `${this.who}: setWeights expected ${weights.length} arrays (${weights.map((w) => w.path).join(', ')}), received ${values.length}.`,
      );
    }
    weights.forEach((w, i) => {
      const v = values[i] as tf.Tensor;
      if (!tf.util.arraysEqual(v.shape, w.shape)) {
        throw new ValueError(
          `${this.who}: weight ${i} ('${w.path}') expected shape ${formatShape(w.shape)}, received shape ${formatShape(v.shape)}.`,
        );
      }
    });
    weights.forEach((w, i) => {
      w.assign(values[i] as tf.Tensor);
    });
  }

  /** Number of scalars in all weights. Throws if the layer is not built. */
  countParams(): number {
    if (!this.built) {
      throw new ValueError(
        `${this.who}: countParams needs the weights, but the layer is not built. Fix: call it on data, or call build(inputShape) first.`,
      );
    }
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  // ---- losses --------------------------------------------------------------------------------

  /** Adds a loss (a scalar from the current call, or a function evaluated when `losses` is read). */
  addLoss(loss: tf.Scalar | (() => tf.Scalar)): void {
    if (typeof loss === 'function') this.#lossFns.push(loss);
    else this.#callLosses.push(tf.keep(loss));
  }

  /**
   * Losses to add to the training objective: activity/`addLoss` losses of the last outermost call,
   * loss functions, and weight-regularization penalties of trainable weights, for this layer and
   * every nested one. Penalties are computed on each read (new tensors; read it inside `tf.tidy`).
   */
  get losses(): tf.Scalar[] {
    const out: tf.Scalar[] = [...this.#callLosses];
    for (const fn of this.#lossFns) out.push(fn());
    for (const w of this.#ownTrainable) {
      if (w.regularizer && w.trainable && this.trainable) out.push(w.regularizer.call(w.read()));
    }
    for (const layer of this.sublayers) out.push(...layer.losses);
    return out;
  }

  /** Disposes the losses recorded by the previous call (done automatically at each outermost call). */
  clearCallLosses(): void {
    tf.dispose(this.#callLosses);
    this.#callLosses = [];
    for (const layer of this.sublayers) layer.clearCallLosses();
  }

  // ---- build / call --------------------------------------------------------------------------

  /** Creates the weights for `inputShape` (override; the default creates none). */
  build(_inputShape: Shape | Shape[]): void {}

  /** Builds once; `apply` calls it with the first input shape(s). */
  maybeBuild(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    withNameScope(this, () => this.build(inputShape));
    this.built = true;
    this.#buildInputShape = inputShape;
  }

  /** The computation (override). Receives real tensors; return new tensors (or the input). */
  call(_inputs: tf.Tensor | tf.Tensor[], _args: CallArgs): tf.Tensor | tf.Tensor[] {
    throw new NotImplementedError(
      `${this.who}: call() is not implemented. Fix: override call(inputs, args) in ${this.className}.`,
    );
  }

  /**
   * Output shape(s) for input shape(s). The default probes `call` on zeros (null dimensions tried
   * at two sizes); override it when the layer is costly or the probe cannot run.
   */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const inputs = isShapeList(inputShape)
      ? inputShape.map((s) => new KerasTensor(s, this.dtype))
      : new KerasTensor(inputShape, this.dtype);
    const spec = this.probe(inputs, {});
    return spec.isList
      ? spec.outputs.map((o) => o.shape)
      : (spec.outputs[0] as { shape: Shape }).shape;
  }

  /** The output mask: the input mask when `supportsMasking`, else null (override to compute one). */
  computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask | Mask[] {
    if (!this.supportsMasking || mask === undefined) return null;
    return mask;
  }

  /**
   * Calls the layer. On KerasTensors: builds from their shapes, infers output shapes and records a
   * graph node (no compute). On tensors: builds from the real shapes, checks `inputSpec`, runs
   * `call` (intermediates disposed) and attaches the output mask (`getMask(output)`).
   */
  apply(inputs: KerasTensor, args?: ApplyArgs): KerasTensor;
  apply(inputs: KerasTensor[], args?: ApplyArgs): KerasTensor | KerasTensor[];
  apply(inputs: tf.Tensor, args?: ApplyArgs): tf.Tensor;
  apply(inputs: tf.Tensor[], args?: ApplyArgs): tf.Tensor | tf.Tensor[];
  apply(inputs: AnyTensor | AnyTensor[], args?: ApplyArgs): AnyTensor | AnyTensor[];
  apply(inputs: AnyTensor | AnyTensor[], args: ApplyArgs = {}): AnyTensor | AnyTensor[] {
    const flat = toList(inputs);
    if (flat.length === 0)
      throw new ValueError(
        `${this.who}: apply() needs at least one input, received an empty list.`,
      );
    const symbolic = flat.filter(isKerasTensor).length;
    if (symbolic > 0 && symbolic !== flat.length) {
      throw new ValueError(
        `${this.who}: inputs mix KerasTensors and real tensors; pass all symbolic or all real.`,
      );
    }
    // The call runs in this layer's name scope, so sublayers built lazily inside it get
    // `this/sublayer/...` weight paths, as in Keras.
    if (symbolic > 0)
      return withNameScope(this, () =>
        this.applySymbolic(inputs as KerasTensor | KerasTensor[], args),
      );
    for (const t of flat) {
      if (!(t instanceof tf.Tensor)) {
        throw new ValueError(
          `${this.who}: apply() expected tf.Tensor or KerasTensor inputs, received ${String(t)}.`,
        );
      }
    }
    return withNameScope(this, () => this.applyEager(inputs as tf.Tensor | tf.Tensor[], args));
  }

  private applyEager(inputs: tf.Tensor | tf.Tensor[], args: ApplyArgs): tf.Tensor | tf.Tensor[] {
    const flat = toList(inputs);
    if (callDepth === 0) this.clearCallLosses();
    let mask = args.mask as Mask | Mask[] | undefined;
    if (mask === undefined) {
      const masks = flat.map(getMask);
      if (masks.some((m) => m !== null)) mask = Array.isArray(inputs) ? masks : (masks[0] as Mask);
    }
    const shapes = flat.map((t) => t.shape as Shape);
    // Checked before building (Keras's order: a wrong rank is reported as such, not as a build
    // failure) and again after, against the spec the build may have narrowed.
    if (!this.built) assertInputCompatibility(this.who, this.inputSpec, flat);
    this.maybeBuild(Array.isArray(inputs) ? shapes : (shapes[0] as Shape));
    assertInputCompatibility(this.who, this.inputSpec, flat);
    const callArgs: ApplyArgs = { ...args, training: args.training ?? false };
    if (mask !== undefined) callArgs.mask = mask;
    else delete callArgs.mask;

    let isList = false;
    let outputCount = 0;
    let maskSlots: boolean[] = [];
    callDepth += 1;
    let kept: tf.Tensor[];
    try {
      kept = tf.tidy(() => {
        const out = this.call(inputs, callArgs as CallArgs);
        isList = Array.isArray(out);
        const outs = toList(out);
        outputCount = outs.length;
        let masks: Mask[] = outs.map(getMask);
        if (this.supportsMasking && !masks.every((m) => m !== null)) {
          const computed = this.computeMask(inputs, mask);
          const list = Array.isArray(computed) ? computed : [computed];
          masks = outs.map((o, i) => getMask(o) ?? list[i] ?? null);
        }
        if (this.activityRegularizer) {
          for (const o of outs)
            if (o.dtype === 'float32') this.addLoss(this.activityRegularizer.call(o));
        }
        // Each output owns its own mask (disposed with it): a mask shared with an input or another
        // output is cloned (same data). An input returned as it is keeps the mask it has.
        masks = masks.map((m, i) => {
          const o = outs[i] as tf.Tensor;
          return m === null || (flat.includes(o) && getMask(o) === m) ? null : tf.clone(m);
        });
        maskSlots = masks.map((m) => m !== null);
        return [...outs, ...(masks.filter((m) => m !== null) as tf.Tensor[])];
      });
    } finally {
      callDepth -= 1;
    }
    const outs = kept.slice(0, outputCount);
    let next = outputCount;
    outs.forEach((o, i) => {
      if (maskSlots[i]) {
        const previous = getMask(o);
        setMask(o, kept[next++] as tf.Tensor);
        if (previous && !flat.includes(o)) previous.dispose();
      }
    });
    return isList ? outs : (outs[0] as tf.Tensor);
  }

  private applySymbolic(
    inputs: KerasTensor | KerasTensor[],
    args: ApplyArgs,
  ): KerasTensor | KerasTensor[] {
    const flat = toList(inputs);
    const shapes = flat.map((t) => t.shape);
    if (!this.built) assertInputCompatibility(this.who, this.inputSpec, flat);
    this.maybeBuild(Array.isArray(inputs) ? shapes : (shapes[0] as Shape));
    assertInputCompatibility(this.who, this.inputSpec, flat);
    let symbolicMask = args.mask as KerasTensor | (KerasTensor | null)[] | null | undefined;
    if (symbolicMask === undefined) {
      const masks = flat.map((t) => t.mask ?? null);
      if (masks.some((m) => m !== null)) symbolicMask = Array.isArray(inputs) ? masks : masks[0];
    }
    const probeArgs: ApplyArgs = { ...args };
    if (symbolicMask !== undefined) probeArgs.mask = symbolicMask;
    const spec = this.computeOutputSpec(inputs, probeArgs);
    const outputs = spec.outputs.map((o) => new KerasTensor(o.shape, o.dtype));
    if (this.supportsMasking) {
      const outMasks = this.computeMaskSymbolic(inputs, symbolicMask ?? null, outputs.length);
      outputs.forEach((o, i) => {
        o.mask = outMasks[i] ?? null;
      });
    }
    new Node(this, inputs, outputs, spec.isList, { ...args } as NodeCallArgs);
    return spec.isList ? outputs : (outputs[0] as KerasTensor);
  }

  /**
   * Output shapes and dtypes of a symbolic call. Uses `computeOutputShape` when the layer overrides
   * it (dtype: the layer's dtype), otherwise probes `call` on zeros.
   */
  protected computeOutputSpec(
    inputs: KerasTensor | KerasTensor[],
    args: ApplyArgs,
  ): { outputs: { shape: Shape; dtype: tf.DataType }[]; isList: boolean } {
    if (this.computeOutputShape !== Layer.prototype.computeOutputShape) {
      const inputShape = Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape;
      const shape = this.computeOutputShape(inputShape);
      if (isShapeList(shape))
        return { outputs: shape.map((s) => ({ shape: s, dtype: this.dtype })), isList: true };
      return { outputs: [{ shape, dtype: this.dtype }], isList: false };
    }
    return this.probe(inputs, args);
  }

  /** Runs `fn` on zeros standing in for `inputs` (null dims at `size`), disposing everything. */
  private concrete(inputs: KerasTensor | KerasTensor[], size: number): tf.Tensor | tf.Tensor[] {
    const make = (t: KerasTensor) =>
      tf.zeros(
        t.shape.map((d) => d ?? size),
        t.dtype,
      );
    return Array.isArray(inputs) ? inputs.map(make) : make(inputs);
  }

  private concreteArgs(args: ApplyArgs, size: number): CallArgs {
    const out: Record<string, unknown> = { ...args, training: args.training ?? false };
    for (const [key, value] of Object.entries(args)) {
      if (isKerasTensor(value))
        out[key] = tf.ones(
          value.shape.map((d) => d ?? size),
          value.dtype,
        );
      else if (Array.isArray(value) && value.some(isKerasTensor)) {
        out[key] = value.map((v) =>
          isKerasTensor(v)
            ? tf.ones(
                v.shape.map((d) => d ?? size),
                v.dtype,
              )
            : v,
        );
      }
    }
    return out as CallArgs;
  }

  /** Shape inference by running `call` on zeros, with null dimensions at two sizes. */
  protected probe(
    inputs: KerasTensor | KerasTensor[],
    args: ApplyArgs,
  ): { outputs: { shape: Shape; dtype: tf.DataType }[]; isList: boolean } {
    const flat = toList(inputs);
    const hasNull =
      flat.some((t) => t.shape.includes(null)) ||
      Object.values(args).some((v) => isKerasTensor(v) && v.shape.includes(null));
    const sizes = hasNull ? [2, 3] : [2];
    let isList = false;
    const runs = sizes.map((size) => {
      let result: { shape: number[]; dtype: tf.DataType }[] = [];
      tf.tidy(() => {
        callDepth += 1;
        try {
          const out = this.call(this.concrete(inputs, size), this.concreteArgs(args, size));
          isList = Array.isArray(out);
          result = toList(out).map((o) => ({ shape: o.shape, dtype: o.dtype }));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new ValueError(
            `${this.who}: could not infer the output shape for input shape ${formatShape(
              Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape,
            )} (running call() on zeros failed: ${reason}). Fix: check the input shape, or override computeOutputShape in ${this.className}.`,
            { cause: error },
          );
        } finally {
          callDepth -= 1;
          this.clearCallLosses();
        }
      });
      return result;
    });
    const [first, second] = runs as [
      { shape: number[]; dtype: tf.DataType }[],
      ({ shape: number[]; dtype: tf.DataType }[] | undefined)?,
    ];
    const outputs = first.map((o, i) => ({
      shape: o.shape.map((d, axis) => (second && second[i]?.shape[axis] !== d ? null : d)) as Shape,
      dtype: o.dtype,
    }));
    return { outputs, isList };
  }

  /** Symbolic output masks: a probe of `computeMask` when overridden, else the input mask passed through. */
  private computeMaskSymbolic(
    inputs: KerasTensor | KerasTensor[],
    mask: KerasTensor | (KerasTensor | null)[] | null,
    outputCount: number,
  ): (KerasTensor | null)[] {
    if (this.computeMask === Layer.prototype.computeMask) {
      if (mask === null || Array.isArray(mask))
        return Array.from({ length: outputCount }, () => null);
      return Array.from({ length: outputCount }, () => mask);
    }
    const flat = toList(inputs);
    const hasNull = flat.some((t) => t.shape.includes(null));
    const sizes = hasNull ? [2, 3] : [2];
    const runs = sizes.map((size) => {
      let result: ({ shape: number[]; dtype: tf.DataType } | null)[] = [];
      tf.tidy(() => {
        const concreteMask = (m: KerasTensor | null) =>
          m
            ? tf.ones(
                m.shape.map((d) => d ?? size),
                'bool',
              )
            : null;
        const masks =
          mask === null
            ? undefined
            : Array.isArray(mask)
              ? mask.map(concreteMask)
              : concreteMask(mask);
        const out = this.computeMask(this.concrete(inputs, size), masks);
        result = toList(out).map((m) => (m ? { shape: m.shape, dtype: m.dtype } : null));
      });
      return result;
    });
    const [first, second] = runs;
    return (first ?? []).map((m, i) => {
      if (!m) return null;
      const other = second?.[i];
      return new KerasTensor(
        m.shape.map((d, axis) => (other && other.shape[axis] !== d ? null : d)),
        m.dtype,
      );
    });
  }

  // ---- config --------------------------------------------------------------------------------

  /**
   * Names of the shapes when `build` takes several separate inputs, as Keras's Python `build`
   * arguments (`['query_shape', 'value_shape', 'key_shape']` for attention). Keras writes such a
   * layer's `build_config` as `{ shapes_dict: { query_shape, value_shape } }` and calls
   * `build(**shapes_dict)` on load; a layer that takes one (possibly list) shape returns null.
   */
  protected buildShapeNames(): readonly string[] | null {
    return null;
  }

  /**
   * True for classes whose Keras counterpart has no `build()` of its own (pooling, dropout,
   * activation, reshape layers...): Keras writes no `build_config` for them, and neither does
   * Cornu. Cornu's class may still override `build`; this only describes the saved file.
   */
  static readonly builtAtConstruction: boolean = false;

  /** The input shape(s) the layer was built with (Keras's `build_config`). */
  getBuildConfig(): Config | undefined {
    if (!this.built || this.#buildInputShape === undefined) return undefined;
    // Keras marks a layer whose class has no build() of its own as built at construction and
    // writes no build_config for it (classes say so with `builtAtConstruction`); unless such a
    // layer made weights, which loading needs the shape to create before they are read.
    if ((this.constructor as typeof Layer).builtAtConstruction && this.weights.length === 0)
      return undefined;
    const names = this.buildShapeNames();
    const shape = this.#buildInputShape;
    if (names && isShapeList(shape)) {
      if (shape.length === 1) return { input_shape: shape[0] as ConfigValue };
      if (shape.length > names.length)
        throw new ValueError(
          `${this.who}: built with ${shape.length} input shapes, but its build takes at most ${names.length} (${names.join(', ')}).`,
        );
      return {
        shapes_dict: Object.fromEntries(shape.map((s, i) => [names[i], s])) as Config,
      };
    }
    return { input_shape: shape as ConfigValue };
  }

  /**
   * Builds from a `build_config` (`{ input_shape }`, or `{ shapes_dict }` for layers whose build
   * takes named shapes), running `call` on zeros when `build` creates nothing itself.
   */
  buildFromConfig(config: Config): void {
    let shape = config.input_shape as Shape | Shape[] | null | undefined;
    const shapesDict = config.shapes_dict as Record<string, Shape | null> | undefined;
    if (!shape && shapesDict && typeof shapesDict === 'object') {
      const names = this.buildShapeNames() ?? Object.keys(shapesDict);
      const unknown = Object.keys(shapesDict).filter((k) => !names.includes(k));
      if (unknown.length > 0)
        throw new ValueError(
          `${this.who}: build_config.shapes_dict has ${JSON.stringify(unknown)}; expected names among ${JSON.stringify(names)}.`,
        );
      const list: Shape[] = [];
      for (const name of names) {
        const s = shapesDict[name];
        if (s === undefined || s === null) break;
        list.push(s);
      }
      shape = list.length === 1 ? list[0] : list;
    }
    if (!shape || this.built) return;
    if (this.build !== Layer.prototype.build) {
      this.maybeBuild(shape);
      return;
    }
    this.maybeBuild(shape);
    const inputs = isShapeList(shape)
      ? shape.map((s) => new KerasTensor(s, this.dtype))
      : new KerasTensor(shape, this.dtype);
    this.probe(inputs, {});
  }

  /** Keras config (snake_case keys): `{ name, trainable, dtype }` plus the subclass's arguments. */
  getConfig(): Config {
    const config: Config = {
      name: this.name,
      trainable: this.trainable,
      dtype: {
        module: 'keras',
        class_name: 'DTypePolicy',
        config: { name: this.dtype },
        registered_name: null,
      },
    };
    if (this.activityRegularizer)
      config.activity_regularizer = serializeKerasObject(this.activityRegularizer) as ConfigValue;
    return config;
  }

  /**
   * Rebuilds a layer from its Keras config: keys are camelCased and passed to the constructor
   * (nested Keras dicts - initializers, regularizers, constraints - are resolved by the constructor).
   */
  static fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    return new this(configToArgs(config) as never);
  }

  /** Frees every weight (and those of nested layers) and recorded losses. */
  dispose(): void {
    this.clearCallLosses();
    for (const w of [...this.#ownTrainable, ...this.#ownNonTrainable]) w.dispose();
    for (const layer of this.sublayers) layer.dispose();
  }

  toString(): string {
    return `<${this.className} name=${this.name}, built=${this.built}>`;
  }
}

/** camelCases the top-level keys of a Keras layer config (`use_bias` -> `useBias`); null values are dropped. */
export function configToArgs(config: Config): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null) continue;
    args[snakeToCamel(key)] = value;
  }
  return args;
}

/** Serialises an optional initializer/regularizer/constraint to its Keras dict, or null. */
export function serializeOptional(obj: { getConfig(): Config } | undefined | null): ConfigValue {
  return obj ? (serializeKerasObject(obj) as ConfigValue) : null;
}
