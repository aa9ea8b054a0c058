import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import {
  type ConvPadding,
  convOutputLength,
  convolve,
  convolveTranspose,
  deconvOutputLength,
  depthwiseConvolve,
  dilateKernel,
  normalizeTuple,
} from './conv-utils.js';
import {
  expectTensorClose,
  loadReferenceCases,
  stored,
  torchToChannelsLast,
} from './reference-fixtures.js';

beforeAll(async () => {
  await ready();
});

function torchConvKernel(w: tf.Tensor): tf.Tensor {
  const rank = w.rank - 2;
  return tf.transpose(w, [...Array.from({ length: rank }, (_, i) => i + 2), 1, 0]);
}

describe('conv-utils', () => {
  it('normalizes tuples and rejects bad values with the argument named', () => {
    expect(normalizeTuple(3, 2, 'kernel_size', 'Conv2D')).toEqual([3, 3]);
    expect(normalizeTuple([1, 0], 2, 'output_padding', 'X', true)).toEqual([1, 0]);
    expect(() => normalizeTuple([3, 0], 2, 'strides', "Conv2D 'c'")).toThrow(
      /Conv2D 'c': argument strides must be an integer or a list of 2 positive integers\. Received: strides=\[3,0\]/,
    );
  });

  it('computes output lengths like Keras (hand-derived)', () => {
    expect(convOutputLength(7, 3, 'valid', 1)).toBe(5);
    expect(convOutputLength(7, 3, 'valid', 2)).toBe(3);
    expect(convOutputLength(7, 3, 'same', 2)).toBe(4);
    expect(convOutputLength(9, 3, 'valid', 1, 2)).toBe(5);
    expect(convOutputLength(null, 3, 'valid', 1)).toBeNull();
    expect(deconvOutputLength(3, 3, 'valid', 2)).toBe(7);
    expect(deconvOutputLength(3, 2, 'valid', 3)).toBe(9);
    expect(deconvOutputLength(3, 3, 'same', 2)).toBe(6);
    expect(deconvOutputLength(3, 3, 'same', 2, 1, 1)).toBe(6);
  });

  it('dilates a kernel by inserting zeros between taps', () => {
    const k = tf.tensor([1, 2, 3], [3, 1, 1]);
    const d = dilateKernel(k, [2]);
    expect(d.shape).toEqual([5, 1, 1]);
    expect(Array.from(d.dataSync())).toEqual([1, 0, 2, 0, 3]);
    tf.dispose([k, d]);
  });

  for (const file of ['conv1d.json', 'conv2d.json', 'conv3d.json']) {
    for (const c of loadReferenceCases(file)) {
      it(`convolve matches torch: ${file} ${c.name}`, () => {
        tf.tidy(() => {
          const x = torchToChannelsLast(c.input);
          const kernel = torchConvKernel(stored(c.weight));
          let y = convolve(
            x,
            kernel,
            {
              strides: c.args.strides as number[],
              padding: c.args.padding as ConvPadding,
              dilations: c.args.dilation_rate as number[],
            },
            c.args.groups as number,
          );
          if (c.bias) y = tf.add(y, stored(c.bias));
          expectTensorClose(y, torchToChannelsLast(c.output));
        });
      });
    }
  }

  for (const c of loadReferenceCases('conv_transpose.json')) {
    it(`convolveTranspose matches torch: ${c.name}`, () => {
      tf.tidy(() => {
        const x = torchToChannelsLast(c.input);
        const kernel = torchConvKernel(stored(c.weight)); // (in, out, ...k) -> (...k, out, in)
        const expected = torchToChannelsLast(c.output);
        const y = tf.add(
          convolveTranspose(x, kernel, expected.shape.slice(1, -1), {
            strides: c.args.strides as number[],
            padding: c.args.padding as ConvPadding,
            dilations: c.args.dilation_rate as number[],
          }),
          stored(c.bias),
        );
        expectTensorClose(y, expected);
      });
    });
  }

  for (const c of loadReferenceCases('depthwise.json')) {
    it(`depthwiseConvolve matches torch: ${c.name}`, () => {
      tf.tidy(() => {
        const x = torchToChannelsLast(c.input);
        const w = stored(c.weight);
        const rank = w.rank - 2;
        const inCh = x.shape[x.rank - 1] as number;
        const m = c.args.depth_multiplier as number;
        // torch (in*m, 1, ...k) with channel c*m + j -> Keras (...k, in, m)
        const kernel = tf.transpose(tf.reshape(w, [inCh, m, ...w.shape.slice(2)]), [
          ...Array.from({ length: rank }, (_, i) => i + 2),
          0,
          1,
        ]);
        const y = tf.add(
          depthwiseConvolve(x, kernel, {
            strides: c.args.strides as number[],
            padding: c.args.padding as ConvPadding,
            dilations: c.args.dilation_rate as number[],
          }),
          stored(c.bias),
        );
        expectTensorClose(y, torchToChannelsLast(c.output));
      });
    });
  }
});
