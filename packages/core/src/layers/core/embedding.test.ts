import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { Input } from '../../engine/input-layer.js';
import { type CallArgs, Layer } from '../../engine/layer.js';
import { getMask } from '../../engine/mask.js';
import { Model } from '../../engine/model.js';
import { checkGradientsNumerically } from '../../testing/check-gradients.js';
import { runLayerTest } from '../../testing/run-layer-test.js';
import { Embedding } from './embedding.js';

beforeAll(async () => {
  await ready();
});

/** Records the mask its call receives (a stand-in for an RNN or attention layer). */
class MaskRecorder extends Layer {
  static override readonly className = 'MaskRecorder';
  seen: number[][] | null | undefined = undefined;
  constructor() {
    super();
    this.supportsMasking = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs): tf.Tensor {
    const m = args.mask as tf.Tensor | null | undefined;
    this.seen = m ? (m.arraySync() as unknown as number[][]).map((row) => row.map(Number)) : null;
    return tf.sum(inputs as tf.Tensor, -1);
  }
}

describe('Embedding', () => {
  it('passes the layer harness', () => {
    runLayerTest(Embedding, {
      initArgs: { inputDim: 5, outputDim: 3 },
      inputShape: [2, 4],
      inputDtype: 'int32',
      expectedOutputShape: [2, 4, 3],
      expectedOutputDtype: 'float32',
      expectedNumTrainableWeights: 1,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: false,
      zeroGradientWeights: [],
    });
    runLayerTest(Embedding, {
      initArgs: { inputDim: 5, outputDim: 2, maskZero: true },
      inputShape: [2, 3],
      inputDtype: 'int32',
      expectedOutputShape: [2, 3, 2],
      supportsMasking: true,
    });
  });

  it('looks up rows of the table', () => {
    const layer = new Embedding({ inputDim: 3, outputDim: 2 });
    const ids = tf.tensor2d([[2, 0, 1]], [1, 3], 'int32');
    layer.apply(ids).dispose();
    layer.setWeights([tf.tensor2d([0, 1, 10, 11, 20, 21], [3, 2])]);
    const y = layer.apply(ids);
    expect(Array.from(y.dataSync())).toEqual([20, 21, 0, 1, 10, 11]);
    tf.dispose([ids, y]);
    layer.dispose();
  });

  it('has table gradients that match finite differences (repeated ids accumulate)', () => {
    const layer = new Embedding({ inputDim: 4, outputDim: 3 });
    const ids = tf.tensor2d([[1, 1, 3, 0]], [1, 4], 'int32');
    const results = checkGradientsNumerically(layer, ids, { samplesPerWeight: 12 });
    expect(results.length).toBe(12);
    tf.dispose(ids);
    layer.dispose();
  });

  it('maskZero: the mask reaches a downstream layer, eagerly and through a Functional graph', () => {
    const ids = tf.tensor2d(
      [
        [3, 1, 0, 0],
        [0, 2, 0, 4],
      ],
      [2, 4],
      'int32',
    );
    const expected = [
      [1, 1, 0, 0],
      [0, 1, 0, 1],
    ];
    const embed = new Embedding({ inputDim: 5, outputDim: 2, maskZero: true });
    const recorder = new MaskRecorder();
    embed.maybeBuild([null, 4]);
    const start = tf.memory().numTensors;
    const e = embed.apply(ids);
    expect(getMask(e)?.dtype).toBe('bool');
    expect(getMask(e)?.arraySync()).toEqual(expected);
    const out = recorder.apply(e);
    expect(recorder.seen).toEqual(expected);
    tf.dispose([getMask(e) as tf.Tensor, e, out]);
    expect(tf.memory().numTensors).toBe(start);

    const inputs = Input({ shape: [4], dtype: 'int32' });
    const embedded = embed.apply(inputs);
    expect(embedded.mask?.shape).toEqual([null, 4]);
    const recorder2 = new MaskRecorder();
    const model = new Model({ inputs, outputs: recorder2.apply(embedded) });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const y = model.apply(ids) as tf.Tensor;
      expect(recorder2.seen).toEqual(expected);
      y.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    ids.dispose();
    model.dispose();
  });

  it('reads the Keras 3 config of rnn_masked.keras', () => {
    const config = {
      name: 'embed',
      trainable: true,
      dtype: {
        module: 'keras',
        class_name: 'DTypePolicy',
        config: { name: 'float32' },
        registered_name: null,
      },
      input_dim: 50,
      output_dim: 8,
      embeddings_initializer: {
        module: 'keras.initializers',
        class_name: 'RandomUniform',
        config: { seed: null, minval: -0.05, maxval: 0.05 },
        registered_name: null,
      },
      embeddings_regularizer: null,
      activity_regularizer: null,
      embeddings_constraint: null,
      mask_zero: true,
      quantization_config: null,
    };
    const layer = Embedding.fromConfig(config);
    expect(layer.maskZero).toBe(true);
    expect(layer.getConfig()).toEqual(config);
    expect(() => new Embedding({ inputDim: 0, outputDim: 2 })).toThrow(
      /inputDim must be a positive integer\. Received: inputDim=0/,
    );
  });
});
