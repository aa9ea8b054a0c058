/**
 * GPT-2's reversible byte <-> printable character map, and its pre-tokenization pattern.
 */

/** The GPT-2 pre-tokenization pattern: contractions, letter runs, digit runs, other runs, spaces. */
export const GPT2_SPLIT_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

function buildByteChars(): string[] {
  const chars: string[] = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    chars[b] = String.fromCharCode(printable ? b : 256 + extra++);
  }
  return chars;
}

/** `BYTE_TO_CHAR[b]` is the one-character stand-in for byte `b`. */
export const BYTE_TO_CHAR: readonly string[] = buildByteChars();

/** Character code -> byte (or -1), inverse of `BYTE_TO_CHAR`. */
export const CHAR_TO_BYTE: Int16Array = (() => {
  const table = new Int16Array(324).fill(-1);
  BYTE_TO_CHAR.forEach((c, b) => {
    table[c.charCodeAt(0)] = b;
  });
  return table;
})();

/** The byte-level form of UTF-8 bytes. */
export function bytesToUnicode(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += BYTE_TO_CHAR[b];
  return s;
}
