import { type CallArgs, Layer, type LayerArgs, tf, utils, ValueError, saving } from '@cornu/core';
import { checkPositiveInt, checkRate, type TokenInput, toRows } from './ragged.js';

type LayerConfig = ReturnType<Layer['getConfig']>;

export interface MaskedLMMaskGeneratorArgs extends Omit<LayerArgs, 'dtype'> {
  /** Size of the vocabulary random replacement ids are drawn from. */
  vocabularySize: number;
  /** Fraction of the selectable tokens of each sequence chosen for prediction (rounded up). */
  maskSelectionRate: number;
  /** Id of the mask token. */
  maskTokenId: number;
  /** At most this many selections per sequence; outputs are padded to this length. @default null (no limit; padded to the batch's longest) */
  maskSelectionLength?: number | null;
  /** Ids never selected (padding, `[CLS]`, `[SEP]`). @default [0] */
  unselectableTokenIds?: number[];
  /** Chance that a selected token becomes `maskTokenId`. @default 0.8 */
  maskTokenRate?: number;
  /** Chance that a selected token becomes a random id (else it is kept). @default 0.1 */
  randomTokenRate?: number;
  /** Seed of the generator's random stream (two generators with one seed mask identically). @default a fresh seed from core's `utils.nextSeed()` */
  seed?: number;
}

/** `MaskedLMMaskGenerator` output: all int32 tensors except the float32 `maskWeights`. */
export interface MaskedLMOutput {
  /** The ids with the selected positions replaced. */
  tokenIds: tf.Tensor;
  /** Selected positions in each sequence, ascending, padded with 0. */
  maskPositions: tf.Tensor;
  /** The original ids at `maskPositions` (the prediction targets), padded with 0. */
  maskIds: tf.Tensor;
  /** 1 for a real selection, 0 for padding. */
  maskWeights: tf.Tensor;
}

/**
 * Chooses tokens for masked language modelling (KerasHub `MaskedLMMaskGenerator`, BERT's recipe):
 * in each sequence `ceil(rate x selectable)` tokens (at most `maskSelectionLength`) are picked at
 * random among those not in `unselectableTokenIds`; each becomes the mask token with
 * `maskTokenRate`, a random id with `randomTokenRate`, and stays unchanged otherwise.
 * Seeded: a generator's draws follow its `seed`.
 */
export class MaskedLMMaskGenerator extends Layer {
  static override readonly className: string = 'MaskedLMMaskGenerator';
  readonly vocabularySize: number;
  readonly maskSelectionRate: number;
  readonly maskTokenId: number;
  readonly maskSelectionLength: number | null;
  readonly unselectableTokenIds: number[];
  readonly maskTokenRate: number;
  readonly randomTokenRate: number;
  readonly seed: number;
  private readonly rng: () => number;

  constructor(args: MaskedLMMaskGeneratorArgs) {
    const {
      vocabularySize,
      maskSelectionRate,
      maskTokenId,
      maskSelectionLength = null,
      unselectableTokenIds = [0],
      maskTokenRate = 0.8,
      randomTokenRate = 0.1,
      seed = utils.nextSeed(),
      ...base
    } = args;
    super({ ...base, dtype: 'int32' });
    checkPositiveInt(this.who, 'vocabularySize', vocabularySize);
    checkRate(this.who, 'maskSelectionRate', maskSelectionRate);
    checkRate(this.who, 'maskTokenRate', maskTokenRate);
    checkRate(this.who, 'randomTokenRate', randomTokenRate);
    if (maskTokenRate + randomTokenRate > 1) {
      throw new ValueError(
        `${this.who}: maskTokenRate + randomTokenRate must be at most 1. Received: ${maskTokenRate} + ${randomTokenRate}.`,
      );
    }
    if (!Number.isInteger(maskTokenId) || maskTokenId < 0 || maskTokenId >= vocabularySize) {
      throw new ValueError(
        `${this.who}: maskTokenId must be an id in [0, ${vocabularySize}). Received: maskTokenId=${maskTokenId}.`,
      );
    }
    if (maskSelectionLength !== null)
      checkPositiveInt(this.who, 'maskSelectionLength', maskSelectionLength);
    this.vocabularySize = vocabularySize;
    this.maskSelectionRate = maskSelectionRate;
    this.maskTokenId = maskTokenId;
    this.maskSelectionLength = maskSelectionLength;
    this.unselectableTokenIds = [...unselectableTokenIds];
    this.maskTokenRate = maskTokenRate;
    this.randomTokenRate = randomTokenRate;
    this.seed = seed;
    this.rng = utils.createRng(seed);
  }

