import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { GRU } from './gru.js';
import { GRUCell } from './gru-cell.js';
import { LSTM } from './lstm.js';
import { LSTMCell } from './lstm-cell.js';
import { closeness, loadReference, outputsOf } from './reference-fixture.js';
import { RNN } from './rnn.js';
import { SimpleRNN } from './simple-rnn.js';
import { SimpleRNNCell } from './simple-rnn-cell.js';
import { StackedRNNCells } from './stacked-rnn-cells.js';

beforeAll(async () => {
  await ready();
});

describe('SimpleRNN', () => {
  const ref = loadReference('simple_rnn');
  const weights = () => [
    tf.transpose(ref.get('weight_ih_l0')),
    tf.transpose(ref.get('weight_hh_l0')),
    tf.add(ref.get('bias_ih_l0'), ref.get('bias_hh_l0')),
  ];

  it('matches torch nn.RNN to 1e-5: sequences, last state, initial state, mask, backwards', () => {
    const layer = new SimpleRNN({ units: 4, returnSequences: true, returnState: true });
    const backwards = new SimpleRNN({ units: 4, returnSequences: true, goBackwards: true });
    tf.tidy(() => {
      const x = ref.get('x');
      for (const l of [layer, backwards]) {
        l.apply(x);
        l.setWeights(weights());
      }
      const [seq, h] = outputsOf(layer.apply(x));
      expect(closeness(seq as tf.Tensor, ref.get('sequences'))).toBeLessThanOrEqual(0);
      expect(closeness(h as tf.Tensor, ref.get('last_state'))).toBeLessThanOrEqual(0);
      const [fromH0] = outputsOf(layer.apply(x, { initialState: [ref.get('h0')] }));
      expect(closeness(fromH0 as tf.Tensor, ref.get('sequences_from_h0'))).toBeLessThanOrEqual(0);
      const [masked, maskedH] = outputsOf(
        layer.apply(x, { mask: tf.cast(ref.get('mask'), 'bool') }),
      );
      expect(closeness(masked as tf.Tensor, ref.get('masked_sequences'))).toBeLessThanOrEqual(0);
      expect(closeness(maskedH as tf.Tensor, ref.get('masked_last_state'))).toBeLessThanOrEqual(0);
      expect(
        closeness(backwards.apply(x) as tf.Tensor, ref.get('backwards_sequences')),
      ).toBeLessThanOrEqual(0);
    });
    layer.dispose();
    backwards.dispose();
  });

  it('stateful: two calls on the halves of a sequence equal one call on the whole', () => {
    const whole = new SimpleRNN({ units: 4, returnSequences: true });
    const stateful = new SimpleRNN({ units: 4, returnSequences: true, stateful: true });
    tf.tidy(() => {
      const x = ref.get('x');
      whole.apply(x);
      whole.setWeights(weights());
      stateful.apply(x);
      stateful.setWeights(weights());
      stateful.resetStates();
      const time = x.shape[1] as number;
      const half = Math.floor(time / 2);
      const first = stateful.apply(tf.slice(x, [0, 0, 0], [-1, half, -1]));
      const second = stateful.apply(tf.slice(x, [0, half, 0], [-1, time - half, -1]));
      expect(closeness(tf.concat([first, second], 1), whole.apply(x))).toBeLessThanOrEqual(0);
    });
    expect(() => new SimpleRNN({ units: 2 }).resetStates()).toThrow(
      /resetStates\(\) needs a stateful layer/,
    );
    whole.dispose();
    stateful.dispose();
  });
});

describe('recurrent layers: harness (config round trip, symbolic shapes, training step, masks)', () => {
  const cases = [
    [SimpleRNN, { units: 3, returnSequences: true }, [2, 4, 2], [2, 4, 3], 3],
    [LSTM, { units: 3, goBackwards: true }, [2, 4, 2], [2, 3], 3],
    [GRU, { units: 3, returnSequences: true }, [2, 4, 2], [2, 4, 3], 3],
    [
      GRU,
      { units: 3, resetAfter: false, dropout: 0.1, recurrentDropout: 0.1, seed: 3 },
      [2, 4, 2],
      [2, 3],
      3,
    ],
  ] as const;
  for (const [Cls, initArgs, inputShape, outputShape, numWeights] of cases) {
    it(`${Cls.className} ${JSON.stringify(initArgs)}`, () => {
      const report = runLayerTest(Cls, {
        initArgs: { ...initArgs },
        inputShape: [...inputShape],
        expectedOutputShape: [...outputShape],
        expectedNumTrainableWeights: numWeights,
        supportsMasking: true,
      });
      expect(report.config.units).toBe(3);
      expect(report.config.cell).toBeUndefined();
    });
  }

  it('RNN around a list of cells (StackedRNNCells) with returnState', () => {
    const report = runLayerTest(RNN, {
      initArgs: {
        cell: [new LSTMCell({ units: 3 }), new GRUCell({ units: 2 })],
        returnState: true,
      },
      inputShape: [2, 4, 2],
      expectedOutputShape: [
        [2, 2],
        [2, 3],
        [2, 3],
        [2, 2],
      ],
      expectedNumTrainableWeights: 6,
    });
    expect((report.config.cell as { class_name: string }).class_name).toBe('StackedRNNCells');
  });

  it('the cells round-trip their Keras configs', () => {
    for (const cell of [
      new SimpleRNNCell({ units: 2, activation: 'relu' }),
      new LSTMCell({ units: 2, unitForgetBias: false }),
      new GRUCell({ units: 2, resetAfter: false }),
      new StackedRNNCells({ cells: [new SimpleRNNCell({ units: 2 }), new LSTMCell({ units: 3 })] }),
    ]) {
      const config = JSON.parse(JSON.stringify(cell.getConfig()));
      const Cls = cell.constructor as unknown as {
        fromConfig(c: unknown): { getConfig(): unknown };
      };
      expect(Cls.fromConfig(config).getConfig()).toEqual(config);
    }
  });
});

describe('recurrent layers: gradients match finite differences on the wasm engine', () => {
  const cases = [
    ['SimpleRNN', () => new SimpleRNN({ units: 2, returnSequences: true })],
    ['LSTM', () => new LSTM({ units: 2 })],
    ['GRU (reset_after)', () => new GRU({ units: 2, biasInitializer: 'glorot_uniform' })],
    [
      'GRU (reset_before)',
      () => new GRU({ units: 2, resetAfter: false, biasInitializer: 'glorot_uniform' }),
    ],
  ] as const;
  for (const [name, make] of cases) {
    it(name, () => {
      const layer = make();
      const x = tf.randomNormal([2, 3, 2], 0, 1, 'float32', 23);
      const results = checkGradientsNumerically(layer, x, { samplesPerWeight: 3 });
      expect(new Set(results.map((r) => r.weight)).size).toBe(3);
      x.dispose();
      layer.dispose();
    });
  }
});
