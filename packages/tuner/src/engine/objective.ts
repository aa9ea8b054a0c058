import { ValueError } from '@cornu/core';

/** Whether lower or higher values of an objective are better. */
export type Direction = 'min' | 'max';

const MAXIMIZED = [
  'acc',
  'auc',
  'precision',
  'recall',
  'f1',
  'fbeta',
  'iou',
  'r2',
  'top_k',
  'score_max',
];
const MINIMIZED = [
  'loss',
  'error',
  'crossentropy',
  'mse',
  'mae',
  'mape',
  'msle',
  'hinge',
  'logcosh',
  'poisson',
  'kl_divergence',
];

/**
 * The metric a search optimizes and its direction (Keras Tuner's `Objective`).
 *
 * @example
 * new Objective('val_loss', 'min');
 * Objective.from('val_accuracy'); // direction 'max', inferred from the Keras metric name
 */
export class Objective {
  readonly name: string;
  readonly direction: Direction;

  constructor(name: string, direction: Direction) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ValueError(
        `Objective: name must be a non-empty string. Received: ${String(name)}.`,
      );
    }
    if (direction !== 'min' && direction !== 'max') {
      throw new ValueError(
        `Objective '${name}': direction must be 'min' or 'max'. Received: ${String(direction)}.`,
      );
    }
    this.name = name;
    this.direction = direction;
  }

  /** An Objective as given, or one named after a Keras metric with its direction inferred. */
  static from(spec: string | Objective): Objective {
    if (spec instanceof Objective) return spec;
    if (typeof spec !== 'string') {
      throw new ValueError(
        `Objective: expected a metric name or an Objective. Received: ${String(spec)}.`,
      );
    }
    const base = spec.replace(/^val_/, '').toLowerCase();
    if (MAXIMIZED.some((k) => base.includes(k))) return new Objective(spec, 'max');
    if (MINIMIZED.some((k) => base.includes(k))) return new Objective(spec, 'min');
    throw new ValueError(
      `Objective: cannot infer whether '${spec}' should be minimized or maximized. Pass new Objective('${spec}', 'min') or new Objective('${spec}', 'max').`,
    );
  }

  /** Whether `a` is strictly better than `b` (NaN is never better). */
  better(a: number, b: number): boolean {
    if (Number.isNaN(a)) return false;
    if (Number.isNaN(b)) return true;
    return this.direction === 'min' ? a < b : a > b;
  }

  /** Sign that turns the objective into a quantity to minimize. */
  get sign(): 1 | -1 {
    return this.direction === 'min' ? 1 : -1;
  }

  getConfig(): { name: string; direction: Direction } {
    return { name: this.name, direction: this.direction };
  }
}
