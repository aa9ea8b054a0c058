import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Callback, type Logs } from './callback.js';

export interface CSVLoggerArgs {
  /**
   * Column separator.
   * @default ','
   */
  separator?: string;
  /**
   * Append to an existing file (no second header) instead of overwriting it.
   * @default false
   */
  append?: boolean;
}

/**
 * Streams each epoch's logs to a CSV file (Keras `CSVLogger`): an `epoch` column, then the log keys
 * sorted by name. Each row is appended as it comes, so a crash keeps the rows so far.
 */
export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  #keys: string[] | null = null;
  #needsHeader = true;

  constructor(filename: string, { separator = ',', append = false }: CSVLoggerArgs = {}) {
    super();
    this.filename = filename;
    this.separator = separator;
    this.append = append;
  }

  override async onTrainBegin(): Promise<void> {
    mkdirSync(dirname(this.filename), { recursive: true });
    const hasContent = existsSync(this.filename) && statSync(this.filename).size > 0;
    this.#needsHeader = !(this.append && hasContent);
    if (!this.append) writeFileSync(this.filename, '');
    this.#keys = null;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.#keys) this.#keys = Object.keys(logs).sort();
    const quote = (v: string) =>
      v.includes(this.separator) || v.includes('"') ? `"${v.replace(/"/g, '""')}"` : v;
    let text = '';
    if (this.#needsHeader) {
      text += `${['epoch', ...this.#keys].map(quote).join(this.separator)}\n`;
      this.#needsHeader = false;
    }
    const row = [String(epoch), ...this.#keys.map((k) => (k in logs ? String(logs[k]) : 'NA'))];
    appendFileSync(this.filename, `${text}${row.join(this.separator)}\n`);
  }
}
