import { ValueError } from '@cornu/core';

/** How malformed input is handled: replaced, dropped, or an error. */
export type DecodeErrors = 'replace' | 'ignore' | 'strict';

/**
 * Decodes UTF-8 bytes to code points, treating each maximal malformed subsequence as one error
 * (the WHATWG / Python rule), which `errors` then replaces, drops or throws on.
 */
export function decodeUtf8(
  bytes: ArrayLike<number>,
  errors: DecodeErrors,
  replacementChar: number,
  owner: string,
): string {
  const out: number[] = [];
  const fail = (at: number): void => {
    if (errors === 'strict') {
      throw new ValueError(
        `${owner}.detokenize: invalid UTF-8 at byte ${at}; use errors 'replace' or 'ignore' to accept it.`,
      );
    }
    if (errors === 'replace') out.push(replacementChar);
  };
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      out.push(b);
      i++;
      continue;
    }
    let need = 0;
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      cp = b & 0x0f;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      cp = b & 0x07;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else {
      fail(i);
      i++;
      continue;
    }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      const c = bytes[j];
      if (c === undefined || c < lower || c > upper) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3f);
      lower = 0x80;
      upper = 0xbf;
    }
    if (!ok) {
      fail(i);
      i = j;
      continue;
    }
    out.push(cp);
    i = j;
  }
  let s = '';
  for (let k = 0; k < out.length; k += 8192) s += String.fromCodePoint(...out.slice(k, k + 8192));
  return s;
}
