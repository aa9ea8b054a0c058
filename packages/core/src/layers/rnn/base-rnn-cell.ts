import * as tf from '@tensorflow/tfjs-core';
import { nextSeed } from '../../utils/random.js';
import * as activations from '../../activations/index.js';
import * as constraints from '../../constraints/index.js';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { formatShape } from '../../engine/naming.js';
import { ValueError } from '../../errors/errors.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import type { Config, ConfigValue } from '../../saving/registry.js';

type Activation = (x: tf.Tensor) => tf.Tensor;

/** Arguments shared by SimpleRNNCell, LSTMCell and GRUCell (and the layers built on them). */
export interface RecurrentCellArgs extends LayerArgs {
  /** Dimensionality of the output space (and of each state). */
  units: number;
  /** Activation of the candidate/output. @default 'tanh' */
  activation?: activations.ActivationIdentifier | null;
  /** Bias vector(s) added to the projections. @default true */
  useBias?: boolean;
  /** Initializer of `kernel` (input projection). @default 'glorot_uniform' */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** Initializer of `recurrent_kernel`. @default 'orthogonal' */
  recurrentInitializer?: initializers.InitializerIdentifier;
  /** Initializer of `bias`. @default 'zeros' */
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  recurrentRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  kernelConstraint?: constraints.ConstraintIdentifier | null;
  recurrentConstraint?: constraints.ConstraintIdentifier | null;
  biasConstraint?: constraints.ConstraintIdentifier | null;
  /** Fraction of the input units dropped in training (one mask per sequence). @default 0 */
  dropout?: number;
  /** Fraction of the recurrent state units dropped in training (one mask per sequence). @default 0 */
  recurrentDropout?: number;
  /** Seed of the dropout masks. @default null */
  seed?: number | null;
}

/** Resolves an optional regularizer/constraint identifier. */
function resolve<T, I>(get: (identifier: I) => T, identifier: I | null | undefined): T | undefined {
  return identifier === null || identifier === undefined ? undefined : get(identifier);
}

/**
 * Shared base of the recurrent cells. A cell processes one timestep: `call([x, ...states])`
 * returns `[output, ...newStates]`. The RNN layer drives it more efficiently: `prepareSequence`
 * projects every step's input at once (one matMul for `x·W + b`), then `step` runs per timestep
 * with only the recurrent product left.
 */
export abstract class BaseRNNCell extends Layer {
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly recurrentInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer?: regularizers.Regularizer;
  readonly recurrentRegularizer?: regularizers.Regularizer;
  readonly biasRegularizer?: regularizers.Regularizer;
  readonly kernelConstraint?: constraints.Constraint;
  readonly recurrentConstraint?: constraints.Constraint;
  readonly biasConstraint?: constraints.Constraint;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  kernel?: LayerVariable;
  recurrentKernel?: LayerVariable;
  bias?: LayerVariable;
  /** Per-sequence dropout masks (created by `prepareSequence` in training, cleared by `endSequence`). */
  protected inputDropoutMask: tf.Tensor | null = null;
  protected recurrentDropoutMask: tf.Tensor | null = null;
  private dropoutSeedOffset = 0;

  /** Number of gate blocks in the kernels: 1 (SimpleRNN), 3 (GRU), 4 (LSTM). */
  protected abstract readonly gateCount: number;
  /** Sizes of the states, `[units]` or `[units, units]`. */
  abstract get stateSize(): number[];

