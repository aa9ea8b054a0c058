import { tf, ValueError } from '@cornu/core';

/** A text metric input: one string or token list, or a batch of them (strings or string tensors). */
export type TextInput = string | readonly string[] | readonly (readonly string[])[] | tf.Tensor;

/** Splits `input` into a batch of token lists; strings go through `tokenize`. */
export function toTokenBatch(
  input: TextInput,
  tokenize: (text: string) => string[],
  who: string,
  what: string,
): string[][] {
  let value: unknown = input;
  if (input instanceof tf.Tensor) {
    if (input.dtype !== 'string' || input.rank > 2) {
      throw new ValueError(
        `${who}: ${what} must be a string tensor of rank 0-2; received dtype ${input.dtype}, shape [${input.shape}].`,
      );
    }
    value = input.arraySync();
  }
  if (typeof value === 'string') return [tokenize(value)];
  if (!Array.isArray(value)) {
    throw new ValueError(
      `${who}: ${what} must be a string, a list of strings or a list of token lists; received ${typeof value}.`,
    );
  }
  return value.map((item: unknown) => {
    if (typeof item === 'string') return tokenize(item);
    if (Array.isArray(item) && item.every((t) => typeof t === 'string'))
      return [...item] as string[];
    throw new ValueError(
      `${who}: ${what} must hold strings or token lists (string[]); received ${JSON.stringify(item)?.slice(0, 60)}.`,
    );
  });
}

/** Whitespace tokenization. */
export function splitWhitespace(text: string): string[] {
  return text.split(/\s+/u).filter((t) => t.length > 0);
}

/** n-gram counts of a token list, keyed by the tokens joined with U+0001. */
export function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Fails when two batches differ in size. */
export function checkSameBatch(who: string, a: number, b: number): void {
  if (a !== b) {
    throw new ValueError(
      `${who}: yTrue and yPred must hold the same number of samples; received ${a} and ${b}.`,
    );
  }
}
