import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { Input } from '../../engine/input-layer.js';
import { runLayerTest } from '../../testing/run-layer-test.js';
import { Lambda } from './lambda.js';

beforeAll(async () => {
  await ready();
});

const doubleIt = (x: tf.Tensor | tf.Tensor[], args: Record<string, unknown>) =>
  tf.mul(x as tf.Tensor, (args.factor as number) ?? 2);
Lambda.registerFunction('double_it', doubleIt);

describe('Lambda', () => {
  it('passes the layer harness with a registered function', () => {
    runLayerTest(Lambda, {
      initArgs: { function: 'double_it', arguments: { factor: 3 } },
      inputShape: [2, 4],
      expectedOutputShape: [2, 4],
      expectedNumTrainableWeights: 0,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: false,
    });
  });

  it('runs the function, infers or takes the output shape, and names unknown functions', () => {
    const layer = new Lambda({ function: doubleIt, arguments: { factor: 3 } });
    const x = tf.tensor2d([[1, -2]]);
    const y = layer.apply(x);
    expect(Array.from(y.dataSync())).toEqual([3, -6]);
    tf.dispose([x, y]);
    expect(layer.getConfig().function).toBe('double_it');
    const flatten = new Lambda({
      function: (t) => tf.reshape(t as tf.Tensor, [(t as tf.Tensor).shape[0] as number, -1]),
    });
    expect(flatten.apply(Input({ shape: [3, 4] })).shape).toEqual([null, 12]);
    const fixed = new Lambda({ function: (t) => t, outputShape: [7] });
    expect(fixed.apply(Input({ shape: [7] })).shape).toEqual([null, 7]);
    expect(() => Lambda.fromConfig({ name: 'l', function: 'missing_fn' })).toThrow(
      /no function registered as 'missing_fn'\. Fix: call Lambda\.registerFunction/,
    );
  });
});
