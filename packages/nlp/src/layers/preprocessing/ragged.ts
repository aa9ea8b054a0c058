import { tf, ValueError } from '@cornu/core';

/** Token ids as packers and generators accept them: one sequence, a batch of sequences (ragged), or an int tensor. */
export type TokenInput = readonly number[] | readonly (readonly number[])[] | tf.Tensor;

/** Rows of a token input, and whether it was a batch. */
export interface Rows {
  rows: number[][];
  batched: boolean;
}

/** Reads `input` as rows of ids (a rank-1 input is one unbatched row). */
export function toRows(input: TokenInput, who: string): Rows {
  if (input instanceof tf.Tensor) {
    if (input.dtype === 'string') {
      throw new ValueError(`${who}: expected int token ids, received a string tensor.`);
    }
    if (input.rank === 1) return { rows: [Array.from(input.dataSync())], batched: false };
    if (input.rank === 2) return { rows: input.arraySync() as number[][], batched: true };
    throw new ValueError(
      `${who}: expected token ids of rank 1 or 2, received a tensor of shape [${input.shape}].`,
    );
  }
  if (!Array.isArray(input)) {
    throw new ValueError(
      `${who}: expected token ids (number[], number[][] or a tensor), received ${typeof input}.`,
    );
  }
  if (input.length > 0 && Array.isArray(input[0])) {
    return { rows: (input as readonly (readonly number[])[]).map((r) => [...r]), batched: true };
  }
  for (const v of input as readonly unknown[]) {
    if (typeof v !== 'number') {
      throw new ValueError(`${who}: expected numeric token ids, received ${typeof v}.`);
    }
  }
  return { rows: [[...(input as readonly number[])]], batched: false };
}

/** A scalar or list option as a list (`null`/`undefined` -> empty). */
export function asList(value: number | readonly number[] | null | undefined): number[] {
  if (value === null || value === undefined) return [];
  return typeof value === 'number' ? [value] : [...value];
}

/** Rows padded on `side` (or truncated) to `length`, as an int32 tensor of rank 2 (rank 1 when not batched). */
export function padRows(
  rows: number[][],
  length: number,
  padValue: number,
  side: 'left' | 'right',
  batched: boolean,
): tf.Tensor {
  const flat = new Int32Array(rows.length * length).fill(padValue);
  rows.forEach((row, r) => {
    // Left padding keeps the last `length` ids (KerasHub pads the reversed rows).
    const kept =
      side === 'left' ? row.slice(Math.max(0, row.length - length)) : row.slice(0, length);
    flat.set(kept, r * length + (side === 'left' ? length - kept.length : 0));
  });
  return batched ? tf.tensor2d(flat, [rows.length, length], 'int32') : tf.tensor1d(flat, 'int32');
}

/** Checks a positive integer option. */
export function checkPositiveInt(who: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ValueError(`${who}: ${name} must be a positive integer. Received: ${name}=${value}.`);
  }
}

/** Checks a rate in [0, 1]. */
export function checkRate(who: string, name: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ValueError(`${who}: ${name} must be in [0, 1]. Received: ${name}=${value}.`);
  }
}
