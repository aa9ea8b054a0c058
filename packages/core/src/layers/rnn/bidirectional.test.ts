import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { Bidirectional } from './bidirectional.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { closeness, loadReference, outputsOf, type ReferenceFixture } from './reference-fixture.js';

beforeAll(async () => {
  await ready();
});

/** torch bidirectional nn.LSTM -> [forward kernel, recurrent, bias, backward kernel, recurrent, bias] (Keras layout). */
function kerasWeights(ref: ReferenceFixture): tf.Tensor[] {
  return ['', '_reverse'].flatMap((suffix) => [
    tf.transpose(ref.get(`weight_ih_l0${suffix}`)),
    tf.transpose(ref.get(`weight_hh_l0${suffix}`)),
    tf.add(ref.get(`bias_ih_l0${suffix}`), ref.get(`bias_hh_l0${suffix}`)),
  ]);
}

describe('Bidirectional', () => {
  const ref = loadReference('bidirectional_lstm');

  it('passes the layer harness (concat, and null merge mode with states)', () => {
    runLayerTest(Bidirectional, {
      initArgs: { layer: new LSTM({ units: 3, returnSequences: true }) },
      inputShape: [2, 4, 5],
      expectedOutputShape: [2, 4, 6],
      expectedNumTrainableWeights: 6,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
    runLayerTest(Bidirectional, {
      initArgs: { layer: new GRU({ units: 3, returnState: true }), mergeMode: null },
      inputShape: [2, 4, 5],
      expectedOutputShape: [
        [2, 3],
        [2, 3],
        [2, 3],
        [2, 3],
      ],
      expectedNumTrainableWeights: 6,
      expectedNumNonTrainableWeights: 0,
    });
  });

  it('matches torch bidirectional nn.LSTM to 1e-5 (concat; sum/ave/mul from the same halves; states)', () => {
    const layers = (['concat', 'sum', 'ave', 'mul'] as const).map(
      (mergeMode) =>
        new Bidirectional({
          layer: new LSTM({ units: 4, returnSequences: true, returnState: true }),
          mergeMode,
        }),
    );
    tf.tidy(() => {
      const x = ref.get('x');
      const expected = ref.get('sequences_concat');
      const [fwd, bwd] = tf.split(expected, 2, -1) as [tf.Tensor, tf.Tensor];
      const merged = [expected, tf.add(fwd, bwd), tf.mul(tf.add(fwd, bwd), 0.5), tf.mul(fwd, bwd)];
      layers.forEach((layer, i) => {
        layer.apply(x);
        layer.setWeights(kerasWeights(ref));
        const [out, hF, , hB, cB] = outputsOf(layer.apply(x));
        expect(closeness(out as tf.Tensor, merged[i] as tf.Tensor)).toBeLessThanOrEqual(0);
        const [hn0, hn1] = tf.unstack(ref.get('h_n')) as [tf.Tensor, tf.Tensor];
        expect(closeness(hF as tf.Tensor, hn0)).toBeLessThanOrEqual(0);
        expect(closeness(hB as tf.Tensor, hn1)).toBeLessThanOrEqual(0);
        expect(
          closeness(cB as tf.Tensor, tf.unstack(ref.get('c_n'))[1] as tf.Tensor),
        ).toBeLessThanOrEqual(0);
      });
    });
    // Keras paths: the wrapper, then its forward_/backward_ copy, then the cell.
    const bi = layers[0] as Bidirectional;
    expect(bi.weights.map((w) => w.path)).toEqual(
      [bi.forwardLayer.name, bi.backwardLayer.name].flatMap((half) =>
        ['kernel', 'recurrent_kernel', 'bias'].map((w) => `${bi.name}/${half}/lstm_cell/${w}`),
      ),
    );
    for (const l of layers) l.dispose();
  });

  it('names its copies forward_/backward_, flips goBackwards, and round-trips its config', () => {
    const layer = new Bidirectional({ layer: new GRU({ units: 2, name: 'enc' }), mergeMode: null });
    expect(layer.forwardLayer.name).toBe('forward_enc');
    expect(layer.backwardLayer.name).toBe('backward_enc');
    expect(layer.backwardLayer.goBackwards).toBe(true);
    const config = layer.getConfig();
    expect(config.merge_mode).toBeNull();
    expect((config.layer as { class_name: string }).class_name).toBe('GRU');
    const back = Bidirectional.fromConfig(config);
    expect(back.getConfig()).toEqual(config);
    expect(
      () => new Bidirectional({ layer: new GRU({ units: 2 }), mergeMode: 'max' as 'sum' }),
    ).toThrow(
      /expected mergeMode one of 'concat', 'sum', 'mul', 'ave' or null, received mergeMode="max"/,
    );
    expect(
      () =>
        new Bidirectional({ layer: new GRU({ units: 2 }), backwardLayer: new GRU({ units: 2 }) }),
    ).toThrow(/must run in opposite directions/);
    layer.dispose();
    back.dispose();
  });

  it('gradients match finite differences on the wasm engine', () => {
    const layer = new Bidirectional({
      layer: new GRU({ units: 2, returnSequences: true }),
      mergeMode: 'sum',
    });
    const x = tf.randomNormal([2, 3, 3], 0, 1, 'float32', 4);
    expect(checkGradientsNumerically(layer, x, { samplesPerWeight: 2 }).length).toBe(12);
    tf.dispose(x);
    layer.dispose();
  });
});
