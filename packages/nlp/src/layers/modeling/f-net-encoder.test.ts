import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { FNetEncoder } from './f-net-encoder.js';
import { assignReferenceWeights, loadReference, maxAbsDiff } from './reference-fixture.js';

beforeAll(async () => {
  await backend.ready();
});

describe('FNetEncoder', () => {
  it('passes the layer harness', () => {
    runLayerTest(FNetEncoder, {
      initArgs: { intermediateDim: 8, dropout: 0.1 },
      inputShape: [2, 5, 4],
      expectedOutputShape: [2, 5, 4],
      expectedNumTrainableWeights: 8,
      supportsMasking: true,
    });
  });

  it('mixes tokens with the real part of the 2D DFT (numpy.fft.fft2) and matches the numpy block to 1e-5', () => {
    const reference = loadReference().fnet;
    const x = tf.tensor(reference.input, reference.inputShape);
    const mixing = FNetEncoder.fourierMix(x);
    expect(maxAbsDiff(mixing, reference.mixing)).toBeLessThan(1e-5);
    const encoder = new FNetEncoder({ intermediateDim: 16 });
    encoder.maybeBuild(reference.inputShape);
    assignReferenceWeights(encoder, reference.weights);
    const before = tf.memory().numTensors;
    const y = encoder.apply(x) as tf.Tensor;
    expect(maxAbsDiff(y, reference.output)).toBeLessThan(1e-5);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, mixing]);
    encoder.dispose();
  });

  it('maps a constant input to a spike at frequency (0, 0)', () => {
    // DFT of all-ones [3, 2]: 6 at (0, 0), zero elsewhere (hand-derived).
    const mixing = tf.tidy(() => FNetEncoder.fourierMix(tf.ones([1, 3, 2])));
    Array.from(mixing.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(i === 0 ? 6 : 0, 5);
    });
    mixing.dispose();
  });
});
