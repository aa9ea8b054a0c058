import { ValueError } from '@cornu/core';
import type { HyperParameterValue } from '../engine/hyperparameters.js';
import { Oracle, type OracleArgs, type Population } from '../engine/oracle.js';
import type { Trial } from '../engine/trial.js';

/** Arguments of `HyperbandOracle`. */
export interface HyperbandOracleArgs extends OracleArgs {
  /** Epochs the longest-trained models get. @default 100 */
  maxEpochs?: number;
  /** Reduction factor between rounds (keep 1/factor, train factor times longer). @default 3 */
  factor?: number;
  /** Full Hyperband iterations (each runs every bracket once). @default 1 */
  hyperbandIterations?: number;
}

interface RoundEntry {
  id: string;
  pastId?: string;
}

interface Bracket {
  bracketNum: number;
  rounds: RoundEntry[][];
}

const FINISHED = new Set(['COMPLETED', 'FAILED', 'INVALID']);

/**
 * Hyperband (Li et al. 2018, as Keras Tuner's `HyperbandOracle`). Each bracket starts many random
 * configurations for a few epochs and promotes the best `1/factor` of each round to a round
 * `factor` times longer; brackets go from most aggressive to plain random search. A promoted
 * trial's values carry `tuner/trial_id` (the trial it continues, whose checkpoint the tuner loads:
 * warm starting), `tuner/epochs`, `tuner/initial_epoch`, `tuner/bracket` and `tuner/round`.
 */
export class HyperbandOracle extends Oracle {
  readonly maxEpochs: number;
  readonly factor: number;
  readonly hyperbandIterations: number;
  readonly minEpochs = 1;
  #brackets: Bracket[] = [];
  #currentBracket: number;
  #currentIteration = 0;

  constructor(args: HyperbandOracleArgs = {}) {
    super({ maxTrials: Number.POSITIVE_INFINITY, ...args });
    const { maxEpochs = 100, factor = 3, hyperbandIterations = 1 } = args;
    if (!Number.isInteger(maxEpochs) || maxEpochs < 1) {
      throw new ValueError(
        `HyperbandOracle: maxEpochs must be an integer >= 1. Received: ${maxEpochs}.`,
      );
    }
    if (!Number.isInteger(factor) || factor < 2) {
      throw new ValueError(`HyperbandOracle: factor must be an integer >= 2. Received: ${factor}.`);
    }
    if (!Number.isInteger(hyperbandIterations) || hyperbandIterations < 1) {
      throw new ValueError(
        `HyperbandOracle: hyperbandIterations must be an integer >= 1. Received: ${hyperbandIterations}.`,
      );
    }
    this.maxEpochs = maxEpochs;
    this.factor = factor;
    this.hyperbandIterations = hyperbandIterations;
    this.#currentBracket = this.numBrackets - 1;
  }

  /** Brackets per iteration: how many times maxEpochs divides by factor down to 1 epoch, plus one. */
  get numBrackets(): number {
    let epochs = this.maxEpochs;
    let brackets = 0;
    while (epochs >= this.minEpochs) {
      epochs /= this.factor;
      brackets++;
    }
    return brackets;
  }

  /** Trials in round `round` of bracket `bracket` (brackets cost about the same). */
  getSize(bracket: number, round: number): number {
    const bracket0EndSize = Math.ceil(1 + Math.log(this.maxEpochs) / Math.log(this.factor) - 1e-9);
    const bracketEndSize = bracket0EndSize / (bracket + 1);
    return Math.ceil(bracketEndSize * this.factor ** (bracket - round) - 1e-9);
  }

  /** Epochs a model has been trained for at the end of round `round` of bracket `bracket`. */
  getEpochs(bracket: number, round: number): number {
    return Math.ceil(this.maxEpochs / this.factor ** (bracket - round) - 1e-9);
  }

