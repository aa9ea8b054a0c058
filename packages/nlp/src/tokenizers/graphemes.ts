/**
 * Grapheme clusters of long strings in linear time. `Intl.Segmenter` is quadratic on long
 * inputs in some engines, so the text is cut into short chunks at positions that are always
 * cluster boundaries, and each chunk is segmented alone.
 */

const JOINS_PREVIOUS =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: a set of single code points, tested one at a time.
  /[\p{M}\u200d\u{1F3FB}-\u{1F3FF}\u{1F1E6}-\u{1F1FF}\u{E0020}-\u{E007F}\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]/u;
const JOINS_NEXT =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: a set of single code points, tested one at a time.
  /[\p{M}\u200d\u{1F1E6}-\u{1F1FF}\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u0d4e\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u1100-\u11ff\uac00-\ud7a3]/u;
const CHUNK = 64;

function safeBreak(text: string, at: number): boolean {
  const prev = text.codePointAt(at - 1) as number;
  const unit = text.charCodeAt(at - 1);
  if (unit >= 0xdc00 && unit <= 0xdfff) {
    // `at - 1` is the low half of a pair: look at the whole code point.
    const whole = text.codePointAt(at - 2) as number;
    if (JOINS_NEXT.test(String.fromCodePoint(whole))) return false;
  } else if (
    prev === 0x0d ||
    (unit >= 0xd800 && unit <= 0xdbff) ||
    JOINS_NEXT.test(String.fromCharCode(unit))
  ) {
    return false;
  }
  const cp = text.codePointAt(at) as number;
  return !JOINS_PREVIOUS.test(String.fromCodePoint(cp));
}

/** Calls `emit(cluster, index)` for every grapheme cluster of `text`, in order. */
export function forEachGrapheme(
  segmenter: Intl.Segmenter,
  text: string,
  emit: (cluster: string, index: number) => void,
): void {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + CHUNK);
    while (end < text.length && !safeBreak(text, end)) end++;
    const chunk = text.slice(start, end);
    for (const { segment, index } of segmenter.segment(chunk)) emit(segment, start + index);
    start = end;
  }
}
