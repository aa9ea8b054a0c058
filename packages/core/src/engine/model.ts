import type * as tf from '@tensorflow/tfjs-core';
import { NotFoundError, NotImplementedError, ValueError } from '../errors/errors.js';
import { type Config, registerKerasClass, type SerializableClass } from '../saving/registry.js';
import { FunctionalGraph } from './functional.js';
import type { Shape } from './input-spec.js';
import { KerasTensor } from './keras-tensor.js';
import { type ApplyArgs, type CallArgs, Layer, type LayerArgs } from './layer.js';
import { uniqueName } from './naming.js';
import { summaryText } from './summary.js';
import type { TrainingMethods } from '../training/trainer.js';

/** Arguments of `new Model(...)`. With `inputs` and `outputs` the model is Functional. */
export interface ModelArgs extends LayerArgs {
  /** Model input(s): KerasTensors from `Input()`. */
  inputs?: KerasTensor | KerasTensor[];
  /** Model output(s): KerasTensors reached from the inputs through `layer.apply`. */
  outputs?: KerasTensor | KerasTensor[];
}

// compile/fit/evaluate/predict are installed on the prototype by training/trainer.ts; merging their
// types here (not with a `declare module` there) keeps them in the bundled .d.ts other packages see.
export interface Model extends TrainingMethods {}

