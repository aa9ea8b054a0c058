import * as tf from '@tensorflow/tfjs-core';
import { configToArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { ValueError } from '../../errors/errors.js';
import {
  type Config,
  type ConfigValue,
  deserializeKerasObject,
  type KerasObjectDict,
  registerKerasClass,
  serializeKerasObject,
} from '../../saving/registry.js';
import { RNN, type RNNCallArgs } from './rnn.js';

/** How the forward and backward outputs are combined; null returns both. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** Arguments of `Bidirectional`. */
export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run forwards (a fresh copy, named `forward_<name>`, is used). */
  layer: RNN | KerasObjectDict;
  /** @default 'concat' */
  mergeMode?: MergeMode;
  /** The layer run backwards; by default a copy of `layer` with `goBackwards` flipped, named `backward_<name>`. */
  backwardLayer?: RNN | KerasObjectDict | null;
}

const MERGE_MODES: MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

function withoutPrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** A fresh recurrent layer from `source`'s Keras dict, with config overrides. */
function recreate(
  source: RNN | KerasObjectDict,
  who: string,
  overrides: (config: Config) => Config,
): RNN {
  const dict = source instanceof RNN ? serializeKerasObject(source) : source;
  const made = deserializeKerasObject({ ...dict, config: overrides({ ...dict.config }) });
  if (!(made instanceof RNN))
    throw new ValueError(
      `${who}: expected a recurrent layer (RNN, LSTM, GRU, ...), received ${String(made)}.`,
    );
  return made;
}

/**
 * Runs a recurrent layer over the sequence in both directions and merges the two outputs. The
 * backward output sequence is flipped back to input order before merging, so step t of the result
 * sees the past (forward) and the future (backward) of step t. With `returnState`, the output is
 * `[merged, ...forwardStates, ...backwardStates]`. Weights: the forward layer's, then the backward's.
 *
 * @example
 * const bi = new Bidirectional({ layer: new LSTM({ units: 8, returnSequences: true }) });
 * const y = bi.apply(tf.randomNormal([2, 5, 3])); // [2, 5, 16]
 */
export class Bidirectional extends Layer {
  static override readonly className: string = 'Bidirectional';
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;

  constructor(args: BidirectionalArgs) {
    const { layer, mergeMode = 'concat', backwardLayer = null, ...layerArgs } = args;
    super(layerArgs);
    if (!MERGE_MODES.includes(mergeMode)) {
      throw new ValueError(
        `${this.who}: expected mergeMode one of 'concat', 'sum', 'mul', 'ave' or null, received mergeMode=${JSON.stringify(mergeMode)}.`,
      );
    }
    this.mergeMode = mergeMode;
    this.forwardLayer = recreate(layer, this.who, (c) => ({
      ...c,
      name: `forward_${withoutPrefix(String(c.name), 'forward_')}`,
    }));
    this.backwardLayer = backwardLayer
      ? recreate(backwardLayer, this.who, (c) => c)
      : recreate(layer, this.who, (c) => ({
          ...c,
          go_backwards: !c.go_backwards,
          name: `backward_${withoutPrefix(String(c.name), 'forward_')}`,
        }));
    const [f, b] = [this.forwardLayer, this.backwardLayer];
    if (f.goBackwards === b.goBackwards) {
      throw new ValueError(
        `${this.who}: the forward and backward layers must run in opposite directions (both have goBackwards=${f.goBackwards}).`,
      );
    }
    if (f.returnSequences !== b.returnSequences || f.returnState !== b.returnState) {
      throw new ValueError(
        `${this.who}: forward and backward layers must agree on returnSequences and returnState, received ${f.returnSequences}/${f.returnState} and ${b.returnSequences}/${b.returnState}.`,
      );
    }
    this.supportsMasking = true;
  }

