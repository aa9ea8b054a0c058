import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import {
  type Config,
  type ConfigValue,
  deserializeKerasObject,
  type KerasObjectDict,
  registerKerasClass,
  type SerializableClass,
  serializeKerasObject,
} from '../saving/registry.js';
import { InputLayer } from './input-layer.js';
import type { Shape } from './input-spec.js';
import { isKerasTensor, type KerasTensor } from './keras-tensor.js';
import type { ApplyArgs, CallArgs, Layer, LayerArgs } from './layer.js';
import { getMask, type Mask } from './mask.js';
import { Model } from './model.js';
import { withNameScope } from './name-scope.js';
import { uniqueName } from './naming.js';

/** Arguments of `new Sequential(...)`. */
export interface SequentialArgs extends LayerArgs {
  /** Initial layers (an `Input()` tensor or `InputLayer` first fixes the input shape). @default [] */
  layers?: (Layer | KerasTensor)[];
}

/**
 * A plain stack of single-input, single-output layers. With a known input shape (an `InputLayer`
 * first, or `inputShape` on the first layer) it is a Functional graph at once; otherwise it builds
 * on its first call or on `build(inputShape)`.
 *
 * @example
 * ```ts
 * const model = new Sequential([new layers.Dense({ units: 8, inputShape: [4], activation: 'relu' }), new layers.Dense({ units: 1 })]);
 * ```
 */
export class Sequential extends Model {
  static override readonly className = 'Sequential';
  private _sequentialLayers: Layer[] = [];
  private _inputLayer?: InputLayer;

  constructor(args: SequentialArgs | (Layer | KerasTensor)[] = {}) {
    const { layers = [], ...rest } = Array.isArray(args) ? { layers: args } : args;
    super({ ...rest, name: rest.name ?? uniqueName('sequential') });
    for (const layer of layers) this.add(layer, false);
    this.rebuild();
  }

  /** The layers, without the InputLayer. */
  override get layers(): Layer[] {
    return [...this._sequentialLayers];
  }

  override get sublayers(): Layer[] {
    return this.layers;
  }

  /** Appends a layer (or an `Input()` tensor / `InputLayer` to fix the input shape). */
  add(layer: Layer | KerasTensor, rebuild = true): void {
    if (isKerasTensor(layer)) {
      const source = layer.node?.layer;
      if (!(source instanceof InputLayer)) {
        throw new ValueError(
          `${this.who}: add() accepts a layer or an Input() tensor, received a KerasTensor produced by '${source?.name}'.`,
        );
      }
      layer = source;
    }
    if (layer instanceof InputLayer) {
      if (this._inputLayer || this._sequentialLayers.length > 0) {
        throw new ValueError(
          `${this.who}: an InputLayer can only be added first; the model already has ${this._inputLayer ? 'an input' : 'layers'}.`,
        );
      }
      this._inputLayer = layer;
    } else {
      if (this._sequentialLayers.some((l) => l.name === layer.name)) {
        throw new ValueError(
          `${this.who}: all layers added to a Sequential model must have unique names; '${layer.name}' is already in the model.`,
        );
      }
      if (!this._inputLayer && this._sequentialLayers.length === 0 && layer.batchInputShape) {
        this._inputLayer = new InputLayer({
          batchShape: layer.batchInputShape,
          dtype: layer.dtype,
        });
      }
      this._sequentialLayers.push(layer);
    }
    if (rebuild) this.rebuild();
  }

  /** Removes the last layer and returns it. */
  pop(): Layer {
    const layer = this._sequentialLayers.pop();
    if (!layer) throw new ValueError(`${this.who}: pop() on an empty Sequential model.`);
    this.rebuild();
    return layer;
  }

  /** Rebuilds the graph from the input layer through every layer (when the input shape is known). */
  private rebuild(): void {
    this._graph = undefined;
    if (!this._inputLayer) {
      this.built = false;
      return;
    }
    if (this._sequentialLayers.length === 0) {
      this.built = true;
      return;
    }
    // Built in this model's name scope, as Keras's Sequential.build is: 'sequential/dense/kernel'.
    const output = withNameScope(this, () => {
      let x: KerasTensor = (this._inputLayer as InputLayer).output;
      for (const layer of this._sequentialLayers) {
        const out = layer.apply(x);
        if (Array.isArray(out)) {
          throw new ValueError(
            `${this.who}: layers in a Sequential model must have one output; '${layer.name}' returned ${out.length}. Fix: use the Functional API.`,
          );
        }
        x = out;
      }
      return x;
    });
    this.initGraph(this._inputLayer.output, output);
  }

  /** Builds with a known input shape (the batch dimension is left free). */
  override build(inputShape: Shape | Shape[]): void {
    if (this._graph) return;
    if (inputShape.length > 0 && Array.isArray(inputShape[0])) {
      throw new ValueError(
        `${this.who}: Sequential models take one input, received input shapes ${JSON.stringify(inputShape)}.`,
      );
    }
    if (!this._inputLayer)
      this._inputLayer = new InputLayer({ batchShape: [null, ...(inputShape as Shape).slice(1)] });
    this.rebuild();
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs): tf.Tensor | tf.Tensor[] {
    if (this._graph) return super.call(inputs, args);
    let x = inputs;
    let mask = args.mask as Mask | undefined;
    for (const layer of this._sequentialLayers) {
      const layerArgs: CallArgs = { ...args };
      if (mask) layerArgs.mask = mask;
      else delete layerArgs.mask;
      x = layer.apply(x, layerArgs as ApplyArgs) as tf.Tensor | tf.Tensor[];
      mask = Array.isArray(x) ? undefined : (getMask(x) ?? undefined);
    }
    return x;
  }

  override getConfig(): Config {
    const layers: ConfigValue[] = [];
    if (this._inputLayer) layers.push(serializeKerasObject(this._inputLayer) as ConfigValue);
    for (const layer of this._sequentialLayers)
      layers.push(serializeKerasObject(layer) as ConfigValue);
    const config: Config = {
      name: this.name,
      trainable: this.trainable,
      dtype: {
        module: 'keras',
        class_name: 'DTypePolicy',
        config: { name: this.dtype },
        registered_name: null,
      },
      layers,
    };
    if (this._inputLayer) config.build_input_shape = this._inputLayer.batchShape as ConfigValue;
    return config;
  }

  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config,
    customObjects?: Record<string, SerializableClass>,
  ): T {
    const args: SequentialArgs = {};
    if (typeof config.name === 'string') args.name = config.name;
    const model = new this(args as never) as unknown as Sequential;
    for (const dict of (config.layers ?? []) as unknown as KerasObjectDict[]) {
      model.add(deserializeKerasObject<Layer>(dict, customObjects), false);
    }
    model.rebuild();
    const buildShape = config.build_input_shape as Shape | null | undefined;
    if (!model.built && buildShape) model.build(buildShape);
    if (config.trainable === false) model.trainable = false;
    return model as unknown as T;
  }
}

registerKerasClass('keras', Sequential as unknown as SerializableClass);
