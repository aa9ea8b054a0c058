import {
  type CallArgs,
  Layer,
  type LayerArgs,
  type Shape,
  saving,
  tf,
  utils,
  ValueError,
} from '@cornu/core';

type Config = ReturnType<Layer['getConfig']>;

/** Arguments of `RandomChoice`. */
export interface RandomChoiceArgs extends LayerArgs {
  /** The candidate transforms; each must keep the input's shape. */
  layers: Layer[];
  /** Seed of the per-sample choices; without it, `utils.nextSeed()` (the global seed). */
  seed?: number | null;
}

/**
 * Applies, to each sample of a batch, one of `layers` picked uniformly at random (the per-sample
 * selection of KerasTuner's RandAugment-style `HyperImageAugment`). Active only with
 * `training: true`; at inference it passes its input through, like the augmentation layers it holds.
 */
export class RandomChoice extends Layer {
  static override readonly className = 'RandomChoice';
  readonly choices: Layer[];
  readonly seed: number | null;
  readonly #rng: () => number;

  constructor(args: RandomChoiceArgs) {
    super(args);
    const { layers, seed = null } = args;
    if (!Array.isArray(layers) || layers.length === 0 || !layers.every((l) => l instanceof Layer)) {
      throw new ValueError(
        `RandomChoice: layers must be a non-empty array of layers. Received: ${Array.isArray(layers) ? `an array of ${layers.length}` : String(layers)}.`,
      );
    }
    if (seed !== null && (!Number.isInteger(seed) || seed < 0))
      throw new ValueError(
        `RandomChoice: seed must be a non-negative integer or null. Received: ${String(seed)}.`,
      );
    this.choices = [...layers];
    this.seed = seed;
    this.#rng = utils.createRng(seed ?? utils.nextSeed());
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (!args.training) return tf.clone(x);
    const n = x.shape[0] as number;
    const picks = Array.from({ length: n }, () =>
      Math.min(this.choices.length - 1, Math.floor(this.#rng() * this.choices.length)),
    );
    return tf.tidy(() => {
      const selection = tf.reshape(tf.tensor1d(picks, 'int32'), [
        n,
        ...x.shape.slice(1).map(() => 1),
      ]);
      let out = x;
      this.choices.forEach((layer, i) => {
        if (!picks.includes(i)) return; // no sample picked it: skip the work
        const transformed = layer.apply(x, { training: true }) as tf.Tensor;
        out = tf.where(tf.broadcastTo(tf.equal(selection, i), x.shape), transformed, out);
      });
      return out === x ? tf.clone(x) : out;
    });
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      layers: this.choices.map((l) => saving.serializeKerasObject(l)) as unknown as Config[string],
      seed: this.seed,
    };
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    const { layers, seed, ...rest } = config;
    const base = { name: rest.name as string, trainable: rest.trainable as boolean };
    return new this({
      ...base,
      layers: (layers as unknown as Parameters<typeof saving.deserializeKerasObject>[0][]).map(
        (d) => saving.deserializeKerasObject<Layer>(d),
      ),
      seed: (seed as number | null) ?? null,
    } as never);
  }
}
saving.registerSerializable('cornu_tuner')(RandomChoice as never);
