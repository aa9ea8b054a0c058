import * as tf from '@tensorflow/tfjs-core';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
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

/** Arguments of `StackedRNNCells`. */
export interface StackedRNNCellsArgs extends LayerArgs {
  /** The cells, applied in order at each step (each one's output is the next one's input). */
  cells: (BaseRNNCell | KerasObjectDict)[];
}

/**
 * Several recurrent cells run as one: at each step the input goes through `cells[0]`, its output
 * through `cells[1]`, and so on. The states are the cells' states, concatenated in order.
 *
 * @example
 * const layer = new RNN({ cell: new StackedRNNCells({ cells: [new LSTMCell({ units: 8 }), new GRUCell({ units: 4 })] }) });
 */
export class StackedRNNCells extends Layer {
  static override readonly className: string = 'StackedRNNCells';
  readonly cells: BaseRNNCell[];

  constructor(args: StackedRNNCellsArgs) {
    const { cells, ...layerArgs } = args;
    super(layerArgs);
    if (!Array.isArray(cells) || cells.length === 0) {
      throw new ValueError(
        `${this.who}: expected a non-empty list of cells, received ${JSON.stringify(cells)}.`,
      );
    }
    this.cells = cells.map((cell, i) => {
      const made =
        cell instanceof BaseRNNCell ? cell : deserializeKerasObject(cell as KerasObjectDict);
      if (!(made instanceof BaseRNNCell)) {
        throw new ValueError(
          `${this.who}: cells[${i}] is not a recurrent cell (received ${String(made)}).`,
        );
      }
      return made;
    });
  }

  /** All states of all cells, in order. */
  get stateSize(): number[] {
    return this.cells.flatMap((c) => c.stateSize);
  }

  /** The last cell's output size. */
  get outputSize(): number {
    return (this.cells.at(-1) as BaseRNNCell).outputSize;
  }

  override build(inputShape: Shape | Shape[]): void {
    let shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    for (const cell of this.cells) {
      cell.maybeBuild(shape);
      shape = [shape[0] ?? null, cell.outputSize];
    }
    const first = this.cells[0]?.inputSpec;
    if (first) this.inputSpec = first;
    this.built = true;
  }

  /** Projects the sequence through the first cell's kernel; the other cells start their sequence. */
  prepareSequence(sequences: tf.Tensor, training = false): tf.Tensor {
    const batch = sequences.shape[0] as number;
    const [first, ...rest] = this.cells as [BaseRNNCell, ...BaseRNNCell[]];
    let features = first.outputSize;
    for (const cell of rest) {
      cell.beginSequence(batch, features, training);
      features = cell.outputSize;
    }
    return first.prepareSequence(sequences, training);
  }

  step(prepared: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    let offset = 0;
    let input = prepared;
    const next: tf.Tensor[] = [];
    this.cells.forEach((cell, i) => {
      const count = cell.stateSize.length;
      const [output, cellStates] = cell.step(
        i === 0 ? input : cell.projectInputs(input),
        states.slice(offset, offset + count),
      );
      offset += count;
      next.push(...cellStates);
      input = output;
    });
    return [input, next];
  }

  endSequence(): void {
    for (const cell of this.cells) cell.endSequence();
  }

  getInitialState(batchSize: number): tf.Tensor[] {
    return this.cells.flatMap((c) => c.getInitialState(batchSize));
  }

  /** One step: `[x, ...states]` -> `[output, ...newStates]`. */
  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor[] {
    const [x, ...states] = Array.isArray(inputs) ? inputs : [inputs];
    if (!x) throw new ValueError(`${this.who}: expected [input, ...states], received no input.`);
    const initial = states.length > 0 ? states : this.getInitialState(x.shape[0] as number);
    const prepared = tf.squeeze(
      this.prepareSequence(tf.expandDims(x, 1), args.training ?? false),
      [1],
    );
    try {
      const [output, next] = this.step(prepared, initial);
      return [output, ...next];
    } finally {
      this.endSequence();
    }
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const batch = shape[0] ?? null;
    return [[batch, this.outputSize], ...this.stateSize.map((size): Shape => [batch, size])];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      cells: this.cells.map((c) => serializeKerasObject(c) as unknown as ConfigValue),
    };
  }
}
registerKerasClass('keras.layers', StackedRNNCells);
