import { describe, expect, it } from 'vitest';
import { getRegisteredClass } from '../saving/registry.js';
import * as layers from './index.js';

/** The layer library of issue 3, by Keras class name. */
const ISSUE_LAYERS = `Dense EinsumDense Embedding Activation Lambda Identity Masking
Conv1D Conv2D Conv3D Conv1DTranspose Conv2DTranspose Conv3DTranspose DepthwiseConv1D DepthwiseConv2D SeparableConv1D SeparableConv2D
MaxPooling1D MaxPooling2D MaxPooling3D AveragePooling1D AveragePooling2D AveragePooling3D
GlobalMaxPooling1D GlobalMaxPooling2D GlobalMaxPooling3D GlobalAveragePooling1D GlobalAveragePooling2D GlobalAveragePooling3D
BatchNormalization LayerNormalization GroupNormalization UnitNormalization RMSNormalization
Dropout SpatialDropout1D SpatialDropout2D SpatialDropout3D GaussianNoise GaussianDropout AlphaDropout ActivityRegularization
Flatten Reshape Permute RepeatVector Cropping1D Cropping2D Cropping3D ZeroPadding1D ZeroPadding2D ZeroPadding3D UpSampling1D UpSampling2D UpSampling3D
Add Subtract Multiply Average Maximum Minimum Concatenate Dot
SimpleRNN LSTM GRU SimpleRNNCell LSTMCell GRUCell RNN StackedRNNCells Bidirectional TimeDistributed ConvLSTM1D ConvLSTM2D ConvLSTM3D
Attention AdditiveAttention MultiHeadAttention GroupedQueryAttention
ReLU LeakyReLU PReLU ELU Softmax
Normalization Rescaling Discretization CategoryEncoding Hashing IntegerLookup StringLookup TextVectorization InputLayer`.split(
  /\s+/,
);

/**
 * Exports whose Keras `class_name` differs from the export name: Keras exports its
 * `GroupedQueryAttention` class as `keras.layers.GroupQueryAttention` and writes that name.
 */
const KERAS_CLASS_NAME: Record<string, string> = { GroupedQueryAttention: 'GroupQueryAttention' };

describe('the layers namespace', () => {
  it('exports every layer of the issue list, each registered under its Keras class name for configs', () => {
    const exported = layers as unknown as Record<string, { className?: string } | undefined>;
    const missing = ISSUE_LAYERS.filter((name) => exported[name] === undefined);
    expect(missing).toEqual([]);
    const unregistered = ISSUE_LAYERS.filter((name) => getRegisteredClass(name) !== exported[name]);
    expect(unregistered).toEqual([]);
    for (const name of ISSUE_LAYERS)
      expect(exported[name]?.className).toBe(KERAS_CLASS_NAME[name] ?? name);
    expect(getRegisteredClass('GroupQueryAttention')).toBe(exported.GroupedQueryAttention);
  });
});