  /** Masks a sequence or a batch of equal-length sequences. */
  generate(input: TokenInput): MaskedLMOutput {
    const { rows, batched } = toRows(input, this.who);
    const width = rows[0]?.length ?? 0;
    if (rows.some((r) => r.length !== width)) {
      throw new ValueError(
        `${this.who}: expected sequences of one length (pack them first, e.g. with StartEndPacker); received lengths [${rows.map((r) => r.length).join(', ')}].`,
      );
    }
    const blocked = new Set(this.unselectableTokenIds);
    const limit = this.maskSelectionLength ?? Number.POSITIVE_INFINITY;
    const outIds: number[][] = [];
    const positions: number[][] = [];
    const targets: number[][] = [];
    for (const row of rows) {
      const selectable: number[] = [];
      row.forEach((id, i) => {
        if (!blocked.has(id)) selectable.push(i);
      });
      const count = Math.min(Math.ceil(selectable.length * this.maskSelectionRate), limit);
      // Partial Fisher-Yates: the first `count` entries become a uniform random subset.
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(this.rng() * (selectable.length - i));
        [selectable[i], selectable[j]] = [selectable[j] as number, selectable[i] as number];
      }
      const chosen = selectable.slice(0, count).sort((a, b) => a - b);
      const ids = [...row];
      for (const p of chosen) {
        const u = this.rng();
        if (u < this.maskTokenRate) ids[p] = this.maskTokenId;
        else if (u < this.maskTokenRate + this.randomTokenRate)
          ids[p] = Math.floor(this.rng() * this.vocabularySize);
      }
      outIds.push(ids);
      positions.push(chosen);
      targets.push(chosen.map((p) => row[p] as number));
    }
    const length = this.maskSelectionLength ?? Math.max(0, ...positions.map((p) => p.length));
    const pad = (r: number[]) => [...r, ...new Array<number>(length - r.length).fill(0)];
    const weights = positions.map((p) => pad(p.map(() => 1)));
    const make = (data: number[][], dtype: 'int32' | 'float32', w: number) =>
      batched
        ? tf.tensor2d(data.flat(), [data.length, w], dtype)
        : tf.tensor1d(data[0] ?? [], dtype);
    return {
      tokenIds: make(outIds, 'int32', width),
      maskPositions: make(positions.map(pad), 'int32', length),
      maskIds: make(targets.map(pad), 'int32', length),
      maskWeights: make(weights, 'float32', length),
    };
  }

  /** Layer entry point: `[tokenIds, maskPositions, maskIds, maskWeights]`. */
  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor[] {
    if (Array.isArray(inputs)) {
      throw new ValueError(
        `${this.who}: expected one tensor of token ids, received a list of ${inputs.length}.`,
      );
    }
    const out = this.generate(inputs);
    return [out.tokenIds, out.maskPositions, out.maskIds, out.maskWeights];
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      vocabulary_size: this.vocabularySize,
      mask_selection_rate: this.maskSelectionRate,
      mask_token_id: this.maskTokenId,
      mask_selection_length: this.maskSelectionLength,
      unselectable_token_ids: this.unselectableTokenIds,
      mask_token_rate: this.maskTokenRate,
      random_token_rate: this.randomTokenRate,
      seed: this.seed,
    };
  }
}

saving.registerSerializable('keras_hub')(MaskedLMMaskGenerator);
