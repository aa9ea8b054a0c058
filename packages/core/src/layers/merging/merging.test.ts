import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { Input } from '../../engine/input-layer.js';
import { getMask, setMask } from '../../engine/mask.js';
import { Model } from '../../engine/model.js';
import type { Config } from '../../saving/registry.js';
import { runLayerTest } from '../../testing/index.js';
import { Dense } from '../core/dense.js';
import { Add } from './add.js';
import { Average } from './average.js';
import { Concatenate } from './concatenate.js';
import { Dot } from './dot.js';
import { Maximum } from './maximum.js';
import { Minimum } from './minimum.js';
import { Multiply } from './multiply.js';
import { Subtract } from './subtract.js';

beforeAll(async () => {
  await ready();
});

const values = (t: tf.Tensor): number[] =>
  Array.from(t.dataSync()).map((v) => Math.round(v * 1e5) / 1e5);

describe('merging layers: harness (build, symbolic/eager shapes, config round trip, no leaks)', () => {
  const elementwise = [Add, Subtract, Multiply, Average, Maximum, Minimum] as const;
  for (const Layer of elementwise) {
    it(`${Layer.className}`, () => {
      runLayerTest(Layer, {
        inputShape: [
          [2, 3, 4],
          [2, 3, 4],
        ],
        expectedOutputShape: [2, 3, 4],
        expectedNumTrainableWeights: 0,
        supportsMasking: true,
      });
    });
  }
  it('Concatenate', () => {
    const report = runLayerTest(Concatenate, {
      initArgs: { axis: 1 },
      inputShape: [
        [2, 2, 5],
        [2, 1, 5],
      ],
      expectedOutputShape: [2, 3, 5],
    });
    expect(report.config.axis).toBe(1);
  });
  it('Dot', () => {
    const report = runLayerTest(Dot, {
      initArgs: { axes: [1, 2], normalize: true },
      inputShape: [
        [2, 3, 5],
        [2, 10, 3],
      ],
      expectedOutputShape: [2, 5, 10],
    });
    expect(report.config.axes).toEqual([1, 2]);
    expect(report.config.normalize).toBe(true);
  });
});

