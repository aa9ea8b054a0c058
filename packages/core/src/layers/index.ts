/**
 * The `layers` namespace: every built-in layer class. One line per layer file; other areas add
 * their lines here (keep the list alphabetical within each block).
 */
export { InputLayer } from '../engine/input-layer.js';
export { Dense, type DenseArgs } from './core/dense.js';
export { Activation, type ActivationArgs } from './core/activation.js';
export { EinsumDense, type EinsumDenseArgs } from './core/einsum-dense.js';
export { Embedding, type EmbeddingArgs } from './core/embedding.js';
export { Identity } from './core/identity.js';
export { Lambda, type LambdaArgs, type LambdaFunction } from './core/lambda.js';
export { Masking, type MaskingArgs } from './core/masking.js';
export { AdditiveAttention, type AdditiveAttentionArgs } from './attention/additive-attention.js';
export { Attention, type AttentionArgs } from './attention/attention.js';
export {
  GroupedQueryAttention,
  type GroupedQueryAttentionArgs,
} from './attention/grouped-query-attention.js';
export {
  type AttentionCallArgs,
  MultiHeadAttention,
  type MultiHeadAttentionArgs,
} from './attention/multi-head-attention.js';
export { ELU, type ELUArgs } from './activation/elu.js';
export { LeakyReLU, type LeakyReLUArgs } from './activation/leaky-relu.js';
export { PReLU, type PReLUArgs } from './activation/prelu.js';
export { ReLU, type ReLUArgs } from './activation/relu.js';
export { Softmax, type SoftmaxArgs } from './activation/softmax.js';
export { Conv1D, type Conv1DArgs } from './convolution/conv1d.js';
export { Conv1DTranspose, type Conv1DTransposeArgs } from './convolution/conv1d-transpose.js';
export { Conv2D, type Conv2DArgs } from './convolution/conv2d.js';
export { Conv2DTranspose, type Conv2DTransposeArgs } from './convolution/conv2d-transpose.js';
export { Conv3D, type Conv3DArgs } from './convolution/conv3d.js';
export { Conv3DTranspose, type Conv3DTransposeArgs } from './convolution/conv3d-transpose.js';
export { DepthwiseConv1D, type DepthwiseConv1DArgs } from './convolution/depthwise-conv1d.js';
export { DepthwiseConv2D, type DepthwiseConv2DArgs } from './convolution/depthwise-conv2d.js';
export { SeparableConv1D, type SeparableConv1DArgs } from './convolution/separable-conv1d.js';
export { SeparableConv2D, type SeparableConv2DArgs } from './convolution/separable-conv2d.js';
export {
  BatchNormalization,
  type BatchNormalizationArgs,
} from './normalization/batch-normalization.js';
export {
  GroupNormalization,
  type GroupNormalizationArgs,
} from './normalization/group-normalization.js';
export {
  LayerNormalization,
  type LayerNormalizationArgs,
} from './normalization/layer-normalization.js';
export { RMSNormalization, type RMSNormalizationArgs } from './normalization/rms-normalization.js';
export {
  UnitNormalization,
  type UnitNormalizationArgs,
} from './normalization/unit-normalization.js';
export { AveragePooling1D, type AveragePooling1DArgs } from './pooling/average-pooling1d.js';
export { AveragePooling2D, type AveragePooling2DArgs } from './pooling/average-pooling2d.js';
export { AveragePooling3D, type AveragePooling3DArgs } from './pooling/average-pooling3d.js';
export {
  GlobalAveragePooling1D,
  type GlobalAveragePooling1DArgs,
} from './pooling/global-average-pooling1d.js';
export {
  GlobalAveragePooling2D,
  type GlobalAveragePooling2DArgs,
} from './pooling/global-average-pooling2d.js';
export {
  GlobalAveragePooling3D,
  type GlobalAveragePooling3DArgs,
} from './pooling/global-average-pooling3d.js';
export { GlobalMaxPooling1D, type GlobalMaxPooling1DArgs } from './pooling/global-max-pooling1d.js';
export { GlobalMaxPooling2D, type GlobalMaxPooling2DArgs } from './pooling/global-max-pooling2d.js';
export { GlobalMaxPooling3D, type GlobalMaxPooling3DArgs } from './pooling/global-max-pooling3d.js';
export { MaxPooling1D, type MaxPooling1DArgs } from './pooling/max-pooling1d.js';
export { MaxPooling2D, type MaxPooling2DArgs } from './pooling/max-pooling2d.js';
export { MaxPooling3D, type MaxPooling3DArgs } from './pooling/max-pooling3d.js';
export { CategoryEncoding, type CategoryEncodingArgs } from './preprocessing/category-encoding.js';
export { Discretization, type DiscretizationArgs } from './preprocessing/discretization.js';
export { Hashing, type HashingArgs } from './preprocessing/hashing.js';
export { IntegerLookup, type IntegerLookupArgs } from './preprocessing/integer-lookup.js';
export { Normalization, type NormalizationArgs } from './preprocessing/normalization.js';
export { Rescaling, type RescalingArgs } from './preprocessing/rescaling.js';
export { Flatten, type FlattenArgs } from './reshaping/flatten.js';
export { StringLookup, type StringLookupArgs } from './preprocessing/string-lookup.js';
export {
  TextVectorization,
  type TextVectorizationArgs,
} from './preprocessing/text-vectorization.js';
export {
  ActivityRegularization,
  type ActivityRegularizationArgs,
} from './regularization/activity-regularization.js';
export { AlphaDropout, type AlphaDropoutArgs } from './regularization/alpha-dropout.js';
export { Dropout, type DropoutArgs } from './regularization/dropout.js';
export { GaussianDropout, type GaussianDropoutArgs } from './regularization/gaussian-dropout.js';
export { GaussianNoise, type GaussianNoiseArgs } from './regularization/gaussian-noise.js';
export type { SpatialDropoutArgs } from './regularization/base-spatial-dropout.js';
export {
  SpatialDropout1D,
  type SpatialDropout1DArgs,
} from './regularization/spatial-dropout1d.js';
export {
  SpatialDropout2D,
  type SpatialDropout2DArgs,
} from './regularization/spatial-dropout2d.js';
export {
  SpatialDropout3D,
  type SpatialDropout3DArgs,
} from './regularization/spatial-dropout3d.js';
export { Add, type AddArgs } from './merging/add.js';
export { Average, type AverageArgs } from './merging/average.js';
export { Merge, type MergeArgs } from './merging/base-merge.js';
export { Concatenate, type ConcatenateArgs } from './merging/concatenate.js';
export { Dot, type DotArgs } from './merging/dot.js';
export { Maximum, type MaximumArgs } from './merging/maximum.js';
export { Minimum, type MinimumArgs } from './merging/minimum.js';
export { Multiply, type MultiplyArgs } from './merging/multiply.js';
export { Subtract, type SubtractArgs } from './merging/subtract.js';
export { Cropping1D, type Cropping1DArgs } from './reshaping/cropping1d.js';
export { Cropping2D, type Cropping2DArgs } from './reshaping/cropping2d.js';
export { Cropping3D, type Cropping3DArgs } from './reshaping/cropping3d.js';
export { Permute, type PermuteArgs } from './reshaping/permute.js';
export { RepeatVector, type RepeatVectorArgs } from './reshaping/repeat-vector.js';
export { Reshape, type ReshapeArgs } from './reshaping/reshape.js';
export { UpSampling1D, type UpSampling1DArgs } from './reshaping/up-sampling1d.js';
export { UpSampling2D, type UpSampling2DArgs } from './reshaping/up-sampling2d.js';
export { UpSampling3D, type UpSampling3DArgs } from './reshaping/up-sampling3d.js';
export { ZeroPadding1D, type ZeroPadding1DArgs } from './reshaping/zero-padding1d.js';
export { ZeroPadding2D, type ZeroPadding2DArgs } from './reshaping/zero-padding2d.js';
export { ZeroPadding3D, type ZeroPadding3DArgs } from './reshaping/zero-padding3d.js';
export { Bidirectional, type BidirectionalArgs, type MergeMode } from './rnn/bidirectional.js';
export { GRU, type GRUArgs } from './rnn/gru.js';
export { GRUCell, type GRUCellArgs } from './rnn/gru-cell.js';
export { LSTM, type LSTMArgs } from './rnn/lstm.js';
export { LSTMCell, type LSTMCellArgs } from './rnn/lstm-cell.js';
export {
  type RecurrentCell,
  RNN,
  type RNNArgs,
  type RNNBaseArgs,
  type RNNCallArgs,
} from './rnn/rnn.js';
export { SimpleRNN, type SimpleRNNArgs } from './rnn/simple-rnn.js';
export { SimpleRNNCell, type SimpleRNNCellArgs } from './rnn/simple-rnn-cell.js';
export { StackedRNNCells, type StackedRNNCellsArgs } from './rnn/stacked-rnn-cells.js';
export { TimeDistributed, type TimeDistributedArgs } from './rnn/time-distributed.js';
export { ConvLSTM, type ConvLSTMArgs } from './rnn/conv-lstm.js';
export { ConvLSTMCell, type ConvLSTMCellArgs } from './rnn/conv-lstm-cell.js';
export { ConvLSTM1D, type ConvLSTM1DArgs } from './rnn/conv-lstm1d.js';
export { ConvLSTM2D, type ConvLSTM2DArgs } from './rnn/conv-lstm2d.js';
export { ConvLSTM3D, type ConvLSTM3DArgs } from './rnn/conv-lstm3d.js';
