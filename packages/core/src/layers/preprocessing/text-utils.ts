/** Keras's default punctuation set stripped by `lower_and_strip_punctuation`. */
const STRIP_PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

/** A TextVectorization standardization: a named Keras one, none, or a function. */
export type Standardize =
  | 'lower_and_strip_punctuation'
  | 'lower'
  | 'strip_punctuation'
  | null
  | ((text: string) => string);

/** A TextVectorization split: on whitespace runs, into characters, none, or a function. */
export type Split = 'whitespace' | 'character' | null | ((text: string) => string[]);

export function standardizeText(text: string, standardize: Standardize): string {
  if (standardize === null) return text;
  if (typeof standardize === 'function') return standardize(text);
  let out = text;
  if (standardize === 'lower' || standardize === 'lower_and_strip_punctuation')
    out = out.toLowerCase();
  if (standardize === 'strip_punctuation' || standardize === 'lower_and_strip_punctuation') {
    out = out.replace(STRIP_PUNCTUATION, '');
  }
  return out;
}

export function splitText(text: string, split: Split): string[] {
  if (split === null) return [text];
  if (typeof split === 'function') return split(text);
  if (split === 'character') return Array.from(text);
  return text.split(/\s+/).filter((t) => t.length > 0);
}

/** All n-grams of the given widths, width by width (tf.strings.ngrams order), joined by ' '. */
export function ngramTokens(tokens: string[], widths: number[]): string[] {
  const out: string[] = [];
  for (const n of widths) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}
