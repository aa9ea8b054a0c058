import cliProgress from 'cli-progress';
import { Callback, type Logs } from './callback.js';

/** Keras-style log values: ` - loss: 0.1234 - accuracy: 0.9500`. */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(
      ([k, v]) => ` - ${k}: ${Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4)}`,
    )
    .join('');
}

/** Keras's time per step: `1s/step`, `45ms/step`, `812us/step`. */
export function formatTimePerStep(seconds: number): string {
  if (seconds >= 1) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

/**
 * `12/50 [=====>........................] - ETA: 3s - 45ms/step - loss: 0.1234` (width = bar
 * characters; the time per step is shown when given).
 */
export function formatProgress(
  current: number,
  total: number | null,
  etaSeconds: number | null,
  logs: Logs,
  width = 30,
  stepSeconds: number | null = null,
): string {
  const perStep = stepSeconds === null ? '' : ` - ${formatTimePerStep(stepSeconds)}`;
  if (!total) return `${current}${perStep}${formatLogs(logs)}`;
  const digits = String(total).length;
  const done = Math.min(width, Math.floor((current / total) * width));
  const bar =
    current >= total
      ? '='.repeat(width)
      : `${'='.repeat(Math.max(0, done - 1))}${done > 0 ? '>' : ''}${'.'.repeat(width - Math.max(done, 0))}`;
  const eta = current >= total || etaSeconds === null ? '' : ` - ETA: ${Math.round(etaSeconds)}s`;
  return `${String(current).padStart(digits)}/${total} [${bar}]${eta}${perStep}${formatLogs(logs)}`;
}

export interface ProgbarLoggerArgs {
  /** Where to write. @default process.stdout */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Prints training progress (Keras `ProgbarLogger`): with `verbose: 1` on a terminal, a live bar per
 * epoch (`n/N [====>....] - ETA: 3s - loss: 0.1234 - accuracy: 0.9500`, drawn with cli-progress);
 * when the output is not a terminal, or with `verbose: 2`, one plain line per epoch. `evaluate` and
 * `predict` print one line when they end (`8/8 - 0s 3ms/step - loss: 0.1234`).
 */
export class ProgbarLogger extends Callback {
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  #bar: cliProgress.SingleBar | undefined;
  #seen = 0;
  #epochStart = 0;

  constructor({ stream = process.stdout }: ProgbarLoggerArgs = {}) {
    super();
    this.stream = stream;
  }

  get #live(): boolean {
    return (this.params.verbose ?? 1) === 1 && this.stream.isTTY === true;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    if ((this.params.verbose ?? 1) === 0) return;
    this.stream.write(`Epoch ${epoch + 1}/${this.params.epochs ?? '?'}\n`);
    this.#seen = 0;
    this.#epochStart = Date.now();
    if (this.#live) {
      const total = this.params.steps ?? 0;
      this.#bar = new cliProgress.SingleBar({
        stream: this.stream,
        format: (_options, params, payload: { logs?: Logs }) => {
          const elapsed = (Date.now() - this.#epochStart) / 1000;
          const eta =
            params.value > 0 ? (elapsed / params.value) * (params.total - params.value) : null;
          const perStep = params.value > 0 ? elapsed / params.value : null;
          return formatProgress(
            params.value,
            params.total || null,
            eta,
            payload.logs ?? {},
            30,
            perStep,
          );
        },
        hideCursor: false,
        clearOnComplete: false,
        noTTYOutput: false,
      });
      this.#bar.start(total, 0, { logs: {} });
    }
  }

  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    this.#seen = batch + 1;
    this.#bar?.update(this.#seen, { logs });
  }

  override async onEpochEnd(_epoch: number, logs: Logs = {}): Promise<void> {
    if ((this.params.verbose ?? 1) === 0) return;
    if (this.#bar) {
      this.#bar.update(this.params.steps ?? this.#seen, { logs });
      this.#bar.stop();
      this.#bar = undefined;
      return;
    }
    const steps = this.params.steps ?? this.#seen;
    const elapsed = (Date.now() - this.#epochStart) / 1000;
    const perStep = steps > 0 ? ` ${formatTimePerStep(elapsed / steps)}` : '';
    this.stream.write(`${steps}/${steps} - ${Math.round(elapsed)}s${perStep}${formatLogs(logs)}\n`);
  }

  // evaluate (not fit's validation, whose logs join the epoch line) and predict: one line when they end.
  #inFit = false;
  #passStart = 0;
  #passSeen = 0;

  override async onTrainBegin(): Promise<void> {
    this.#inFit = true;
  }

  override async onTrainEnd(): Promise<void> {
    this.#inFit = false;
  }

  override async onTestBegin(): Promise<void> {
    this.#beginPass();
  }

  override async onTestBatchEnd(batch: number): Promise<void> {
    this.#passSeen = batch + 1;
  }

  override async onTestEnd(logs: Logs = {}): Promise<void> {
    if (!this.#inFit) this.#endPass(logs);
  }

  override async onPredictBegin(): Promise<void> {
    this.#beginPass();
  }

  override async onPredictBatchEnd(batch: number): Promise<void> {
    this.#passSeen = batch + 1;
  }

  override async onPredictEnd(): Promise<void> {
    this.#endPass({});
  }

  #beginPass(): void {
    this.#passStart = Date.now();
    this.#passSeen = 0;
  }

  #endPass(logs: Logs): void {
    if ((this.params.verbose ?? 1) === 0) return;
    const steps = this.params.steps ?? this.#passSeen;
    const elapsed = (Date.now() - this.#passStart) / 1000;
    const perStep = steps > 0 ? ` ${formatTimePerStep(elapsed / steps)}` : '';
    this.stream.write(`${steps}/${steps} - ${Math.round(elapsed)}s${perStep}${formatLogs(logs)}\n`);
  }
}