  #trial(id: string): Trial | undefined {
    return this.trials.get(id);
  }

  #promotable(bracket: Bracket, round: number): Trial[] {
    const selected = new Set(bracket.rounds[round]!.map((e) => e.pastId));
    return bracket.rounds[round - 1]!.filter((e) => !selected.has(e.id))
      .map((e) => this.#trial(e.id))
      .filter((t): t is Trial => t !== undefined && t.status === 'COMPLETED' && t.score !== null);
  }

  #bracketDone(bracket: Bracket): boolean {
    const all = bracket.rounds.flat();
    if (!all.every((e) => FINISHED.has(this.#trial(e.id)?.status ?? ''))) return false;
    if (bracket.rounds[0]!.length < this.getSize(bracket.bracketNum, 0)) return false;
    for (let r = 1; r < bracket.rounds.length; r++) {
      if (
        bracket.rounds[r]!.length < this.getSize(bracket.bracketNum, r) &&
        this.#promotable(bracket, r).length > 0
      ) {
        return false;
      }
    }
    return true;
  }

  #randomTrial(bracket: Bracket, trialId: string, index: number): Population {
    const values = this.randomValues(this.rngFor(index));
    if (values === null) return { status: 'STOPPED' };
    bracket.rounds[0]!.push({ id: trialId });
    return {
      status: 'RUNNING',
      values: {
        ...values,
        'tuner/epochs': this.getEpochs(bracket.bracketNum, 0),
        'tuner/initial_epoch': 0,
        'tuner/bracket': bracket.bracketNum,
        'tuner/round': 0,
      },
    };
  }

  protected populateSpace(trialId: string, index: number): Population {
    this.#brackets = this.#brackets.filter((b) => !this.#bracketDone(b));
    for (const bracket of this.#brackets) {
      if (bracket.rounds[0]!.length < this.getSize(bracket.bracketNum, 0)) {
        return this.#randomTrial(bracket, trialId, index);
      }
    }
    for (const bracket of this.#brackets) {
      const b = bracket.bracketNum;
      for (let r = 1; r < bracket.rounds.length; r++) {
        const round = bracket.rounds[r]!;
        const size = this.getSize(b, r);
        if (round.length >= size) continue;
        const past = bracket.rounds[r - 1]!;
        const candidates = this.#promotable(bracket, r);
        if (candidates.length === 0) continue;
        const unfinished = past.filter(
          (e) => !FINISHED.has(this.#trial(e.id)?.status ?? ''),
        ).length;
        // Promote once the unfinished trials could no longer push this candidate out of the top.
        if (candidates.length <= this.getSize(b, r - 1) - size - round.length && unfinished > 0)
          continue;
        const best = candidates.sort((x, y) => (x.score! - y.score!) * this.objective.sign)[0]!;
        round.push({ id: trialId, pastId: best.trialId });
        const values: Record<string, HyperParameterValue> = {
          ...best.hyperparameters.values,
          'tuner/trial_id': best.trialId,
          'tuner/epochs': this.getEpochs(b, r),
          'tuner/initial_epoch': this.getEpochs(b, r - 1),
          'tuner/bracket': b,
          'tuner/round': r,
        };
        return { status: 'RUNNING', values };
      }
    }
    if (this.#brackets.length > 0) return { status: 'IDLE' };
    if (this.#currentIteration >= this.hyperbandIterations) return { status: 'STOPPED' };
    const bracket: Bracket = {
      bracketNum: this.#currentBracket,
      rounds: Array.from({ length: this.#currentBracket + 1 }, () => []),
    };
    this.#brackets.push(bracket);
    this.#currentBracket--;
    if (this.#currentBracket < 0) {
      this.#currentBracket = this.numBrackets - 1;
      this.#currentIteration++;
    }
    return this.#randomTrial(bracket, trialId, index);
  }

  protected override getExtraState(): Record<string, unknown> {
    return {
      brackets: this.#brackets,
      currentBracket: this.#currentBracket,
      currentIteration: this.#currentIteration,
    };
  }

  protected override setExtraState(state: Record<string, unknown>): void {
    this.#brackets = (state.brackets as Bracket[] | undefined) ?? [];
    this.#currentBracket = (state.currentBracket as number | undefined) ?? this.numBrackets - 1;
    this.#currentIteration = (state.currentIteration as number | undefined) ?? 0;
  }
}
