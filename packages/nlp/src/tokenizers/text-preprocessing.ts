/** Unicode normalization forms accepted by the byte and code point tokenizers. */
export type NormalizationForm = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

/**
 * Applies lowercasing and a normalization form piece by piece (code points, or graphemes when
 * normalizing), calling `emit` with each output piece and its `[start, end)` source span.
 */
export function preprocessPieces(
  text: string,
  lowercase: boolean,
  form: NormalizationForm | undefined,
  emit: (piece: string, start: number, end: number) => void,
): void {
  if (form !== undefined) {
    const segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });
    for (const { segment, index } of segmenter.segment(text)) {
      const s = lowercase ? segment.toLowerCase() : segment;
      emit(s.normalize(form), index, index + segment.length);
    }
    return;
  }
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    const ch = text.slice(i, i + width);
    emit(lowercase ? ch.toLowerCase() : ch, i, i + width);
    i += width;
  }
}
