import { backend, getMask, Input, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlibiBias } from './alibi-bias.js';
import { PositionEmbedding } from './position-embedding.js';
import { ReversibleEmbedding } from './reversible-embedding.js';
import { RotaryEmbedding } from './rotary-embedding.js';
import { SinePositionEncoding } from './sine-position-encoding.js';
import { TokenAndPositionEmbedding } from './token-and-position-embedding.js';

beforeAll(async () => {
  await backend.ready();
});

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('PositionEmbedding', () => {
  it('passes the harness and slices rows startIndex.. of its table', () => {
    runLayerTest(PositionEmbedding, {
      initArgs: { sequenceLength: 6 },
      inputShape: [2, 4, 3],
      expectedOutputShape: [2, 4, 3],
      expectedNumTrainableWeights: 1,
    });
    const layer = new PositionEmbedding({ sequenceLength: 4, initializer: 'zeros' });
    layer.maybeBuild([null, 2, 2]);
    const table = tf.tensor2d([0, 1, 10, 11, 20, 21, 30, 31], [4, 2]);
    layer.setWeights([table]);
    const x = tf.zeros([2, 2, 2]);
    const y = layer.apply(x, { startIndex: 1 }) as tf.Tensor;
    expect(values(y)).toEqual([10, 11, 20, 21, 10, 11, 20, 21]);
    expect(() => layer.apply(x, { startIndex: 3 })).toThrow(
      /positions 3\.\.4 exceed the table of sequenceLength=4/,
    );
    tf.dispose([table, x, y]);
    layer.dispose();
  });
});

describe('SinePositionEncoding', () => {
  it('matches the sinusoids of "Attention Is All You Need" (hand-derived)', () => {
    runLayerTest(SinePositionEncoding, {
      initArgs: { maxWavelength: 100 },
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedNumTrainableWeights: 0,
    });
    const x = tf.zeros([1, 3, 4]);
    const y = new SinePositionEncoding().apply(x) as tf.Tensor;
    // PE(p, 2i) = sin(p / 10000^(2i/4)), PE(p, 2i+1) = cos(p / 10000^(2i/4)).
    const expected = [
      0,
      1,
      0,
      1,
      Math.sin(1),
      Math.cos(1),
      Math.sin(0.01),
      Math.cos(0.01),
      Math.sin(2),
      Math.cos(2),
      Math.sin(0.02),
      Math.cos(0.02),
    ];
    values(y).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 6);
    });
    const shifted = new SinePositionEncoding().apply(x, { startIndex: 5 }) as tf.Tensor;
    expect(values(shifted)[0]).toBeCloseTo(Math.sin(5), 6);
    tf.dispose([x, y, shifted]);
  });
});

describe('RotaryEmbedding', () => {
  it('rotates feature pairs (i, i + d/2) by position * 10000^(-2i/d) (hand-derived)', () => {
    runLayerTest(RotaryEmbedding, {
      inputShape: [2, 3, 2, 4],
      expectedOutputShape: [2, 3, 2, 4],
      expectedNumTrainableWeights: 0,
    });
    // d = 4: frequencies 1 and 1/100. Position p rotates (x0, x2) by p and (x1, x3) by p/100.
    const x = tf.tensor3d([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], [1, 3, 4]);
    const y = new RotaryEmbedding().apply(x) as tf.Tensor;
    const expected: number[] = [];
    for (let p = 0; p < 3; p++) {
      const [a, b] = [p, p / 100];
      expected.push(
        1 * Math.cos(a) - 3 * Math.sin(a),
        2 * Math.cos(b) - 4 * Math.sin(b),
        3 * Math.cos(a) + 1 * Math.sin(a),
        4 * Math.cos(b) + 2 * Math.sin(b),
      );
    }
    values(y).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 5);
    });
    // Rotations keep norms, and the dot product of rotated q, k depends only on the offset.
    const q = tf.randomNormal([1, 6, 8], 0, 1, 'float32', 1);
    const rope = new RotaryEmbedding({ scalingFactor: 2 });
    const r0 = rope.apply(q) as tf.Tensor;
    const r3 = rope.apply(q, { startIndex: 3 }) as tf.Tensor;
    const viaPositions = rope.apply(q, { positions: tf.tensor1d([3, 4, 5, 6, 7, 8]) }) as tf.Tensor;
    values(viaPositions).forEach((v, i) => {
      expect(v).toBeCloseTo(values(r3)[i] as number, 5);
    });
    const norms = (t: tf.Tensor) => values(tf.tidy(() => tf.norm(t, 'euclidean', -1)));
    norms(r0).forEach((n, i) => {
      expect(n).toBeCloseTo(norms(q)[i] as number, 4);
    });
    tf.dispose([x, y, q, r0, r3, viaPositions]);
  });

  it('supports other sequence/feature axes', () => {
    const x = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 2); // [batch, features, seq]
    const moved = new RotaryEmbedding({ sequenceAxis: 2, featureAxis: 1 }).apply(x) as tf.Tensor;
    const direct = tf.tidy(() =>
      tf.transpose(new RotaryEmbedding().apply(tf.transpose(x, [0, 2, 1])) as tf.Tensor, [0, 2, 1]),
    );
    expect(values(moved)).toEqual(values(direct));
    tf.dispose([x, moved, direct]);
  });
});

