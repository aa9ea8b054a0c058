import {
  type CompileArgs,
  type FitArgs,
  type Layer,
  layers,
  type Model,
  optimizers,
  Sequential,
  ValueError,
} from '@cornu/core';
import { type FitData, type FitResult, fitModel, HyperModel } from '../engine/hypermodel.js';
import type { HyperParameters } from '../engine/hyperparameters.js';

/** Arguments of `HyperMLP`. */
export interface HyperMLPArgs {
  /** Features per sample. */
  inputDim: number;
  /**
   * 'classification' (softmax over `numClasses`, or one sigmoid unit for 2) or 'regression'.
   * @default 'classification'
   */
  task?: 'classification' | 'regression';
  /** Classes, for classification (labels are integer class ids). */
  numClasses?: number;
  /** Outputs, for regression. @default 1 */
  outputDim?: number;
  /** Most hidden layers searched. @default 3 */
  maxLayers?: number;
  /** Batch sizes searched by `fit`. @default [16, 32, 64, 128] */
  batchSizes?: number[];
  /** @default 'hyper_mlp' */
  name?: string;
}

/**
 * A tunable multilayer perceptron for structured (tabular) data: the number of hidden layers,
 * each layer's units, the activation, dropout, batch normalization, the Adam learning rate and the
 * batch size are hyperparameters. Units of layer `i` are active only when there are more than `i`
 * layers.
 *
 * Search space: `num_layers` Int 1..maxLayers; `units_<i>` Int 16..512 step 16 (default 64);
 * `activation` Choice relu/tanh/gelu; `dropout` Float 0..0.5 step 0.1; `batch_norm` Boolean;
 * `learning_rate` Float 1e-4..1e-2 log (default 1e-3); `batch_size` Choice of `batchSizes`.
 */
export class HyperMLP extends HyperModel {
  readonly inputDim: number;
  readonly task: 'classification' | 'regression';
  readonly numClasses: number | undefined;
  readonly outputDim: number;
  readonly maxLayers: number;
  readonly batchSizes: number[];

  constructor(args: HyperMLPArgs) {
    const {
      inputDim,
      task = 'classification',
      numClasses,
      outputDim = 1,
      maxLayers = 3,
      batchSizes = [16, 32, 64, 128],
      name = 'hyper_mlp',
    } = args;
    super({ name });
    if (!Number.isInteger(inputDim) || inputDim < 1) {
      throw new ValueError(`HyperMLP: inputDim must be a positive integer. Received: ${inputDim}.`);
    }
    if (task !== 'classification' && task !== 'regression') {
      throw new ValueError(
        `HyperMLP: task must be 'classification' or 'regression'. Received: ${String(task)}.`,
      );
    }
    if (task === 'classification' && !(Number.isInteger(numClasses) && (numClasses ?? 0) >= 2)) {
      throw new ValueError(
        `HyperMLP: classification needs numClasses >= 2. Received: ${String(numClasses)}.`,
      );
    }
    if (!Number.isInteger(maxLayers) || maxLayers < 1) {
      throw new ValueError(`HyperMLP: maxLayers must be an integer >= 1. Received: ${maxLayers}.`);
    }
    if (batchSizes.length === 0 || !batchSizes.every((b) => Number.isInteger(b) && b > 0)) {
      throw new ValueError(
        `HyperMLP: batchSizes must be positive integers. Received: ${JSON.stringify(batchSizes)}.`,
      );
    }
    this.inputDim = inputDim;
    this.task = task;
    this.numClasses = numClasses;
    this.outputDim = outputDim;
    this.maxLayers = maxLayers;
    this.batchSizes = batchSizes;
  }

  override build(hp: HyperParameters): Model {
    const numLayers = hp.Int('num_layers', 1, this.maxLayers);
    const activation = hp.Choice('activation', ['relu', 'tanh', 'gelu']);
    const dropout = hp.Float('dropout', 0, 0.5, { step: 0.1 });
    const batchNorm = hp.Boolean('batch_norm');
    const hidden: Layer[] = [];
    for (let i = 0; i < this.maxLayers; i++) {
      const deeper = Array.from({ length: this.maxLayers - i }, (_, k) => i + 1 + k);
      const units = hp.Int(`units_${i}`, 16, 512, {
        step: 16,
        default: 64,
        parentName: 'num_layers',
        parentValues: deeper,
      });
      if (i >= numLayers) continue;
      hidden.push(
        new layers.Dense({
          units,
          activation: batchNorm ? undefined : activation,
          ...(i === 0 ? { inputShape: [this.inputDim] } : {}),
        }),
      );
      if (batchNorm)
        hidden.push(new layers.BatchNormalization(), new layers.Activation({ activation }));
      if (dropout > 0) hidden.push(new layers.Dropout({ rate: dropout }));
    }
    const learningRate = hp.Float('learning_rate', 1e-4, 1e-2, { sampling: 'log', default: 1e-3 });
    let head: Layer;
    let compileArgs: Omit<CompileArgs, 'optimizer'>;
    if (this.task === 'regression') {
      head = new layers.Dense({ units: this.outputDim });
      compileArgs = { loss: 'meanSquaredError', metrics: ['meanAbsoluteError'] };
    } else if (this.numClasses === 2) {
      head = new layers.Dense({ units: 1, activation: 'sigmoid' });
      compileArgs = { loss: 'binaryCrossentropy', metrics: ['accuracy'] };
    } else {
      head = new layers.Dense({ units: this.numClasses!, activation: 'softmax' });
      compileArgs = { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] };
    }
    const model = new Sequential({ name: this.name, layers: [...hidden, head] });
    (model as unknown as { compile(args: CompileArgs): void }).compile({
      optimizer: new optimizers.Adam({ learningRate }),
      ...compileArgs,
    });
    return model;
  }

  /** Trains with the tuned `batch_size`. */
  override fit(
    hp: HyperParameters,
    model: Model,
    x: FitData,
    y: FitData | null | undefined,
    args: FitArgs,
  ): Promise<FitResult> {
    return fitModel(model, x, y, { ...args, batchSize: hp.Choice('batch_size', this.batchSizes) });
  }
}
