import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import {
  expectTensorClose,
  loadReferenceCases,
  torchToChannelsLast,
} from '../convolution/reference-fixtures.js';
import { pool } from './pooling-utils.js';

beforeAll(async () => {
  await ready();
});

describe('pool', () => {
  for (const c of loadReferenceCases('pooling.json')) {
    it(`matches torch: ${c.name}`, () => {
      tf.tidy(() => {
        const y = pool(
          torchToChannelsLast(c.input),
          c.name.startsWith('max') ? 'max' : 'average',
          c.args.pool_size as number[],
          c.args.strides as number[],
          c.args.padding as 'valid' | 'same',
        );
        expectTensorClose(y, torchToChannelsLast(c.output));
      });
    });
  }
});
