/**
 * Partial loading (by name, skipMismatch, a new head for transfer learning), the registered custom
 * class of Keras's own backward-compatibility fixture, and the layout of the files Cornu writes
 * compared with the files Keras 3 wrote for the same architectures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import type { CallArgs } from '../engine/layer.js';
import { Model, type ModelArgs } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { NotFoundError } from '../errors/errors.js';
import * as layers from '../layers/index.js';
import { fixture, maxAbsDiff, tempDir } from './fixture-helpers.test-helper.js';
import { readH5 } from './h5.js';
import { loadModel, saveModel } from './load-model.js';
import { type Config, registerSerializable } from './registry.js';

beforeAll(async () => {
  await ready();
});

function classifier(headUnits: number, headName = 'head'): Sequential {
  return new Sequential([
    new layers.Dense({ units: 6, activation: 'relu', inputShape: [4], name: 'trunk_1' }),
    new layers.Dense({ units: 5, activation: 'relu', name: 'trunk_2' }),
    new layers.Dense({ units: headUnits, name: headName }),
  ]);
}

async function datasetPaths(bytes: Uint8Array, label: string): Promise<string[]> {
  return readH5(bytes, label, (r) => r.datasets('').sort());
}

describe('partial loading', () => {
  it('transfer learning: a different head is skipped (skipMismatch) and reported, the trunk is loaded', async () => {
    const source = classifier(3);
    const path = join(tempDir(), 'source.weights.h5');
    await source.saveWeights(path);
    const target = classifier(10);
    const report = await target.loadWeights(path, { skipMismatch: true });
    expect(report.loaded).toEqual(['layers/dense', 'layers/dense_1']);
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]?.path).toBe('layers/dense_2');
    expect(report.skipped[0]?.reason).toMatch(/shape \[5, 10\].*shape \[5, 3\]/);
    const [a, b] = [source.layers[0]!.getWeights(), target.layers[0]!.getWeights()];
    expect(maxAbsDiff(a[0]!, b[0]!)).toBe(0);
    tf.dispose([...a, ...b]);
    source.dispose();
    target.dispose();
  });

  it('by name: layers are matched by the names Keras records on each vars group, whatever their order', async () => {
    const source = classifier(3);
    const path = join(tempDir(), 'by-name.weights.h5');
    await source.saveWeights(path);
    // Same layer names, different topology: an extra layer in front, the head renamed.
    const target = new Sequential([
      new layers.Dense({ units: 4, inputShape: [4], name: 'adapter' }),
      new layers.Dense({ units: 6, activation: 'relu', name: 'trunk_1' }),
      new layers.Dense({ units: 5, activation: 'relu', name: 'trunk_2' }),
      new layers.Dense({ units: 3, name: 'new_head' }),
    ]);
    const report = await target.loadWeights(path, { byName: true });
    expect(report.loaded).toEqual(['layers/dense_1', 'layers/dense_2']);
    expect(report.skipped.map((s) => s.path)).toEqual(['adapter', 'new_head']);
    const [a, b] = [
      source.getLayer('trunk_2').getWeights(),
      target.getLayer('trunk_2').getWeights(),
    ];
    expect(maxAbsDiff(a[0]!, b[0]!)).toBe(0);
    tf.dispose([...a, ...b]);
    source.dispose();
    target.dispose();
  });
});

describe("Keras's pre_pr22362_nested_container.keras (custom registered class)", () => {
  const path = fixture('keras3', 'pre_pr22362_nested_container.keras');

  it('without registration fails naming the class and the fix', async () => {
    const error = await loadModel(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toMatch(
      /Unknown class 'legacy_nested_container>NestedDenseModel'.*registerSerializable\('legacy_nested_container'\)\(NestedDenseModel\)/,
    );
  });

  it('once registered, loads with the constant weights its SOURCES entry names', async () => {
    interface NestedArgs extends ModelArgs {
      num?: number;
    }
    class NestedDenseModel extends Model {
      static override readonly className = 'NestedDenseModel';
      readonly num: number;
      readonly blocks: layers.Dense[][];
      readonly head: layers.Dense;
      constructor({ num = 3, ...args }: NestedArgs = {}) {
        super(args);
        this.num = num;
        const dense = (i: number) => new layers.Dense({ units: 4, useBias: false, name: `d_${i}` });
        this.blocks = [[dense(0), dense(1)], [dense(2)]];
        this.head = new layers.Dense({ units: 2 });
      }
      override call(x: tf.Tensor | tf.Tensor[], _args: CallArgs): tf.Tensor {
        let y = x as tf.Tensor;
        for (const block of this.blocks) for (const layer of block) y = layer.apply(y) as tf.Tensor;
        return this.head.apply(y) as tf.Tensor;
      }
      override getConfig(): Config {
        return { ...super.getConfig(), num: this.num };
      }
      static override fromConfig<T>(this: new (args: NestedArgs) => T, config: Config): T {
        return new this({ name: config.name as string, num: config.num as number });
      }
    }
    registerSerializable('legacy_nested_container')(NestedDenseModel as never);
    const model = await loadModel(path);
    expect(model).toBeInstanceOf(NestedDenseModel);
    const weights = model.getWeights();
    const expected = [0.1, 0.2, 0.3, 0.5, 0];
    expect(weights.map((w) => w.shape)).toEqual([[4, 4], [4, 4], [4, 4], [4, 2], [2]]);
    weights.forEach((w, i) => {
      for (const v of w.dataSync()) expect(v).toBeCloseTo(expected[i] as number, 6);
    });
    // y = 0.5*4 * 0.3*4 * 0.2*4 * 0.1 * sum(x) = 0.192 * sum(x) in both outputs.
    const x = tf.tensor([[1, 2, 3, 4]]);
    const y = model.apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync()).map((v) => Number(v.toFixed(5)))).toEqual([1.92, 1.92]);
    tf.dispose([...weights, x, y]);
    model.dispose();
  });
});

describe('files Cornu writes follow the layout Keras 3 wrote', () => {
  for (const stem of [
    'sequential_mlp',
    'functional_cnn',
    'two_in_two_out',
    'rnn_masked',
    'transformer_block',
    'compiled_adam_mlp',
  ]) {
    it(`${stem}: load -> save gives the same weight paths and layer classes as Keras's file`, async () => {
      const original = unzipSync(readFileSync(fixture('keras3', `${stem}.keras`)));
      const model = await loadModel(fixture('keras3', `${stem}.keras`));
      const path = join(tempDir(), `${stem}.keras`);
      await saveModel(model, path);
      const ours = unzipSync(readFileSync(path));
      expect(await datasetPaths(ours['model.weights.h5'] as Uint8Array, 'ours')).toEqual(
        await datasetPaths(original['model.weights.h5'] as Uint8Array, 'keras'),
      );
      const classes = (bytes: Uint8Array) => {
        const config = JSON.parse(new TextDecoder().decode(bytes)) as Config;
        const inner = config.config as Config;
        return [
          config.class_name,
          ...((inner.layers ?? []) as Config[]).map(
            (l) => `${l.class_name}:${(l.config as Config).name}`,
          ),
        ];
      };
      expect(classes(ours['config.json'] as Uint8Array)).toEqual(
        classes(original['config.json'] as Uint8Array),
      );
      // Node arguments: the same tensors (keras_history) and the same literal operands.
      const nodeArgs = (bytes: Uint8Array) => {
        const config = JSON.parse(new TextDecoder().decode(bytes)) as Config;
        const simplify = (v: unknown): unknown =>
          Array.isArray(v)
            ? v.map(simplify)
            : v && typeof v === 'object' && (v as Config).class_name === '__keras_tensor__'
              ? ((v as Config).config as Config).keras_history
              : v;
        return (((config.config as Config).layers ?? []) as Config[]).map((l) => [
          l.class_name,
          ((l.inbound_nodes ?? []) as Config[]).map((n) => simplify(n.args)),
        ]);
      };
      expect(nodeArgs(ours['config.json'] as Uint8Array)).toEqual(
        nodeArgs(original['config.json'] as Uint8Array),
      );
      model.dispose();
    });
  }
});