  constructor(args: RecurrentCellArgs) {
    const {
      units,
      activation = 'tanh',
      useBias = true,
      kernelInitializer = 'glorot_uniform',
      recurrentInitializer = 'orthogonal',
      biasInitializer = 'zeros',
      kernelRegularizer = null,
      recurrentRegularizer = null,
      biasRegularizer = null,
      kernelConstraint = null,
      recurrentConstraint = null,
      biasConstraint = null,
      dropout = 0,
      recurrentDropout = 0,
      seed = null,
      ...layerArgs
    } = args;
    super(layerArgs);
    const className = `${(new.target as unknown as { className: string }).className} '${this.name}'`;
    if (!Number.isInteger(units) || units <= 0) {
      throw new ValueError(
        `${className}: expected units to be a positive integer, received units=${units}.`,
      );
    }
    for (const [key, rate] of [
      ['dropout', dropout],
      ['recurrentDropout', recurrentDropout],
    ] as const) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new ValueError(`${className}: expected ${key} in [0, 1], received ${key}=${rate}.`);
      }
    }
    this.units = units;
    this.activation = activations.get(activation ?? 'linear');
    this.useBias = useBias;
    this.kernelInitializer = initializers.get(kernelInitializer);
    this.recurrentInitializer = initializers.get(recurrentInitializer);
    this.biasInitializer = initializers.get(biasInitializer);
    const kr = resolve(regularizers.get, kernelRegularizer);
    if (kr) this.kernelRegularizer = kr;
    const rr = resolve(regularizers.get, recurrentRegularizer);
    if (rr) this.recurrentRegularizer = rr;
    const br = resolve(regularizers.get, biasRegularizer);
    if (br) this.biasRegularizer = br;
    const kc = resolve(constraints.get, kernelConstraint);
    if (kc) this.kernelConstraint = kc;
    const rc = resolve(constraints.get, recurrentConstraint);
    if (rc) this.recurrentConstraint = rc;
    const bc = resolve(constraints.get, biasConstraint);
    if (bc) this.biasConstraint = bc;
    this.dropout = dropout;
    this.recurrentDropout = recurrentDropout;
    this.seed = seed;
  }

  /** Size of the output at each step. */
  get outputSize(): number {
    return this.units;
  }

  /** Shape of the bias weight (GRU with reset_after uses `[2, 3 * units]`). */
  protected biasShape(): number[] {
    return [this.gateCount * this.units];
  }

  /** Initializer of the bias (LSTM's unit_forget_bias overrides it). */
  protected biasInitializerForBuild(): initializers.Initializer {
    return this.biasInitializer;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const inputDim = shape.at(-1);
    if (typeof inputDim !== 'number') {
      throw new ValueError(
        `${this.who}: the last input dimension must be known, received shape ${formatShape(shape)}.`,
      );
    }
    const width = this.gateCount * this.units;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, width],
      initializer: this.kernelInitializer,
      ...(this.kernelRegularizer ? { regularizer: this.kernelRegularizer } : {}),
      ...(this.kernelConstraint ? { constraint: this.kernelConstraint } : {}),
    });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [this.units, width],
      initializer: this.recurrentInitializer,
      ...(this.recurrentRegularizer ? { regularizer: this.recurrentRegularizer } : {}),
      ...(this.recurrentConstraint ? { constraint: this.recurrentConstraint } : {}),
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: this.biasShape(),
        initializer: this.biasInitializerForBuild(),
        ...(this.biasRegularizer ? { regularizer: this.biasRegularizer } : {}),
        ...(this.biasConstraint ? { constraint: this.biasConstraint } : {}),
      });
    }
    this.inputSpec = new InputSpec({ minNdim: 2, axes: { [-1]: inputDim } });
    this.built = true;
  }

  /** The bias added to `x·W` (all of `bias`, or its input row for GRU reset_after). */
  protected inputBias(): tf.Tensor | null {
    return this.bias ? this.bias.read() : null;
  }

  private nextSeed(): number {
    // Without a seed, Cornu's global stream (reproducible under utils.setRandomSeed).
    if (this.seed === null) return nextSeed();
    this.dropoutSeedOffset += 1;
    return this.seed + this.dropoutSeedOffset;
  }

  /**
   * Starts a sequence: creates the per-sequence dropout masks in training (Keras draws one mask
   * per call and reuses it at every step). `endSequence` forgets them.
   */
  beginSequence(batch: number, features: number, training = false): void {
    if (training && this.dropout > 0 && this.dropout < 1) {
      this.inputDropoutMask = tf.dropout(
        tf.ones([batch, features]),
        this.dropout,
        undefined,
        this.nextSeed(),
      );
    }
    if (training && this.recurrentDropout > 0 && this.recurrentDropout < 1) {
      this.recurrentDropoutMask = tf.dropout(
        tf.ones(this.recurrentMaskShape(batch)),
        this.recurrentDropout,
        undefined,
        this.nextSeed(),
      );
    }
  }

  /** Shape of the recurrent dropout mask (the shape of the state `h`). */
  protected recurrentMaskShape(batch: number): number[] {
    return [batch, this.units];
  }

  /**
   * Projects inputs `[batch, features]` or `[batch, time, features]` to `gates * units`
   * (`x·W + b`, input dropout applied when a sequence is running in training).
   */
  projectInputs(x: tf.Tensor): tf.Tensor {
    const features = x.shape.at(-1) as number;
    let input = x;
    if (this.inputDropoutMask) {
      input = tf.mul(
        input,
        x.rank === 3 ? tf.expandDims(this.inputDropoutMask, 1) : this.inputDropoutMask,
      );
    }
    const kernel = (this.kernel as LayerVariable).read();
    let projected = tf.matMul(tf.reshape(input, [-1, features]), kernel);
    const bias = this.inputBias();
    if (bias) projected = tf.add(projected, bias);
    return tf.reshape(projected, [...x.shape.slice(0, -1), kernel.shape[1] as number]);
  }

  /**
   * Projects the whole input sequence `[batch, time, features]` at once (one matMul) after
   * `beginSequence`; `step` then gets one time slice of the result.
   */
  prepareSequence(sequences: tf.Tensor, training = false): tf.Tensor {
    this.beginSequence(sequences.shape[0] as number, sequences.shape.at(-1) as number, training);
    return this.projectInputs(sequences);
  }

  /** Forgets the per-sequence dropout masks (they belong to the caller's tidy scope). */
  endSequence(): void {
    this.inputDropoutMask = null;
    this.recurrentDropoutMask = null;
  }

  /** The previous output as seen by the recurrent product (recurrent dropout applied). */
  protected recurrentInput(h: tf.Tensor): tf.Tensor {
    return this.recurrentDropoutMask ? tf.mul(h, this.recurrentDropoutMask) : h;
  }

  /** One timestep on a prepared input slice `[batch, gates * units]`. */
  abstract step(prepared: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]];

  /** Zero states for a batch (`stepShape` is the shape of one step's input without the batch). */
  getInitialState(batchSize: number, _stepShape?: number[]): tf.Tensor[] {
    return this.stateSize.map((size) => tf.zeros([batchSize, size]));
  }

  /** Keras cell call: `[x, ...states]` (x is `[batch, features]`) -> `[output, ...newStates]`. */
  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor[] {
    const [x, ...states] = Array.isArray(inputs) ? inputs : [inputs];
    if (!x) throw new ValueError(`${this.who}: expected [input, ...states], received no input.`);
    const initial = states.length > 0 ? states : this.getInitialState(x.shape[0] as number);
    this.beginSequence(x.shape[0] as number, x.shape.at(-1) as number, args.training ?? false);
    const [output, next] = this.step(this.projectInputs(x), initial);
    this.endSequence();
    return [output, ...next];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const batch = shape[0] ?? null;
    return [[batch, this.outputSize], ...this.stateSize.map((size): Shape => [batch, size])];
  }

  /** The cell keys of a Keras recurrent config, in Keras's order, without the layer base keys. */
  cellConfig(): Config {
    const opt = <T>(value: T | undefined, serialize: (v: T) => ConfigValue): ConfigValue =>
      value === undefined ? null : serialize(value);
    return {
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer) as unknown as ConfigValue,
      recurrent_initializer: initializers.serialize(
        this.recurrentInitializer,
      ) as unknown as ConfigValue,
      bias_initializer: initializers.serialize(this.biasInitializer) as unknown as ConfigValue,
      kernel_regularizer: opt(
        this.kernelRegularizer,
        (r) => regularizers.serialize(r) as unknown as ConfigValue,
      ),
      recurrent_regularizer: opt(
        this.recurrentRegularizer,
        (r) => regularizers.serialize(r) as unknown as ConfigValue,
      ),
      bias_regularizer: opt(
        this.biasRegularizer,
        (r) => regularizers.serialize(r) as unknown as ConfigValue,
      ),
      kernel_constraint: opt(
        this.kernelConstraint,
        (c) => constraints.serialize(c) as unknown as ConfigValue,
      ),
      recurrent_constraint: opt(
        this.recurrentConstraint,
        (c) => constraints.serialize(c) as unknown as ConfigValue,
      ),
      bias_constraint: opt(
        this.biasConstraint,
        (c) => constraints.serialize(c) as unknown as ConfigValue,
      ),
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
      seed: this.seed,
    };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), ...this.cellConfig() };
  }
}
