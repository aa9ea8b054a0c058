/**
 * The public surface of @cornu/core, as explicit sorted lists. A name added to or dropped from
 * src/index.ts (or from the layers/activations/initializers/regularizers/constraints namespaces
 * that issue 3 names) fails here, so every export change is a deliberate edit of this file.
 */
import { describe, expect, it } from 'vitest';
import * as core from './index.js';
import type {
  ApplyArgs,
  CallArgs,
  CompileArgs,
  EvaluateArgs,
  FitArgs,
  InputArgs,
  InputSpecArgs,
  LayerArgs,
  Mask,
  ModelArgs,
  PredictArgs,
  SequentialArgs,
  Shape,
  StepData,
  StepLogs,
  TrainingMethods,
  ValueAndGrads,
  Verbose,
} from './index.js';

/** Type-only exports vanish at run time; naming them here makes `tsc --noEmit` the check. */
export type PublicTypes = [
  ApplyArgs,
  CallArgs,
  CompileArgs,
  EvaluateArgs,
  FitArgs,
  InputArgs,
  InputSpecArgs,
  LayerArgs,
  Mask,
  ModelArgs,
  PredictArgs,
  SequentialArgs,
  Shape,
  StepData,
  StepLogs,
  TrainingMethods,
  ValueAndGrads,
  Verbose,
];

const TOP_LEVEL = [
  'CornuError',
  'Input',
  'InputLayer',
  'InputSpec',
  'KerasTensor',
  'Layer',
  'LayerVariable',
  'Model',
  'NotFoundError',
  'NotImplementedError',
  'RuntimeError',
  'Sequential',
  'ValueError',
  'activations',
  'backend',
  'callbacks',
  'constraints',
  'data',
  'datasets',
  'getMask',
  'initializers',
  'isKerasTensor',
  'layers',
  'losses',
  'metrics',
  'optimizers',
  'regularizers',
  'resetNames',
  'saving',
  'setMask',
  'tf',
  'utils',
  'valueAndGrads',
];

const LAYERS = [
  'Activation',
  'ActivityRegularization',
  'Add',
  'AdditiveAttention',
  'AlphaDropout',
  'Attention',
  'Average',
  'AveragePooling1D',
  'AveragePooling2D',
  'AveragePooling3D',
  'BatchNormalization',
  'Bidirectional',
  'CategoryEncoding',
  'Concatenate',
  'Conv1D',
  'Conv1DTranspose',
  'Conv2D',
  'Conv2DTranspose',
  'Conv3D',
  'Conv3DTranspose',
  'ConvLSTM',
  'ConvLSTM1D',
  'ConvLSTM2D',
  'ConvLSTM3D',
  'ConvLSTMCell',
  'Cropping1D',
  'Cropping2D',
  'Cropping3D',
  'Dense',
  'DepthwiseConv1D',
  'DepthwiseConv2D',
  'Discretization',
  'Dot',
  'Dropout',
  'ELU',
  'EinsumDense',
  'Embedding',
  'Flatten',
  'GRU',
  'GRUCell',
  'GaussianDropout',
  'GaussianNoise',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'GlobalAveragePooling3D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'GlobalMaxPooling3D',
  'GroupNormalization',
  'GroupedQueryAttention',
  'Hashing',
  'Identity',
  'InputLayer',
  'IntegerLookup',
  'LSTM',
  'LSTMCell',
  'Lambda',
  'LayerNormalization',
  'LeakyReLU',
  'Masking',
  'MaxPooling1D',
  'MaxPooling2D',
  'MaxPooling3D',
  'Maximum',
  'Merge',
  'Minimum',
  'MultiHeadAttention',
  'Multiply',
  'Normalization',
  'PReLU',
  'Permute',
  'RMSNormalization',
  'RNN',
  'ReLU',
  'RepeatVector',
  'Rescaling',
  'Reshape',
  'SeparableConv1D',
  'SeparableConv2D',
  'SimpleRNN',
  'SimpleRNNCell',
  'Softmax',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'SpatialDropout3D',
  'StackedRNNCells',
  'StringLookup',
  'Subtract',
  'TextVectorization',
  'TimeDistributed',
  'UnitNormalization',
  'UpSampling1D',
  'UpSampling2D',
  'UpSampling3D',
  'ZeroPadding1D',
  'ZeroPadding2D',
  'ZeroPadding3D',
];

const ACTIVATIONS = [
  'elu',
  'exponential',
  'gelu',
  'geluApproximate',
  'get',
  'hardSigmoid',
  'hardSilu',
  'leakyRelu',
  'linear',
  'logSoftmax',
  'mish',
  'registerActivation',
  'relu',
  'relu6',
  'selu',
  'serialize',
  'sigmoid',
  'silu',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
];

const INITIALIZERS = [
  'Constant',
  'GlorotNormal',
  'GlorotUniform',
  'HeNormal',
  'HeUniform',
  'Identity',
  'Initializer',
  'LecunNormal',
  'LecunUniform',
  'Ones',
  'Orthogonal',
  'RandomNormal',
  'RandomUniform',
  'TruncatedNormal',
  'VarianceScaling',
  'Zeros',
  'computeFans',
  'deserialize',
  'get',
  'serialize',
];

const REGULARIZERS = [
  'L1',
  'L1L2',
  'L2',
  'OrthogonalRegularizer',
  'Regularizer',
  'deserialize',
  'get',
  'l1',
  'l1l2',
  'l2',
  'orthogonal',
  'serialize',
];

const CONSTRAINTS = [
  'Constraint',
  'MaxNorm',
  'MinMaxNorm',
  'NonNeg',
  'UnitNorm',
  'deserialize',
  'get',
  'maxNorm',
  'minMaxNorm',
  'nonNeg',
  'serialize',
  'unitNorm',
];

const namesOf = (namespace: object): string[] => Object.keys(namespace).sort();

describe('the public surface of @cornu/core', () => {
  it('lists are kept sorted, so a diff shows exactly which name moved', () => {
    for (const list of [TOP_LEVEL, LAYERS, ACTIVATIONS, INITIALIZERS, REGULARIZERS, CONSTRAINTS]) {
      expect(list).toEqual([...list].sort());
    }
  });

  it('exports exactly the top-level names', () => {
    expect(namesOf(core)).toEqual(TOP_LEVEL);
  });

  it('exports exactly the layers, activations, initializers, regularizers and constraints', () => {
    expect(namesOf(core.layers)).toEqual(LAYERS);
    expect(namesOf(core.activations)).toEqual(ACTIVATIONS);
    expect(namesOf(core.initializers)).toEqual(INITIALIZERS);
    expect(namesOf(core.regularizers)).toEqual(REGULARIZERS);
    expect(namesOf(core.constraints)).toEqual(CONSTRAINTS);
  });

  it('exports classes and functions, not undefined placeholders', () => {
    for (const name of ['Input', 'Layer', 'Model', 'Sequential', 'InputLayer', 'KerasTensor']) {
      expect(typeof (core as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    for (const name of LAYERS) {
      expect(typeof (core.layers as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    for (const name of ACTIVATIONS) {
      expect(typeof (core.activations as unknown as Record<string, unknown>)[name]).toBe(
        'function',
      );
    }
    expect(typeof core.tf.tensor).toBe('function');
  });
});
