import { ValueError } from '../errors/errors.js';

/**
 * Fills a Python-format-style path template (what Keras's ModelCheckpoint accepts):
 * `{name}`, `{name:02d}`, `{name:.2f}`, `{name:8.3f}`, `{name:.1e}`.
 */
export function formatPath(template: string, values: Record<string, number>): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (_, key: string, spec: string | undefined) => {
    const value = values[key];
    if (value === undefined) {
      throw new ValueError(
        `ModelCheckpoint: the filepath names '{${key}}', which is not in the logs. Available: ${Object.keys(values).join(', ')}.`,
      );
    }
    if (!spec) return String(value);
    const match = /^(0?)(\d*)(?:\.(\d+))?([dfe])$/.exec(spec);
    if (!match)
      throw new ValueError(
        `ModelCheckpoint: unsupported format spec '${spec}' for '{${key}}'. Use d, f or e specs like 02d, .2f, .1e.`,
      );
    const [, zero, width, precision, type] = match;
    let text =
      type === 'd'
        ? String(Math.trunc(value))
        : type === 'f'
          ? value.toFixed(precision === undefined ? 6 : Number(precision))
          : value
              .toExponential(precision === undefined ? 6 : Number(precision))
              .replace(/e([+-])(\d)$/, 'e$10$2');
    const w = width ? Number(width) : 0;
    if (text.length < w) {
      const negative = text.startsWith('-');
      text = zero
        ? (negative ? '-' : '') +
          (negative ? text.slice(1) : text).padStart(w - (negative ? 1 : 0), '0')
        : text.padStart(w, ' ');
    }
    return text;
  });
}
