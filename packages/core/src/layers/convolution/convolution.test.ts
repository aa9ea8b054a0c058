import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import type { Layer } from '../../engine/layer.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { Conv1D } from './conv1d.js';
import { Conv1DTranspose } from './conv1d-transpose.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Conv3D } from './conv3d.js';
import { Conv3DTranspose } from './conv3d-transpose.js';
import { DepthwiseConv1D } from './depthwise-conv1d.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import {
  engineHasKernels,
  expectTensorClose,
  type ReferenceCase,
  loadReferenceCases,
  stored,
  torchConvToKeras,
  torchDepthwiseToKeras,
  torchToChannelsLast,
} from './reference-fixtures.js';
import { SeparableConv1D } from './separable-conv1d.js';
import { SeparableConv2D } from './separable-conv2d.js';

beforeAll(async () => {
  await ready();
});
await ready();
const canTrain = engineHasKernels('Conv2DBackpropFilter', 'Conv2DBackpropInput');

/** Runs `layer` on the torch case's input with the case's weights (mapped to Keras layout). */
function checkAgainstTorch(layer: Layer, c: ReferenceCase, weights: () => tf.Tensor[]): void {
  tf.tidy(() => {
    const x = torchToChannelsLast(c.input);
    layer.maybeBuild(x.shape);
    layer.setWeights(weights());
    expectTensorClose(layer.apply(x) as tf.Tensor, torchToChannelsLast(c.output));
  });
  layer.dispose();
}

const spatial = (c: ReferenceCase) => ({
  kernelSize: c.args.kernel_size as number[],
  strides: c.args.strides as number[],
  dilationRate: c.args.dilation_rate as number[],
});

describe('Conv1D and Conv3D against torch', () => {
  for (const [file, Cls] of [
    ['conv1d.json', Conv1D],
    ['conv3d.json', Conv3D],
  ] as const) {
    for (const c of loadReferenceCases(file)) {
      it(`${Cls.className} matches torch (${c.name})`, () => {
        const layer = new Cls({
          filters: c.args.filters as number,
          ...spatial(c),
          padding: c.args.padding as 'valid',
          groups: c.args.groups as number,
          useBias: c.args.use_bias as boolean,
        });
        checkAgainstTorch(layer, c, () => [
          torchConvToKeras(c.weight),
          ...(c.bias ? [stored(c.bias)] : []),
        ]);
      });
    }
  }
});

describe('transposed convolutions against torch', () => {
  const classes = { '1d': Conv1DTranspose, '2d': Conv2DTranspose, '3d': Conv3DTranspose } as const;
  for (const c of loadReferenceCases('conv_transpose.json')) {
    const Cls = classes[c.name.slice(0, 2) as keyof typeof classes];
    it(`${Cls.className} matches torch (${c.name})`, () => {
      const layer = new Cls({
        filters: c.args.filters as number,
        ...spatial(c),
        padding: c.args.padding as 'valid',
        outputPadding: (c.args.output_padding as number[] | null) ?? null,
      });
      checkAgainstTorch(layer, c, () => [torchConvToKeras(c.weight), stored(c.bias)]);
    });
  }
});

describe('depthwise and separable convolutions against torch', () => {
  for (const c of loadReferenceCases('depthwise.json')) {
    const Cls = c.name.startsWith('1d') ? DepthwiseConv1D : DepthwiseConv2D;
    it(`${Cls.className} matches torch (${c.name})`, () => {
      const m = c.args.depth_multiplier as number;
      const layer = new Cls({
        depthMultiplier: m,
        ...spatial(c),
        padding: c.args.padding as 'valid',
      });
      checkAgainstTorch(layer, c, () => [torchDepthwiseToKeras(c.weight, m), stored(c.bias)]);
    });
  }
  for (const c of loadReferenceCases('separable.json')) {
    const Cls = c.name.startsWith('1d') ? SeparableConv1D : SeparableConv2D;
    it(`${Cls.className} matches torch (${c.name})`, () => {
      const m = c.args.depth_multiplier as number;
      const layer = new Cls({
        filters: c.args.filters as number,
        depthMultiplier: m,
        ...spatial(c),
        padding: c.args.padding as 'valid',
      });
      checkAgainstTorch(layer, c, () => [
        torchDepthwiseToKeras(c.depthwise, m),
        torchConvToKeras(c.pointwise),
        stored(c.bias),
      ]);
    });
  }
});

