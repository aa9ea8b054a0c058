import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { formatShape } from '../../engine/naming.js';
import { ValueError } from '../../errors/errors.js';
import {
  type Config,
  type ConfigValue,
  deserializeKerasObject,
  type KerasObjectDict,
  registerKerasClass,
  serializeKerasObject,
} from '../../saving/registry.js';
import { BaseRNNCell } from './base-rnn-cell.js';
import { recurrentLoop } from './recurrent-loop.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';

/** A cell an RNN can drive: one of Cornu's cells, or a stack of them. */
export type RecurrentCell = BaseRNNCell | StackedRNNCells;

/** Arguments shared by RNN, SimpleRNN, LSTM, GRU and ConvLSTM. */
export interface RNNBaseArgs extends LayerArgs {
  /** Return the output of every step (`[batch, time, units]`) rather than the last one. @default false */
  returnSequences?: boolean;
  /** Also return the last states: `[output, ...states]`. @default false */
  returnState?: boolean;
  /** Process the sequence from the end; the returned sequence is in that reversed order. @default false */
  goBackwards?: boolean;
  /** Keep the last states of each batch as the initial states of the next (`resetStates` clears them). @default false */
  stateful?: boolean;
  /** Accepted for Keras compatibility; the loop is always eager. @default false */
  unroll?: boolean;
  /** Masked steps of the returned sequence are zeros instead of the carried output. @default false */
  zeroOutputForMask?: boolean;
}

/** Arguments of the generic `RNN` layer. */
export interface RNNArgs extends RNNBaseArgs {
  /** The cell (or a list of cells, stacked with `StackedRNNCells`). */
  cell: RecurrentCell | BaseRNNCell[] | KerasObjectDict;
}

/** Call arguments of recurrent layers. */
export interface RNNCallArgs extends CallArgs {
  /** Initial states (one tensor per state); zeros (or the stored states when stateful) otherwise. */
  initialState?: tf.Tensor | tf.Tensor[];
}

const RNN_KEYS = [
  'returnSequences',
  'returnState',
  'goBackwards',
  'stateful',
  'unroll',
  'zeroOutputForMask',
  'name',
  'trainable',
  'dtype',
  'inputShape',
  'batchSize',
  'batchInputShape',
  'activityRegularizer',
] as const;

/**
 * Splits the arguments of a cell-specific layer (LSTM, GRU, ...) into the RNN layer's own
 * arguments and the cell's (the cell also gets `dtype` and `trainable`).
 */
export function splitRNNArgs<A extends RNNBaseArgs>(
  args: A,
): { rnnArgs: RNNBaseArgs; cellArgs: Omit<A, keyof RNNBaseArgs> } {
  const rnnArgs: Record<string, unknown> = {};
  const cellArgs: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  for (const key of RNN_KEYS) {
    if (key in cellArgs) {
      rnnArgs[key] = cellArgs[key];
      delete cellArgs[key];
    }
  }
  if (args.dtype !== undefined) cellArgs.dtype = args.dtype;
  if (args.trainable !== undefined) cellArgs.trainable = args.trainable;
  return { rnnArgs: rnnArgs as RNNBaseArgs, cellArgs: cellArgs as Omit<A, keyof RNNBaseArgs> };
}

function resolveCell(cell: RNNArgs['cell']): RecurrentCell {
  if (Array.isArray(cell)) return new StackedRNNCells({ cells: cell });
  if (cell instanceof BaseRNNCell || cell instanceof StackedRNNCells) return cell;
  const made = deserializeKerasObject(cell as KerasObjectDict);
  if (made instanceof BaseRNNCell || made instanceof StackedRNNCells) return made;
  throw new ValueError(
    `RNN: expected cell to be a recurrent cell, received ${JSON.stringify(cell)}.`,
  );
}

/**
 * Base class for recurrent layers: runs a cell over the time axis of `[batch, time, features]`
 * inputs. The input projection of every step is computed in one matMul before the loop; each step
 * then only multiplies the state by the recurrent kernel. Masks (e.g. from
 * `Embedding({ maskZero: true })`) make masked steps carry the previous output and states.
 *
 * @example
 * const layer = new RNN({ cell: new LSTMCell({ units: 8 }), returnSequences: true });
 * const y = layer.apply(tf.randomNormal([2, 5, 3])); // [2, 5, 8]
 */
export class RNN extends Layer {
  static override readonly className: string = 'RNN';
  readonly cell: RecurrentCell;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  readonly zeroOutputForMask: boolean;
  /** The stored states of a stateful layer (kept tensors), null until the first call. */
  states: tf.Tensor[] | null = null;

  constructor(args: RNNArgs) {
    const {
      cell,
      returnSequences = false,
      returnState = false,
      goBackwards = false,
      stateful = false,
      unroll = false,
      zeroOutputForMask = false,
      ...layerArgs
    } = args;
    super(layerArgs);
    this.cell = resolveCell(cell);
    this.returnSequences = returnSequences;
    this.returnState = returnState;
    this.goBackwards = goBackwards;
    this.stateful = stateful;
    this.unroll = unroll;
    this.zeroOutputForMask = zeroOutputForMask;
    this.supportsMasking = true;
  }

