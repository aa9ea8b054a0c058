import {
  type ApplyArgs,
  type CallArgs,
  type KerasTensor,
  Layer,
  type LayerArgs,
  tf,
  ValueError,
  saving,
} from '@cornu/core';
import { asList, checkPositiveInt, padRows, type TokenInput, toRows } from './ragged.js';

type LayerConfig = ReturnType<Layer['getConfig']>;

export interface StartEndPackerArgs extends Omit<LayerArgs, 'dtype'> {
  /** Length of the packed output. */
  sequenceLength: number;
  /** Id(s) written before each sequence. @default null (none) */
  startValue?: number | number[] | null;
  /** Id(s) written after each (truncated) sequence. @default null (none) */
  endValue?: number | number[] | null;
  /** Id written after the end of a short sequence. @default 0 */
  padValue?: number | null;
  /** Also return a bool mask that is true on non-padding positions. @default false */
  returnPaddingMask?: boolean;
  /** Side the padding goes to. @default 'right' */
  paddingSide?: 'left' | 'right';
}

/** Per-call options of `StartEndPacker.pack`. */
export interface StartEndPackOptions {
  /** Overrides the layer's `sequenceLength` for this call. */
  sequenceLength?: number;
  /** @default true */
  addStartValue?: boolean;
  /** @default true */
  addEndValue?: boolean;
}

/**
 * Adds start and end tokens and pads to a fixed length (KerasHub `StartEndPacker`). Sequences are
 * first truncated to leave room for the start and end tokens. Input: one sequence of ids, a ragged
 * batch (`number[][]`) or an int tensor of rank 1 or 2; output: an int32 tensor of rank 1 or 2
 * (and the padding mask with `returnPaddingMask`).
 *
 * @example
 * new StartEndPacker({ sequenceLength: 6, startValue: 1, endValue: 2 }).pack([[5, 6, 7], [8]]);
 * // [[1, 5, 6, 7, 2, 0], [1, 8, 2, 0, 0, 0]]
 */
export class StartEndPacker extends Layer {
  static override readonly className: string = 'StartEndPacker';
  readonly sequenceLength: number;
  readonly startValue: number[];
  readonly endValue: number[];
  readonly padValue: number;
  readonly returnPaddingMask: boolean;
  readonly paddingSide: 'left' | 'right';

  constructor(args: StartEndPackerArgs) {
    const {
      sequenceLength,
      startValue = null,
      endValue = null,
      padValue = null,
      returnPaddingMask = false,
      paddingSide = 'right',
      ...base
    } = args;
    super({ ...base, dtype: 'int32' });
    checkPositiveInt(this.who, 'sequenceLength', sequenceLength);
    if (paddingSide !== 'left' && paddingSide !== 'right') {
      throw new ValueError(
        `${this.who}: paddingSide must be 'left' or 'right'. Received: paddingSide=${JSON.stringify(paddingSide)}.`,
      );
    }
    this.sequenceLength = sequenceLength;
    this.startValue = asList(startValue);
    this.endValue = asList(endValue);
    this.padValue = padValue ?? 0;
    this.returnPaddingMask = returnPaddingMask;
    this.paddingSide = paddingSide;
  }

  /** Packs `input`; returns the ids, or `[ids, paddingMask]` with `returnPaddingMask`. */
  pack(input: TokenInput, options: StartEndPackOptions = {}): tf.Tensor | [tf.Tensor, tf.Tensor] {
    const {
      sequenceLength = this.sequenceLength,
      addStartValue = true,
      addEndValue = true,
    } = options;
    checkPositiveInt(this.who, 'sequenceLength', sequenceLength);
    const { rows, batched } = toRows(input, this.who);
    const start = addStartValue ? this.startValue : [];
    const end = addEndValue ? this.endValue : [];
    const room = Math.max(0, sequenceLength - start.length - end.length);
    const packed = rows.map((row) => [...start, ...row.slice(0, room), ...end]);
    const ids = padRows(packed, sequenceLength, this.padValue, this.paddingSide, batched);
    if (!this.returnPaddingMask) return ids;
    const ones = packed.map((row) => row.map(() => 1));
    const mask = tf.tidy(() =>
      tf.cast(padRows(ones, sequenceLength, 0, this.paddingSide, batched), 'bool'),
    );
    return [ids, mask];
  }

  /** Layer entry point: `pack` on an int tensor. */
  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor | tf.Tensor[] {
    if (Array.isArray(inputs)) {
      throw new ValueError(
        `${this.who}: expected one tensor of token ids, received a list of ${inputs.length}.`,
      );
    }
    return this.pack(inputs);
  }

  override computeOutputShape(
    inputShape: (number | null)[] | (number | null)[][],
  ): (number | null)[] | (number | null)[][] {
    const shape = inputShape as (number | null)[];
    const out = shape.length <= 1 ? [this.sequenceLength] : [shape[0] ?? null, this.sequenceLength];
    return this.returnPaddingMask ? [out, [...out]] : out;
  }

  /** Symbolic outputs: int32 ids and, with `returnPaddingMask`, a bool mask. */
  protected override computeOutputSpec(
    inputs: KerasTensor | KerasTensor[],
    _args: ApplyArgs,
  ): { outputs: { shape: (number | null)[]; dtype: tf.DataType }[]; isList: boolean } {
    const shape = Array.isArray(inputs) ? (inputs[0]?.shape ?? []) : inputs.shape;
    const out = shape.length <= 1 ? [this.sequenceLength] : [shape[0] ?? null, this.sequenceLength];
    if (!this.returnPaddingMask)
      return { outputs: [{ shape: out, dtype: 'int32' }], isList: false };
    return {
      outputs: [
        { shape: out, dtype: 'int32' },
        { shape: [...out], dtype: 'bool' },
      ],
      isList: true,
    };
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      sequence_length: this.sequenceLength,
      start_value: this.startValue.length === 0 ? null : this.startValue,
      end_value: this.endValue.length === 0 ? null : this.endValue,
      pad_value: this.padValue,
      return_padding_mask: this.returnPaddingMask,
      padding_side: this.paddingSide,
    };
  }
}

saving.registerSerializable('keras_hub')(StartEndPacker);