describe('convolution layers: harness (config round trip, symbolic shapes, training step)', () => {
  const cases = [
    [
      Conv1D,
      { filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2 },
      [2, 7, 2],
      [2, 7, 3],
      2,
    ],
    [Conv3D, { filters: 2, kernelSize: 2, strides: 2 }, [2, 4, 4, 4, 1], [2, 2, 2, 2, 2], 2],
    [
      Conv1DTranspose,
      { filters: 2, kernelSize: 3, strides: 2, padding: 'same' },
      [2, 4, 3],
      [2, 8, 2],
      2,
    ],
    [Conv2DTranspose, { filters: 2, kernelSize: 3, strides: 2 }, [2, 3, 3, 2], [2, 7, 7, 2], 2],
    [
      Conv3DTranspose,
      { filters: 1, kernelSize: 2, strides: 2 },
      [1, 2, 2, 2, 2],
      [1, 4, 4, 4, 1],
      2,
    ],
    [
      DepthwiseConv1D,
      { kernelSize: 3, depthMultiplier: 2, padding: 'same' },
      [2, 6, 3],
      [2, 6, 6],
      2,
    ],
    [DepthwiseConv2D, { kernelSize: 3, depthMultiplier: 1 }, [2, 5, 5, 2], [2, 3, 3, 2], 2],
    [SeparableConv1D, { filters: 4, kernelSize: 2 }, [2, 5, 3], [2, 4, 4], 3],
    [
      SeparableConv2D,
      { filters: 4, kernelSize: 3, padding: 'same' },
      [2, 4, 4, 2],
      [2, 4, 4, 4],
      3,
    ],
  ] as const;
  for (const [Cls, initArgs, inputShape, outputShape, numWeights] of cases) {
    it(`${Cls.className}`, () => {
      runLayerTest(Cls, {
        initArgs: { ...initArgs },
        inputShape: [...inputShape],
        expectedOutputShape: [...outputShape],
        expectedNumTrainableWeights: numWeights,
        expectedNumNonTrainableWeights: 0,
        runTrainingStep: canTrain,
      });
    });
  }
});

describe('convolution layers: gradients match finite differences on the wasm engine', () => {
  const cases: [string, () => Layer, number[]][] = [
    [
      'Conv1D (causal, dilated)',
      () => new Conv1D({ filters: 2, kernelSize: 2, padding: 'causal', dilationRate: 2 }),
      [1, 5, 2],
    ],
    [
      'Conv3D (strided)',
      () => new Conv3D({ filters: 2, kernelSize: 2, strides: [1, 2, 1] }),
      [1, 3, 4, 3, 1],
    ],
    [
      'Conv1DTranspose',
      () => new Conv1DTranspose({ filters: 2, kernelSize: 3, strides: 2 }),
      [1, 3, 2],
    ],
    [
      'Conv2DTranspose (same)',
      () => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
      [1, 3, 3, 2],
    ],
    [
      'Conv3DTranspose',
      () => new Conv3DTranspose({ filters: 1, kernelSize: 2, strides: 2 }),
      [1, 2, 2, 2, 1],
    ],
    [
      'DepthwiseConv1D',
      () => new DepthwiseConv1D({ kernelSize: 2, depthMultiplier: 2 }),
      [1, 4, 2],
    ],
    [
      'DepthwiseConv2D (strided)',
      () => new DepthwiseConv2D({ kernelSize: 2, strides: 2, depthMultiplier: 2 }),
      [1, 4, 4, 2],
    ],
    ['SeparableConv1D', () => new SeparableConv1D({ filters: 2, kernelSize: 2 }), [1, 4, 2]],
    [
      'SeparableConv2D',
      () => new SeparableConv2D({ filters: 2, kernelSize: 2, biasInitializer: 'ones' }),
      [1, 3, 3, 2],
    ],
  ];
  for (const [name, make, shape] of cases) {
    it.runIf(canTrain)(name, () => {
      const layer = make();
      const x = tf.randomNormal(shape, 0, 1, 'float32', 17);
      const results = checkGradientsNumerically(layer, x, { samplesPerWeight: 4 });
      expect(new Set(results.map((r) => r.weight)).size).toBe(layer.trainableWeights.length);
      x.dispose();
      layer.dispose();
    });
  }
});
