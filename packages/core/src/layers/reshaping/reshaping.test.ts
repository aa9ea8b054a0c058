import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { runLayerTest } from '../../testing/index.js';
import {
  expectTensorClose,
  loadReferenceCases,
  torchToChannelsLast,
} from '../convolution/reference-fixtures.js';
import { Cropping1D } from './cropping1d.js';
import { Cropping2D } from './cropping2d.js';
import { Cropping3D } from './cropping3d.js';
import { Flatten } from './flatten.js';
import { Permute } from './permute.js';
import { RepeatVector } from './repeat-vector.js';
import { Reshape } from './reshape.js';
import { UpSampling1D } from './up-sampling1d.js';
import { UpSampling2D } from './up-sampling2d.js';
import { UpSampling3D } from './up-sampling3d.js';
import { ZeroPadding1D } from './zero-padding1d.js';
import { ZeroPadding2D } from './zero-padding2d.js';
import { ZeroPadding3D } from './zero-padding3d.js';

beforeAll(async () => {
  await ready();
});

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('reshaping layers: harness', () => {
  const cases = [
    [Flatten, {}, [2, 3, 4, 2], [2, 24]],
    [Reshape, { targetShape: [-1, 4] }, [2, 3, 4], [2, 3, 4]],
    [Permute, { dims: [2, 1] }, [2, 3, 4], [2, 4, 3]],
    [RepeatVector, { n: 3 }, [2, 4], [2, 3, 4]],
    [Cropping1D, { cropping: [1, 2] }, [2, 6, 3], [2, 3, 3]],
    [
      Cropping2D,
      {
        cropping: [
          [1, 0],
          [0, 2],
        ],
      },
      [2, 4, 5, 3],
      [2, 3, 3, 3],
    ],
    [Cropping3D, {}, [2, 4, 4, 4, 1], [2, 2, 2, 2, 1]],
    [ZeroPadding1D, { padding: [1, 2] }, [2, 3, 2], [2, 6, 2]],
    [
      ZeroPadding2D,
      {
        padding: [
          [1, 0],
          [2, 3],
        ],
      },
      [2, 3, 3, 2],
      [2, 4, 8, 2],
    ],
    [ZeroPadding3D, { padding: 1 }, [1, 2, 2, 2, 1], [1, 4, 4, 4, 1]],
    [UpSampling1D, { size: 3 }, [2, 2, 3], [2, 6, 3]],
    [UpSampling2D, { size: [2, 3] }, [2, 2, 2, 3], [2, 4, 6, 3]],
    [UpSampling2D, { size: 2, interpolation: 'bilinear' }, [1, 2, 3, 1], [1, 4, 6, 1]],
    [UpSampling3D, { size: [2, 1, 2] }, [1, 2, 2, 2, 1], [1, 4, 2, 4, 1]],
  ] as const;
  for (const [cls, initArgs, inputShape, expectedOutputShape] of cases) {
    it(`${cls.className} ${JSON.stringify(initArgs)} passes the layer harness`, () => {
      runLayerTest(cls, {
        initArgs: initArgs as Record<string, unknown>,
        inputShape: [...inputShape],
        expectedOutputShape: [...expectedOutputShape],
        expectedNumTrainableWeights: 0,
        expectedNumNonTrainableWeights: 0,
      });
    });
  }
});

describe('reshaping layers: values', () => {
  it('Flatten keeps channels_last order for channels_first input', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]); // [batch, channels, h, w]
    const y = new Flatten({ dataFormat: 'channels_first' }).apply(x);
    expect(values(y)).toEqual([1, 5, 2, 6, 3, 7, 4, 8]);
    expect(new Flatten().computeOutputShape([null, 3, null])).toEqual([null, null]);
    tf.dispose([x, y]);
  });

  it('Reshape resolves -1 and names bad shapes', () => {
    const layer = new Reshape({ name: 'r', targetShape: [2, -1] });
    expect(layer.computeOutputShape([null, 3, 4])).toEqual([null, 2, 6]);
    expect(() => layer.computeOutputShape([null, 5])).toThrow(
      /Reshape 'r': cannot reshape input of shape \[null, 5\]/,
    );
    expect(() => new Reshape({ name: 'r2', targetShape: [-1, -1] })).toThrow(/at most one -1/);
    expect(layer.getConfig().target_shape).toEqual([2, -1]);
  });

  it('Permute, RepeatVector, Cropping, ZeroPadding and nearest UpSampling move values as Keras does', () => {
    tf.tidy(() => {
      const seq = tf.tensor3d([
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ]); // [1, 3 steps, 2 features]
      expect(values(new Permute({ dims: [2, 1] }).apply(seq))).toEqual([1, 3, 5, 2, 4, 6]);
      expect(values(new RepeatVector({ n: 2 }).apply(tf.tensor2d([[7, 8]])))).toEqual([7, 8, 7, 8]);
      expect(values(new Cropping1D({ cropping: [1, 1] }).apply(seq))).toEqual([3, 4]);
      expect(values(new ZeroPadding1D({ padding: [1, 0] }).apply(seq))).toEqual([
        0, 0, 1, 2, 3, 4, 5, 6,
      ]);
      expect(values(new UpSampling1D({ size: 2 }).apply(seq))).toEqual([
        1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6,
      ]);
      const img = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
      expect(values(new UpSampling2D().apply(img))).toEqual([
        1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4,
      ]);
      expect(
        values(
          new Cropping2D({
            cropping: [
              [1, 0],
              [0, 1],
            ],
          }).apply(img),
        ),
      ).toEqual([3]);
      const first = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]); // channels_first
      expect(
        values(
          new ZeroPadding2D({
            padding: [
              [0, 0],
              [1, 0],
            ],
            dataFormat: 'channels_first',
          }).apply(first),
        ),
      ).toEqual([0, 1, 2, 0, 3, 4]);
    });
  });

  it('bilinear UpSampling2D matches torch interpolate(align_corners=False)', () => {
    const [c] = loadReferenceCases('upsampling.json');
    if (!c) throw new Error('missing reference');
    const x = torchToChannelsLast(c.input);
    const y = new UpSampling2D({ size: c.args.size as number[], interpolation: 'bilinear' }).apply(
      x,
    );
    const expected = torchToChannelsLast(c.output);
    expectTensorClose(y, expected);
    tf.dispose([x, y, expected]);
  });

  it('writes Keras 3 config keys', () => {
    expect(new Cropping1D().getConfig().cropping).toEqual([1, 1]);
    expect(new Cropping2D().getConfig()).toMatchObject({
      cropping: [
        [0, 0],
        [0, 0],
      ],
      data_format: 'channels_last',
    });
    expect(new ZeroPadding2D().getConfig()).toMatchObject({
      padding: [
        [1, 1],
        [1, 1],
      ],
    });
    expect(new UpSampling1D().getConfig().size).toBe(2);
    expect(new UpSampling2D().getConfig()).toMatchObject({
      size: [2, 2],
      data_format: 'channels_last',
      interpolation: 'nearest',
    });
    expect(new Permute({ dims: [1] }).getConfig().dims).toEqual([1]);
    expect(new RepeatVector({ n: 4 }).getConfig().n).toBe(4);
    expect(() => new Cropping2D({ name: 'c', cropping: [1, 2, 3] })).toThrow(
      /Cropping2D 'c': argument cropping must be a non-negative integer, 2 integers or 2 \[before, after\] pairs/,
    );
    expect(() => new Permute({ name: 'p', dims: [1, 3] })).toThrow(
      /Permute 'p': argument dims must be a permutation of 1\.\.2/,
    );
  });
});