describe('elementwise merges: values and broadcasting', () => {
  const a = () => tf.tensor2d([[1, -2, 3]]);
  const b = () => tf.tensor2d([[4, 5, -6]]);
  const c = () => tf.tensor2d([[0.5, 0.5, 2]]);
  const cases: [string, () => tf.Tensor, number[]][] = [
    ['Add', () => new Add().apply([a(), b(), c()]), [5.5, 3.5, -1]],
    ['Subtract', () => new Subtract().apply([a(), b()]), [-3, -7, 9]],
    ['Multiply', () => new Multiply().apply([a(), b(), c()]), [2, -5, -36]],
    ['Average', () => new Average().apply([a(), b(), c()]), [5.5 / 3, 3.5 / 3, -1 / 3]],
    ['Maximum', () => new Maximum().apply([a(), b(), c()]), [4, 5, 3]],
    ['Minimum', () => new Minimum().apply([a(), b(), c()]), [0.5, -2, -6]],
  ];
  for (const [name, run, expected] of cases) {
    it(`${name} of hand-picked inputs`, () => {
      tf.tidy(() => {
        expect(values(run())).toEqual(expected.map((v) => Math.round(v * 1e5) / 1e5));
      });
    });
  }

  it('broadcasts size-1 axes and inserts missing axes after the batch axis (Keras rule)', () => {
    tf.tidy(() => {
      const x = tf.tensor3d([
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ]); // [1, 3, 2]
      const row = tf.tensor2d([[10, 20]]); // [1, 2] -> [1, 1, 2]
      const col = tf.tensor3d([[[100], [200], [300]]]); // [1, 3, 1]
      const layer = new Add();
      const y = layer.apply([x, row, col]);
      expect(y.shape).toEqual([1, 3, 2]);
      expect(values(y)).toEqual([111, 122, 213, 224, 315, 326]);
      const sym = layer.apply([
        Input({ shape: [3, 2] }),
        Input({ shape: [2] }),
        Input({ shape: [3, 1] }),
      ]);
      expect(sym.shape).toEqual([null, 3, 2]);
    });
  });

  it('shape errors name the layer, the expected and the received shapes', () => {
    const add = new Add({ name: 'add_bad' });
    expect(() => add.apply([Input({ shape: [3] }), Input({ shape: [4] })])).toThrow(
      /Add 'add_bad': inputs have incompatible shapes; expected shapes that broadcast together, received shapes \[\[null, 3\], \[null, 4\]\]/,
    );
    const sub = new Subtract({ name: 'sub3' });
    expect(() =>
      sub.apply([Input({ shape: [3] }), Input({ shape: [3] }), Input({ shape: [3] })]),
    ).toThrow(/Subtract 'sub3': expected exactly 2 inputs, received 3/);
    expect(() => new Add({ name: 'single' }).apply(Input({ shape: [3] }))).toThrow(
      /Add 'single': a merge layer must be called on a list of inputs, received one input of shape \[null, 3\]/,
    );
    tf.tidy(() => {
      expect(() => new Add({ name: 'batches' }).apply([tf.ones([2, 3]), tf.ones([3, 3])])).toThrow(
        /different batch sizes, received shapes \[\[2, 3\], \[3, 3\]\]/,
      );
    });
    const cat = new Concatenate({ axis: 1, name: 'cat_bad' });
    expect(() => cat.apply([Input({ shape: [2, 5] }), Input({ shape: [1, 4] })])).toThrow(
      /Concatenate 'cat_bad': expected inputs with matching shapes except along axis 1, received shapes \[\[null, 2, 5\], \[null, 1, 4\]\]/,
    );
    const dot = new Dot({ axes: 1, name: 'dot_bad' });
    expect(() => dot.apply([Input({ shape: [3] }), Input({ shape: [4] })])).toThrow(
      /Dot 'dot_bad': expected equal sizes along the summed axes .* \(3 != 4\)/,
    );
  });
});