describe('AlibiBias', () => {
  it('uses the slopes published with ALiBi: 2^-1..2^-8 for 8 heads, interleaved for 12', () => {
    runLayerTest(AlibiBias, {
      inputShape: [2, 4, 3, 3],
      expectedOutputShape: [2, 4, 3, 3],
      expectedNumTrainableWeights: 0,
    });
    const alibi = new AlibiBias();
    expect(alibi.slopes(8)).toEqual([
      1 / 2,
      1 / 4,
      1 / 8,
      1 / 16,
      1 / 32,
      1 / 64,
      1 / 128,
      1 / 256,
    ]);
    const twelve = alibi.slopes(12);
    const expected12 = [
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((k) => 2 ** -k),
      ...[0.5, 1.5, 2.5, 3.5].map((k) => 2 ** -k),
    ];
    twelve.forEach((s, i) => {
      expect(s).toBeCloseTo(expected12[i] as number, 12);
    });
    const scores = tf.zeros([1, 2, 1, 3]);
    const biased = alibi.apply(scores) as tf.Tensor;
    // 2 heads: slopes 2^-4, 2^-8; bias slope * (j - 2).
    const expected = [-2 / 16, -1 / 16, 0, -2 / 256, -1 / 256, 0];
    values(biased).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i] as number, 7);
    });
    tf.dispose([scores, biased]);
  });
});

describe('ReversibleEmbedding', () => {
  it('embeds ids and projects back with the tied (or a separate) table', () => {
    runLayerTest(ReversibleEmbedding, {
      initArgs: { inputDim: 5, outputDim: 3 },
      inputShape: [2, 4],
      inputDtype: 'int32',
      expectedOutputShape: [2, 4, 3],
      expectedNumTrainableWeights: 1,
    });
    runLayerTest(ReversibleEmbedding, {
      initArgs: { inputDim: 5, outputDim: 3, tieWeights: false, logitSoftCap: 2 },
      inputShape: [2, 4],
      inputDtype: 'int32',
      expectedOutputShape: [2, 4, 3],
      expectedNumTrainableWeights: 2,
      runTrainingStep: false,
    });
    const layer = new ReversibleEmbedding({ inputDim: 3, outputDim: 2 });
    layer.maybeBuild([null, 1]);
    const table = tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]);
    layer.setWeights([table]);
    const hidden = tf.tensor3d([2, 3], [1, 1, 2]);
    const logits = layer.apply(hidden, { reverse: true }) as tf.Tensor;
    expect(logits.shape).toEqual([1, 1, 3]);
    expect(values(logits)).toEqual([2, 3, 5]);
    const symbolic = layer.apply(Input({ shape: [4, 2] }), { reverse: true });
    expect(symbolic.shape).toEqual([null, 4, 3]);
    const capped = new ReversibleEmbedding({ inputDim: 3, outputDim: 2, logitSoftCap: 2 });
    capped.maybeBuild([null, 1]);
    capped.setWeights([table]);
    const cappedLogits = capped.apply(hidden, { reverse: true }) as tf.Tensor;
    values(cappedLogits).forEach((v, i) => {
      expect(v).toBeCloseTo(Math.tanh(([2, 3, 5][i] as number) / 2) * 2, 5);
    });
    tf.dispose([table, hidden, logits, cappedLogits]);
    layer.dispose();
    capped.dispose();
  });
});

describe('TokenAndPositionEmbedding', () => {
  it('adds token and position embeddings and carries the padding mask', () => {
    runLayerTest(TokenAndPositionEmbedding, {
      initArgs: { vocabularySize: 5, sequenceLength: 6, embeddingDim: 3, maskZero: true },
      inputShape: [2, 4],
      inputDtype: 'int32',
      expectedOutputShape: [2, 4, 3],
      expectedNumTrainableWeights: 2,
      supportsMasking: true,
    });
    const layer = new TokenAndPositionEmbedding({
      vocabularySize: 4,
      sequenceLength: 3,
      embeddingDim: 2,
      maskZero: true,
    });
    layer.maybeBuild([null, 3]);
    expect(layer.weights.map((w) => w.path)).toEqual([
      `${layer.name}/token_embedding/embeddings`,
      `${layer.name}/position_embedding/embeddings`,
    ]);
    const tokens = tf.tensor2d([0, 0, 1, 1, 2, 2, 3, 3], [4, 2]);
    const positions = tf.tensor2d([100, 200, 300, 400, 500, 600], [3, 2]);
    layer.setWeights([tokens, positions]);
    const ids = tf.tensor2d([[2, 3, 0]], [1, 3], 'int32');
    const y = layer.apply(ids) as tf.Tensor;
    expect(values(y)).toEqual([102, 202, 303, 403, 500, 600]);
    expect(values(getMask(y) as tf.Tensor)).toEqual([1, 1, 0]);
    tf.dispose([tokens, positions, ids, y, getMask(y) as tf.Tensor]);
    layer.dispose();
  });
});
