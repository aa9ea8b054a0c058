/**
 * Character classes shared by the tokenizers, defined the way BERT's reference tokenizer (and the
 * Hugging Face `tokenizers` crate) defines them, per code point.
 */

const PUNCTUATION = /^\p{P}$/u;
const OTHER_CONTROL = /^[\p{Cc}\p{Cf}\p{Co}\p{Cs}]$/u;
const MARK_NONSPACING = /\p{Mn}/gu;

/** Unicode White_Space (what Rust's `char::is_whitespace` tests). */
export function isWhitespace(cp: number): boolean {
  if (cp === 0x20 || (cp >= 0x09 && cp <= 0x0d)) return true;
  if (cp < 0x85) return false;
  return (
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Control characters removed by BERT's text cleaning (tab, newline and return are whitespace). */
export function isControl(cp: number): boolean {
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return false;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return true;
  if (cp < 0xa0) return false;
  return OTHER_CONTROL.test(String.fromCodePoint(cp));
}

/** BERT punctuation: any ASCII non-alphanumeric printable, or a Unicode P* character. */
export function isPunctuation(cp: number): boolean {
  if (
    (cp >= 33 && cp <= 47) ||
    (cp >= 58 && cp <= 64) ||
    (cp >= 91 && cp <= 96) ||
    (cp >= 123 && cp <= 126)
  ) {
    return true;
  }
  if (cp < 128) return false;
  return PUNCTUATION.test(String.fromCodePoint(cp));
}

/** The CJK Unified Ideograph blocks BERT surrounds with spaces. */
export function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** NFD-decomposes `text` and drops non-spacing marks (accents). */
export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(MARK_NONSPACING, '');
}

/** True for a UTF-16 code unit that is half of a surrogate pair. */
export function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** UTF-8 bytes of `text`; lone surrogates become U+FFFD, as in any UTF-8 encoder. */
export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, replacing malformed sequences with U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Number of UTF-8 bytes of the code point `cp`. */
export function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}