describe('masks', () => {
  // x1 masked at step 1, x2 masked at step 0; one feature per step.
  const setup = () => {
    const x1 = tf.tensor3d([[[1], [2], [3]]]);
    const x2 = tf.tensor3d([[[10], [-20], [30]]]);
    setMask(x1, tf.tensor2d([[true, false, true]]));
    setMask(x2, tf.tensor2d([[false, true, true]]));
    return [x1, x2] as const;
  };

  it('Add/Multiply treat masked entries as the identity (Subtract ignores masks); the output mask is the OR', () => {
    tf.tidy(() => {
      const [x1, x2] = setup();
      const sum = new Add().apply([x1, x2]);
      expect(values(sum)).toEqual([1, -20, 33]);
      expect(getMask(sum)?.arraySync()).toEqual([[1, 1, 1]]);
      expect(values(new Subtract().apply([x1, x2]))).toEqual([-9, 22, -27]); // Keras: values ignore masks
      expect(values(new Multiply().apply([x1, x2]))).toEqual([1, -20, 90]);
    });
  });

  it('Average ignores masks in its values; Maximum/Minimum take the unmasked value', () => {
    tf.tidy(() => {
      const [x1, x2] = setup();
      expect(values(new Average().apply([x1, x2]))).toEqual([5.5, -9, 16.5]); // Keras: values ignore masks
      expect(values(new Maximum().apply([x1, x2]))).toEqual([1, -20, 30]);
      expect(values(new Minimum().apply([x1, x2]))).toEqual([1, -20, 3]);
    });
  });

  it('Multiply gives 0 where every input is masked (Keras 3), Add gives 0 there too', () => {
    tf.tidy(() => {
      const a = tf.tensor3d([[[2], [3]]]);
      const b = tf.tensor3d([[[5], [7]]]);
      setMask(a, tf.tensor2d([[true, false]]));
      setMask(b, tf.tensor2d([[false, false]]));
      expect(values(new Multiply().apply([a, b]))).toEqual([2, 0]);
      expect(values(new Add().apply([a, b]))).toEqual([2, 0]);
    });
  });

  it('no output mask unless every input has one; Concatenate fills missing masks with ones; Dot drops masks', () => {
    tf.tidy(() => {
      const [x1] = setup();
      const plain = tf.ones([1, 3, 1]);
      expect(getMask(new Add().apply([x1, plain]))).toBeNull();
      const cat = new Concatenate({ axis: 1 }).apply([x1, plain]);
      expect(cat.shape).toEqual([1, 6, 1]);
      expect(getMask(cat)?.arraySync()).toEqual([[1, 0, 1, 1, 1, 1]]);
      const features = new Concatenate().apply([x1, plain]);
      expect(getMask(features)?.arraySync()).toEqual([[1, 1, 1]]);
      expect(getMask(new Dot({ axes: 2 }).apply([x1, plain]))).toBeNull();
    });
  });

  it('symbolic masks follow the same rules', () => {
    const ids = Input({ shape: [3] });
    const x1 = new Dense({ units: 2 }).apply(ids);
    const masked = Input({ shape: [3, 2] });
    masked.mask = Input({ shape: [3], dtype: 'bool' });
    const masked2 = Input({ shape: [3, 2] });
    masked2.mask = Input({ shape: [3], dtype: 'bool' });
    expect(new Add().apply([masked, masked2]).mask?.shape).toEqual([null, 3]);
    expect(
      new Add().apply([masked, new Dense({ units: 2 }).apply(masked2)]).mask ?? null,
    ).not.toBeNull();
    expect(x1.shape).toEqual([null, 2]);
  });
});

describe('Dot', () => {
  it('matches hand-computed batch dot products (axes pair, rank 2, normalize)', () => {
    tf.tidy(() => {
      const x = tf.tensor3d([
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ]); // [1, 3, 2]
      const y = tf.tensor3d([
        [
          [1, 0, 2],
          [0, 1, -1],
        ],
      ]); // [1, 2, 3]
      // axes [1, 2]: out[i, j] = sum_k x[k, i] * y[j, k]
      const out = new Dot({ axes: [1, 2] }).apply([x, y]);
      expect(out.shape).toEqual([1, 2, 2]);
      expect(values(out)).toEqual([1 + 10, 0 + 3 - 5, 2 + 12, 0 + 4 - 6]);
      const v = tf.tensor2d([
        [1, 2, 2],
        [3, 0, 4],
      ]);
      const w = tf.tensor2d([
        [2, 0, 1],
        [0, 1, 0],
      ]);
      const d = new Dot({ axes: 1 }).apply([v, w]);
      expect(d.shape).toEqual([2, 1]);
      expect(values(d)).toEqual([4, 0]);
      const cos = new Dot({ axes: -1, normalize: true }).apply([v, w]);
      expect(values(cos)).toEqual([Math.round((4 / (3 * Math.sqrt(5))) * 1e5) / 1e5, 0]);
    });
  });
});

