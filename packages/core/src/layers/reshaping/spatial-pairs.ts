import { ValueError } from '../../errors/errors.js';

/** Per-axis (before, after) amounts, as Cropping and ZeroPadding take them. */
export type PairsArg = number | number[] | [number, number][];

/**
 * Normalises a cropping/padding argument for `rank` spatial axes: an integer (same on every side),
 * one integer per axis (symmetric), one `[before, after]` pair per axis, or for rank 1 a single
 * `[before, after]` pair.
 */
export function normalizePairs(
  value: PairsArg,
  rank: number,
  argName: string,
  who: string,
): [number, number][] {
  const fail = (): never => {
    throw new ValueError(
      `${who}: argument ${argName} must be a non-negative integer, ${rank} integers or ${rank} [before, after] pairs. Received: ${argName}=${JSON.stringify(value)}.`,
    );
  };
  const check = (n: unknown): number =>
    typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : fail();
  if (typeof value === 'number')
    return Array.from({ length: rank }, () => [check(value), check(value)]);
  if (rank === 1 && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return [[check(value[0]), check(value[1])]];
  }
  if (value.length !== rank) return fail();
  return value.map((v): [number, number] =>
    Array.isArray(v)
      ? v.length === 2
        ? [check(v[0]), check(v[1])]
        : fail()
      : [check(v), check(v)],
  );
}

/** Pairs as a Keras config writes them: `[a, b]` for rank 1, `[[a, b], ...]` otherwise. */
export function pairsConfig(pairs: [number, number][]): number[] | number[][] {
  return pairs.length === 1 ? [...(pairs[0] as [number, number])] : pairs.map((p) => [...p]);
}
