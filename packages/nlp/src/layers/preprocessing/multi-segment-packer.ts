import { type CallArgs, Layer, type LayerArgs, type tf, ValueError, saving } from '@cornu/core';
import { asList, checkPositiveInt, padRows, type TokenInput, toRows } from './ragged.js';

type LayerConfig = ReturnType<Layer['getConfig']>;

/** How `MultiSegmentPacker` shortens segments that do not fit. */
export type TruncationStrategy = 'round_robin' | 'waterfall';

export interface MultiSegmentPackerArgs extends Omit<LayerArgs, 'dtype'> {
  /** Length of the packed output. */
  sequenceLength: number;
  /** Id(s) written first (BERT's `[CLS]`). */
  startValue: number | number[];
  /** Id(s) written after the last segment (BERT's `[SEP]`). */
  endValue: number | number[];
  /** Id(s) written between segments. @default endValue */
  sepValue?: number | number[] | null;
  /** Id written after the end of a short sequence. @default 0 */
  padValue?: number | null;
  /**
   * `'round_robin'` gives the budget one token at a time to each segment in turn (segments that
   * run out are skipped); `'waterfall'` fills the first segment, then the next, and so on.
   * @default 'round_robin'
   */
  truncate?: TruncationStrategy;
  /** Side the padding goes to. @default 'right' */
  paddingSide?: 'left' | 'right';
}

/** How many tokens each segment keeps within `budget`. */
export function segmentBudgets(
  lengths: number[],
  budget: number,
  strategy: TruncationStrategy,
): number[] {
  const kept = lengths.map(() => 0);
  let remaining = Math.max(0, budget);
  if (strategy === 'waterfall') {
    lengths.forEach((n, i) => {
      kept[i] = Math.min(n, remaining);
      remaining -= kept[i] as number;
    });
    return kept;
  }
  // Round robin: whole rounds while every unfinished segment can take one more token.
  let active = lengths.map((_, i) => i).filter((i) => (lengths[i] as number) > 0);
  while (remaining > 0 && active.length > 0) {
    for (const i of active) {
      if (remaining === 0) break;
      kept[i] = (kept[i] as number) + 1;
      remaining--;
    }
    active = active.filter((i) => (kept[i] as number) < (lengths[i] as number));
  }
  return kept;
}

/**
 * Packs several segments into one sequence (KerasHub `MultiSegmentPacker`):
 * `start, segment 0, sep, segment 1, sep, ..., segment n-1, end, pad...`, truncating the segments
 * with `truncate` so that everything fits. Returns `[tokenIds, segmentIds]` as int32 tensors;
 * segment ids are 0 for the start token and the first segment with its separator, 1 for the
 * second segment with its separator, and so on, and 0 on padding.
 *
 * @example
 * new MultiSegmentPacker({ sequenceLength: 8, startValue: 101, endValue: 102 })
 *   .pack([[1, 2, 3, 4], [5, 6, 7]]);
 * // round robin keeps 3 + 2 of the 5 free slots:
 * // ids [101, 1, 2, 3, 102, 5, 6, 102], segment ids [0, 0, 0, 0, 0, 1, 1, 1]
 */
export class MultiSegmentPacker extends Layer {
  static override readonly className: string = 'MultiSegmentPacker';
  readonly sequenceLength: number;
  readonly startValue: number[];
  readonly endValue: number[];
  readonly sepValue: number[];
  readonly padValue: number;
  readonly truncate: TruncationStrategy;
  readonly paddingSide: 'left' | 'right';

  constructor(args: MultiSegmentPackerArgs) {
    const {
      sequenceLength,
      startValue,
      endValue,
      sepValue = null,
      padValue = null,
      truncate = 'round_robin',
      paddingSide = 'right',
      ...base
    } = args;
    super({ ...base, dtype: 'int32' });
    checkPositiveInt(this.who, 'sequenceLength', sequenceLength);
    if (truncate !== 'round_robin' && truncate !== 'waterfall') {
      throw new ValueError(
        `${this.who}: truncate must be 'round_robin' or 'waterfall'. Received: truncate=${JSON.stringify(truncate)}.`,
      );
    }
    if (paddingSide !== 'left' && paddingSide !== 'right') {
      throw new ValueError(
        `${this.who}: paddingSide must be 'left' or 'right'. Received: paddingSide=${JSON.stringify(paddingSide)}.`,
      );
    }
    this.sequenceLength = sequenceLength;
    this.startValue = asList(startValue);
    this.endValue = asList(endValue);
    this.sepValue = sepValue === null ? [...this.endValue] : asList(sepValue);
    this.padValue = padValue ?? 0;
    this.truncate = truncate;
    this.paddingSide = paddingSide;
  }

  /** Packs one or more segments (each a sequence, a ragged batch or an int tensor, all alike). */
  pack(segments: TokenInput | TokenInput[]): [tf.Tensor, tf.Tensor] {
    const list =
      Array.isArray(segments) && (segments.length === 0 || !(typeof segments[0] === 'number'))
        ? (segments as TokenInput[])
        : [segments as TokenInput];
    if (list.length === 0) throw new ValueError(`${this.who}: expected at least one segment.`);
    const parsed = list.map((s) => toRows(s, this.who));
    const batched = (parsed[0] as { batched: boolean }).batched;
    const batch = (parsed[0] as { rows: number[][] }).rows.length;
    for (const p of parsed) {
      if (p.batched !== batched || p.rows.length !== batch) {
        throw new ValueError(
          `${this.who}: every segment must have the same batch size; received batch sizes [${parsed
            .map((q) => (q.batched ? q.rows.length : 'unbatched'))
            .join(', ')}].`,
        );
      }
    }
    const special =
      this.startValue.length + (list.length - 1) * this.sepValue.length + this.endValue.length;
    const budget = this.sequenceLength - special;
    const idRows: number[][] = [];
    const segmentRows: number[][] = [];
    for (let r = 0; r < batch; r++) {
      const rows = parsed.map((p) => p.rows[r] as number[]);
      const keep = segmentBudgets(
        rows.map((x) => x.length),
        budget,
        this.truncate,
      );
      const ids = [...this.startValue];
      const segs = this.startValue.map(() => 0);
      rows.forEach((row, i) => {
        const tail = i === rows.length - 1 ? this.endValue : this.sepValue;
        const part = [...row.slice(0, keep[i]), ...tail];
        ids.push(...part);
        segs.push(...part.map(() => i));
      });
      idRows.push(ids);
      segmentRows.push(segs);
    }
    return [
      padRows(idRows, this.sequenceLength, this.padValue, this.paddingSide, batched),
      padRows(segmentRows, this.sequenceLength, 0, this.paddingSide, batched),
    ];
  }

  /** Layer entry point: `pack` on a list of int tensors (one per segment). */
  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor[] {
    return this.pack(Array.isArray(inputs) ? inputs : [inputs]);
  }

  override computeOutputShape(
    inputShape: (number | null)[] | (number | null)[][],
  ): (number | null)[][] {
    const first = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    const out = first.length <= 1 ? [this.sequenceLength] : [first[0] ?? null, this.sequenceLength];
    return [out, [...out]];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      sequence_length: this.sequenceLength,
      start_value: this.startValue,
      end_value: this.endValue,
      sep_value: this.sepValue,
      pad_value: this.padValue,
      truncate: this.truncate,
      padding_side: this.paddingSide,
    };
  }
}

saving.registerSerializable('keras_hub')(MultiSegmentPacker);
