import type { HyperParameterValue } from '../engine/hyperparameters.js';
import { Oracle, type OracleArgs, type Population } from '../engine/oracle.js';

/**
 * Grid search (Keras Tuner's `GridSearchOracle`): every combination of the hyperparameters' grid
 * values (`gridValues()`: every Int, Choice and Boolean value, the step grid of a Float, or 10
 * points of a Float without step), in order, the last registered one changing fastest.
 * Combinations that differ only in inactive conditional hyperparameters run once. Stops when the
 * grid is exhausted or after `maxTrials`.
 */
export class GridSearchOracle extends Oracle {
  #cursor = 0;

  constructor(args: OracleArgs = {}) {
    super({ maxTrials: Number.POSITIVE_INFINITY, ...args });
  }

  protected populateSpace(): Population {
    const space = this.hyperparameters.space;
    const grids = space.map((p) => p.gridValues());
    const total = grids.reduce((n, g) => n * g.length, 1);
    while (this.#cursor < total) {
      let rest = this.#cursor++;
      const values: Record<string, HyperParameterValue> = { ...this.hyperparameters.values };
      for (let i = space.length - 1; i >= 0; i--) {
        const grid = grids[i]!;
        values[space[i]!.name] = grid[rest % grid.length]!;
        rest = Math.floor(rest / grid.length);
      }
      const hp = this.hyperparameters.copy();
      hp.values = values;
      for (const param of space) {
        if (!hp.isActive(param)) values[param.name] = param.default;
      }
      if (!this.tried.has(this.key(values))) return { status: 'RUNNING', values };
    }
    return { status: 'STOPPED' };
  }

  /**
   * New hyperparameters registered by the first trial restart the enumeration; combinations
   * already tried are skipped.
   */
  override updateSpace(hp: Parameters<Oracle['updateSpace']>[0]): void {
    const before = this.hyperparameters.space.length;
    super.updateSpace(hp);
    if (this.hyperparameters.space.length !== before) this.#cursor = 0;
  }

  protected override getExtraState(): Record<string, unknown> {
    return { cursor: this.#cursor };
  }

  protected override setExtraState(state: Record<string, unknown>): void {
    this.#cursor = (state.cursor as number | undefined) ?? 0;
  }
}