  get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  get returnState(): boolean {
    return this.forwardLayer.returnState;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.forwardLayer.maybeBuild(shape);
    this.backwardLayer.maybeBuild(shape);
    // call() runs the wrapped layers' call directly, so their input check is this layer's.
    if (this.forwardLayer.inputSpec) this.inputSpec = this.forwardLayer.inputSpec;
    this.built = true;
  }

  private merge(y: tf.Tensor, yRev: tf.Tensor): tf.Tensor[] {
    switch (this.mergeMode) {
      case 'concat':
        return [tf.concat([y, yRev], -1)];
      case 'sum':
        return [tf.add(y, yRev)];
      case 'mul':
        return [tf.mul(y, yRev)];
      case 'ave':
        return [tf.mul(tf.add(y, yRev), 0.5)];
      default:
        return [y, yRev];
    }
  }

  /** `inputs` is the sequence, or `[sequence, ...forwardStates, ...backwardStates]`. */
  override call(inputs: tf.Tensor | tf.Tensor[], args: RNNCallArgs = {}): tf.Tensor | tf.Tensor[] {
    const [sequence, ...given] = Array.isArray(inputs) ? inputs : [inputs];
    if (!sequence)
      throw new ValueError(`${this.who}: expected a sequence input, received an empty list.`);
    const states =
      given.length > 0
        ? given
        : args.initialState === undefined
          ? []
          : ([] as tf.Tensor[]).concat(args.initialState);
    const half = states.length / 2;
    const common = {
      training: args.training ?? false,
      mask: Array.isArray(args.mask) ? (args.mask[0] ?? null) : (args.mask ?? null),
    };
    const forward = this.forwardLayer.call(sequence, {
      ...common,
      ...(half ? { initialState: states.slice(0, half) } : {}),
    });
    const backward = this.backwardLayer.call(sequence, {
      ...common,
      ...(half ? { initialState: states.slice(half) } : {}),
    });
    const [y, ...forwardStates] = ([] as tf.Tensor[]).concat(forward);
    const [yBack, ...backwardStates] = ([] as tf.Tensor[]).concat(backward);
    const yRev = this.returnSequences ? tf.reverse(yBack as tf.Tensor, 1) : (yBack as tf.Tensor);
    const merged = this.merge(y as tf.Tensor, yRev);
    if (this.returnState) return [...merged, ...forwardStates, ...backwardStates];
    return merged.length === 1 ? (merged[0] as tf.Tensor) : merged;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const forward = this.forwardLayer.computeOutputShape(shape);
    const [output, ...states] = (this.returnState ? forward : [forward]) as Shape[];
    const out = output as Shape;
    const backwardStates = this.returnState
      ? (this.backwardLayer.computeOutputShape(shape) as Shape[]).slice(1)
      : [];
    const last = out.at(-1) ?? null;
    const merged: Shape[] =
      this.mergeMode === null
        ? [out, out]
        : [[...out.slice(0, -1), this.mergeMode === 'concat' && last !== null ? 2 * last : last]];
    if (this.returnState) return [...merged, ...states, ...backwardStates];
    return merged.length === 1 ? (merged[0] as Shape) : merged;
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask | Mask[] {
    const first = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    const output = this.returnSequences ? first : null;
    const outputs = this.mergeMode === null ? [output, output] : [output];
    if (this.returnState) {
      return [
        ...outputs,
        ...this.forwardLayer.stateSize.map(() => null),
        ...this.backwardLayer.stateSize.map(() => null),
      ];
    }
    return outputs.length === 1 ? (outputs[0] as Mask) : outputs;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      merge_mode: this.mergeMode,
      layer: serializeKerasObject(this.forwardLayer) as unknown as ConfigValue,
      backward_layer: serializeKerasObject(this.backwardLayer) as unknown as ConfigValue,
    };
  }

  /** Rebuilds from a Keras config (keeps `merge_mode: null`, which the generic path would drop). */
  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    const args = configToArgs(config);
    if (config.merge_mode === null) args.mergeMode = null;
    return new this(args as never);
  }
}
registerKerasClass('keras.layers', Bidirectional);