  /** Sizes of the states of the cell, in order. */
  get stateSize(): number[] {
    return this.cell.stateSize;
  }

  /** Shape of one state for `batch` (ConvLSTM states are feature maps). */
  protected stateShape(batch: number | null, index: number, _inputShape: Shape): Shape {
    return [batch, this.stateSize[index] as number];
  }

  /** Shape of one step's output for `batch`. */
  protected stepOutputShape(batch: number | null, _inputShape: Shape): Shape {
    return [batch, this.cell.outputSize];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (shape.length < 3) {
      throw new ValueError(
        `${this.who}: expected input of rank >= 3 ([batch, time, features]), received shape ${formatShape(shape)}.`,
      );
    }
    if (this.stateful && shape[0] === null) {
      throw new ValueError(
        `${this.who}: stateful=true needs a fixed batch size, received shape ${formatShape(shape)}. Fix: pass batchSize to Input().`,
      );
    }
    if (!this.cell.built) this.cell.maybeBuild([shape[0] ?? null, ...shape.slice(2)]);
    this.inputSpec = this.sequenceSpec(shape);
    this.built = true;
  }

  /** What later calls must match (checked by `apply`): the rank, and the features the kernel was built for. */
  protected sequenceSpec(shape: Shape): InputSpec {
    const features = shape.at(-1);
    return new InputSpec({
      minNdim: 3,
      ...(typeof features === 'number' ? { axes: { [-1]: features } } : {}),
    });
  }

  /** Zero states for a batch (the cell's initial states). */
  protected initialStates(sequences: tf.Tensor): tf.Tensor[] {
    return this.cell.getInitialState(
      sequences.shape[0] as number,
      sequences.shape.slice(2) as number[],
    );
  }

  /**
   * Runs the layer. `inputs` is the sequence, or `[sequence, ...initialStates]`; `args.initialState`
   * is the other way to give initial states.
   */
  override call(inputs: tf.Tensor | tf.Tensor[], args: RNNCallArgs = {}): tf.Tensor | tf.Tensor[] {
    const [sequences, ...given] = Array.isArray(inputs) ? inputs : [inputs];
    if (!sequences)
      throw new ValueError(`${this.who}: expected a sequence input, received an empty list.`);
    const extra =
      args.initialState === undefined
        ? []
        : Array.isArray(args.initialState)
          ? args.initialState
          : [args.initialState];
    let initial = given.length > 0 ? given : extra;
    if (initial.length === 0)
      initial = this.stateful && this.states ? this.states : this.initialStates(sequences);
    if (initial.length !== this.stateSize.length) {
      throw new ValueError(
        `${this.who}: expected ${this.stateSize.length} initial state tensor(s), received ${initial.length}.`,
      );
    }
    const mask = Array.isArray(args.mask) ? (args.mask[0] ?? null) : (args.mask ?? null);
    const training = args.training ?? false;
    const prepared = this.cell.prepareSequence(sequences, training);
    let result: ReturnType<typeof recurrentLoop>;
    try {
      result = recurrentLoop((x, s) => this.cell.step(x, s), prepared, initial, {
        mask,
        goBackwards: this.goBackwards,
        zeroOutputForMask: this.zeroOutputForMask,
        returnSequences: this.returnSequences,
      });
    } finally {
      this.cell.endSequence();
    }
    if (this.stateful) this.storeStates(result.states);
    const output = this.returnSequences ? (result.outputs as tf.Tensor) : result.lastOutput;
    return this.returnState ? [output, ...result.states] : output;
  }

  private storeStates(states: tf.Tensor[]): void {
    const previous = this.states;
    this.states = states.map((s) => tf.keep(tf.clone(s)));
    if (previous) tf.dispose(previous);
  }

  /**
   * Clears the stored states of a stateful layer (zeros at the next call), or sets them to
   * `states` (copied; the caller keeps its tensors).
   */
  resetStates(states?: tf.Tensor | tf.Tensor[]): void {
    if (!this.stateful) {
      throw new ValueError(
        `${this.who}: resetStates() needs a stateful layer (received stateful=false).`,
      );
    }
    const previous = this.states;
    this.states =
      states === undefined
        ? null
        : (Array.isArray(states) ? states : [states]).map((s) => tf.keep(tf.clone(s)));
    if (previous) tf.dispose(previous);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const batch = shape[0] ?? null;
    const step = this.stepOutputShape(batch, shape);
    const output: Shape = this.returnSequences ? [batch, shape[1] ?? null, ...step.slice(1)] : step;
    if (!this.returnState) return output;
    return [output, ...this.stateSize.map((_, i) => this.stateShape(batch, i, shape))];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask | Mask[] {
    const first = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const output = this.returnSequences ? first : null;
    return this.returnState ? [output, ...this.stateSize.map(() => null)] : output;
  }

  /** The RNN keys of a Keras recurrent config (without the cell). */
  protected rnnConfig(): Config {
    return {
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zero_output_for_mask: this.zeroOutputForMask,
    };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      ...this.rnnConfig(),
      cell: serializeKerasObject(this.cell) as unknown as ConfigValue,
    };
  }

  override dispose(): void {
    if (this.states) tf.dispose(this.states);
    this.states = null;
    super.dispose();
  }
}
registerKerasClass('keras.layers', RNN);