describe('merging layers in a Functional model', () => {
  it('two inputs through Dense branches merged by Add, Concatenate and Dot; config round trip', () => {
    const left = Input({ shape: [4], name: 'left' });
    const right = Input({ shape: [4], name: 'right' });
    const shared = new Dense({ units: 3, name: 'shared_dense' });
    const l = shared.apply(left);
    const r = shared.apply(right);
    const added = new Add({ name: 'add' }).apply([l, r]);
    const joined = new Concatenate({ name: 'concat' }).apply([added, l]);
    const similarity = new Dot({ axes: 1, normalize: true, name: 'cosine' }).apply([l, r]);
    const model = new Model({ inputs: [left, right], outputs: [joined, similarity] });
    expect(joined.shape).toEqual([null, 6]);
    expect(similarity.shape).toEqual([null, 1]);
    expect(model.countParams()).toBe(4 * 3 + 3);

    const xl = tf.randomNormal([5, 4], 0, 1, 'float32', 3);
    const xr = tf.randomNormal([5, 4], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    const [y, s] = model.apply([xl, xr]) as tf.Tensor[];
    tf.tidy(() => {
      const dl = shared.apply(xl);
      const dr = shared.apply(xr);
      const expected = tf.concat([tf.add(dl, dr), dl], 1);
      expect(tf.max(tf.abs(tf.sub(y as tf.Tensor, expected))).dataSync()[0]).toBeLessThan(1e-6);
      const cos = tf.div(
        tf.sum(tf.mul(dl, dr), 1, true),
        tf.mul(tf.norm(dl, 2, 1, true), tf.norm(dr, 2, 1, true)),
      );
      expect(tf.max(tf.abs(tf.sub(s as tf.Tensor, cos))).dataSync()[0]).toBeLessThan(1e-5);
    });
    tf.dispose([y as tf.Tensor, s as tf.Tensor]);
    expect(tf.memory().numTensors).toBe(before);

    const rebuilt = Model.fromConfig(JSON.parse(JSON.stringify(model.getConfig())));
    expect(rebuilt.layers.map((x) => x.className)).toEqual(model.layers.map((x) => x.className));
    rebuilt.setWeights(model.getWeights());
    tf.tidy(() => {
      const [y2] = rebuilt.apply([xl, xr]) as tf.Tensor[];
      const [y1] = model.apply([xl, xr]) as tf.Tensor[];
      expect(tf.max(tf.abs(tf.sub(y1 as tf.Tensor, y2 as tf.Tensor))).dataSync()[0]).toBe(0);
    });
    tf.dispose([xl, xr]);
    model.dispose();
    rebuilt.dispose();
  });
});

describe('a Keras 3 model with Concatenate (two_in_two_out.keras)', () => {
  it('rebuilds from its Keras config and reproduces the Keras predictions to 1e-5', () => {
    const file = JSON.parse(
      readFileSync(
        join(
          dirname(fileURLToPath(import.meta.url)),
          '../../../test-fixtures/reference/merging/two_in_two_out.json',
        ),
        'utf8',
      ),
    ) as {
      config: Config;
      weights: Record<string, { shape: number[]; data: number[] }>;
      inputs: Record<string, number[][]>;
      outputs: Record<string, number[][]>;
    };
    const model = Model.fromConfig(file.config);
    expect(model.inputNames).toEqual(['input_a', 'input_b']);
    expect(model.outputNames).toEqual(['class_out', 'reg_out']);
    expect(model.getLayer('concat').className).toBe('Concatenate');
    // model.weights.h5 names layers by Keras object name in creation order: dense = shared_dense, ...
    const h5Names: Record<string, string> = {
      shared_dense: 'dense',
      class_out: 'dense_1',
      reg_out: 'dense_2',
    };
    tf.tidy(() => {
      for (const [layer, h5] of Object.entries(h5Names)) {
        const vars = [0, 1].map((i) => {
          const w = file.weights[`layers/${h5}/vars/${i}`] as { shape: number[]; data: number[] };
          return tf.tensor(w.data, w.shape);
        });
        model.getLayer(layer).setWeights(vars);
      }
      const inputs = ['input_a', 'input_b'].map((n) => tf.tensor2d(file.inputs[n] as number[][]));
      const outs = model.apply(inputs) as tf.Tensor[];
      ['class_out', 'reg_out'].forEach((n, i) => {
        const expected = tf.tensor2d(file.outputs[n] as number[][]);
        expect(tf.max(tf.abs(tf.sub(outs[i] as tf.Tensor, expected))).dataSync()[0]).toBeLessThan(
          1e-5,
        );
      });
    });
    model.dispose();
  });
});