/**
 * A Layer with training and saving APIs. `new Model({ inputs, outputs })` is a Functional model
 * (multiple inputs/outputs, shared layers, nested models); `class MyModel extends Model` with a
 * `call` override is a subclassed model, built on its first call, whose sublayer properties are
 * tracked automatically.
 *
 * @example
 * ```ts
 * const inputs = Input({ shape: [4] });
 * const outputs = new layers.Dense({ units: 2 }).apply(inputs);
 * const model = new Model({ inputs, outputs, name: 'tiny' });
 * model.summary();
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: TrainingMethods are installed on the prototype at module load.
export class Model extends Layer {
  static override readonly className: string = 'Model';
  /** Set by callbacks (EarlyStopping) to end `fit` after the current epoch. */
  stopTraining = false;
  protected _graph?: FunctionalGraph;

  constructor(args: ModelArgs = {}) {
    const { inputs, outputs, ...layerArgs } = args;
    if ((inputs === undefined) !== (outputs === undefined)) {
      throw new ValueError(
        `Model: pass both 'inputs' and 'outputs' for a Functional model, or neither for a subclassed model. Received ${inputs === undefined ? 'only outputs' : 'only inputs'}.`,
      );
    }
    if (layerArgs.name === undefined && inputs !== undefined && new.target === Model)
      layerArgs.name = uniqueName('functional');
    super(layerArgs);
    if (inputs !== undefined && outputs !== undefined) this.initGraph(inputs, outputs);
  }

  /** Sets the Functional graph (used by the constructor and by Sequential). */
  protected initGraph(
    inputs: KerasTensor | KerasTensor[],
    outputs: KerasTensor | KerasTensor[],
  ): void {
    this._graph = new FunctionalGraph(inputs, outputs, this.who);
    this.built = true;
    this.supportsMasking = true;
  }

  /** True for a Functional model (a layer graph), false for a subclassed one. */
  get isGraphNetwork(): boolean {
    return this._graph !== undefined;
  }

  override get className(): string {
    if (this._graph && this.constructor === Model) return 'Functional';
    return super.className;
  }

  /** A Functional model's build_config is `{ input_shape: null }`, as Keras writes it (its graph fixes the shapes). */
  override getBuildConfig(): Config | undefined {
    if (this._graph && this.constructor === Model) return { input_shape: null };
    return super.getBuildConfig();
  }

  /** The model's layers: the graph's (InputLayers included) for Functional models, else tracked sublayers. */
  get layers(): Layer[] {
    return this._graph ? [...this._graph.layers] : this.sublayers;
  }

  override get sublayers(): Layer[] {
    const tracked = super.sublayers;
    if (!this._graph) return tracked;
    const graphLayers = this._graph.layers;
    return [...graphLayers, ...tracked.filter((l) => !graphLayers.includes(l))];
  }

  /** Finds a layer by name (or by index into `layers`). */
  getLayer(nameOrIndex: string | number): Layer {
    const all = this.layers;
    if (typeof nameOrIndex === 'number') {
      const layer = all[nameOrIndex];
      if (!layer)
        throw new ValueError(
          `${this.who}: getLayer index ${nameOrIndex} is out of range; the model has ${all.length} layers.`,
        );
      return layer;
    }
    const layer = all.find((l) => l.name === nameOrIndex);
    if (!layer) {
      throw new NotFoundError(
        `${this.who}: no layer named '${nameOrIndex}'. Layers: ${all.map((l) => `'${l.name}'`).join(', ')}.`,
      );
    }
    return layer;
  }

  /** Symbolic inputs (Functional models). */
  get inputs(): KerasTensor[] {
    return this._graph ? [...this._graph.inputs] : [];
  }
  /** Symbolic outputs (Functional models). */
  get outputs(): KerasTensor[] {
    return this._graph ? [...this._graph.outputs] : [];
  }
  /** Names of the input layers. */
  get inputNames(): string[] {
    return this.inputs.map((t) => t.node?.layer.name ?? t.name);
  }
  /** Names of the layers producing the outputs. */
  get outputNames(): string[] {
    return this.outputs.map((t) => t.node?.layer.name ?? t.name);
  }

  /** Subclassed models build by running `call` on zeros of `inputShape`; Functional models are built. */
  override build(inputShape: Shape | Shape[]): void {
    if (this._graph || this.call === Model.prototype.call) return;
    const inputs =
      inputShape.length > 0 && Array.isArray(inputShape[0])
        ? (inputShape as Shape[]).map((s) => new KerasTensor(s))
        : new KerasTensor(inputShape as Shape);
    this.probe(inputs, {});
  }

  /** Runs the Functional graph (override it in subclassed models). */
  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs): tf.Tensor | tf.Tensor[] {
    if (!this._graph) {
      throw new NotImplementedError(
        `${this.who}: a Model without inputs/outputs must override call(inputs, args) (subclassed model), or be built with new Model({ inputs, outputs }).`,
      );
    }
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const runArgs: { training?: boolean; mask?: CallArgs['mask'] } = {};
    if (args.training !== undefined) runArgs.training = args.training;
    if (args.mask !== undefined) runArgs.mask = args.mask;
    const outs = this._graph.run(list, runArgs, this.who);
    return this._graph.outputsIsList ? outs : (outs[0] as tf.Tensor);
  }

  /** Functional models reuse their graph's output shapes when the input shapes agree. */
  protected override computeOutputSpec(
    inputs: KerasTensor | KerasTensor[],
    args: ApplyArgs,
  ): { outputs: { shape: Shape; dtype: tf.DataType }[]; isList: boolean } {
    const graph = this._graph;
    if (graph) {
      const given = Array.isArray(inputs) ? inputs : [inputs];
      const compatible =
        given.length === graph.inputs.length &&
        given.every((t, i) => {
          const expected = (graph.inputs[i] as KerasTensor).shape;
          return (
            t.shape.length === expected.length &&
            t.shape.every(
              (d, j) => d === expected[j] || expected[j] === null || (j === 0 && d === null),
            )
          );
        });
      if (compatible) {
        return {
          outputs: graph.outputs.map((o) => ({
            shape: [given[0]?.shape[0] ?? null, ...o.shape.slice(1)],
            dtype: o.dtype,
          })),
          isList: graph.outputsIsList,
        };
      }
    }
    return super.computeOutputSpec(inputs, args);
  }

  /** Prints a Keras-style table: layer (type), output shape, params (+ connections), and totals. */
  summary(printFn: (text: string) => void = console.log, lineLength?: number): void {
    printFn(summaryText(this, lineLength));
  }

  /** Saves the model as a Keras 3 `.keras` archive (or `{ format: 'tfjs' }`); see `saving.saveModel`. */
  async save(
    path: string,
    options?: import('../saving/keras-file.js').SaveModelOptions,
  ): Promise<void> {
    const { saveModel } = await import('../saving/load-model.js');
    await saveModel(this, path, options);
  }

  /** Saves the weights as a Keras 3 `.weights.h5` file; see `saving.saveWeights`. */
  async saveWeights(path: string): Promise<void> {
    const { saveWeights } = await import('../saving/keras-file.js');
    await saveWeights(this, path);
  }

  /** Loads weights (`.weights.h5`, `.keras`, Keras 2 `.h5`); see `saving.loadWeights`. */
  async loadWeights(
    path: string,
    options?: import('../saving/weights-h5.js').LoadWeightsOptions,
  ): Promise<import('../saving/weights-h5.js').LoadWeightsReport> {
    const { loadWeights } = await import('../saving/keras-file.js');
    return loadWeights(this, path, options);
  }

  /** Keras config: Functional models write their layer graph; subclassed models the base fields. */
  override getConfig(): Config {
    if (this._graph) return this._graph.getConfig(this.name, this.trainable);
    return super.getConfig();
  }

  /** Rebuilds a Functional model from a Keras 3 config (`layers`, `input_layers`, `output_layers`). */
  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: Config,
    customObjects?: Record<string, SerializableClass>,
  ): T {
    if (!Array.isArray(config.layers)) {
      return new this({
        ...(typeof config.name === 'string' ? { name: config.name } : {}),
      } as never);
    }
    const { inputs, outputs, name, trainable } = FunctionalGraph.fromConfig(config, customObjects);
    const args: ModelArgs = { inputs, outputs };
    if (name !== undefined) args.name = name;
    if (trainable !== undefined) args.trainable = trainable;
    const model = new this(args as never);
    if (trainable === false) model.trainable = false;
    return model;
  }
}

registerKerasClass('keras.src.models.functional', Model as unknown as SerializableClass, [
  'Functional',
]);
