import { backend, tf, utils } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertFormat } from './convert-format.js';
import { nonMaxSuppression } from './non-max-suppression.js';

/** n random yxyx boxes in a 100 x 100 image (sizes 5..40, so many overlap) and scores. */
function randomBoxes(n: number, seed: number): { boxes: tf.Tensor2D; scores: tf.Tensor1D } {
  const rng = utils.createRng(seed);
  const b: number[][] = [];
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng() * 80;
    const x = rng() * 80;
    b.push([y, x, y + 5 + rng() * 35, x + 5 + rng() * 35]);
    s.push(rng());
  }
  return { boxes: tf.tensor2d(b), scores: tf.tensor1d(s) };
}

beforeAll(async () => {
  await backend.ready();
});

describe('nonMaxSuppression', () => {
  it.each([
    [0.5, Number.NEGATIVE_INFINITY, 20],
    [0.3, 0.2, 50],
    [0.7, 0.5, 10],
  ])(
    'hard NMS agrees with tf.image.nonMaxSuppression (iou %s, score %s, max %s)',
    (iouThreshold, scoreThreshold, maxOutputSize) => {
      for (const seed of [1, 2, 3]) {
        const { boxes, scores } = randomBoxes(200, seed);
        const expected = tf.image.nonMaxSuppression(
          boxes,
          scores,
          maxOutputSize,
          iouThreshold,
          scoreThreshold,
        );
        const ours = nonMaxSuppression(boxes, scores, {
          maxOutputSize,
          iouThreshold,
          scoreThreshold,
        });
        expect(Array.from(ours.selectedIndices.dataSync())).toEqual(
          Array.from(expected.dataSync()),
        );
        tf.dispose([boxes, scores, expected, ours.selectedIndices, ours.selectedScores]);
      }
    },
  );

  it('soft NMS agrees with tf.image.nonMaxSuppressionWithScore', () => {
    const { boxes, scores } = randomBoxes(150, 9);
    const expected = tf.image.nonMaxSuppressionWithScore(boxes, scores, 40, 0.6, 0.1, 0.5);
    const ours = nonMaxSuppression(boxes, scores, {
      maxOutputSize: 40,
      iouThreshold: 0.6,
      scoreThreshold: 0.1,
      softNmsSigma: 0.5,
    });
    expect(Array.from(ours.selectedIndices.dataSync())).toEqual(
      Array.from((expected.selectedIndices as tf.Tensor1D).dataSync()),
    );
    const a = ours.selectedScores.dataSync();
    const e = (expected.selectedScores as tf.Tensor1D).dataSync();
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(e[i] as number, 5);
    });
    // soft NMS decays: some selected score is below its input score
    const input = scores.dataSync();
    const idx = ours.selectedIndices.dataSync();
    expect(Array.from(idx).some((j, k) => (a[k] as number) < (input[j] as number) - 1e-6)).toBe(
      true,
    );
    tf.dispose([
      boxes,
      scores,
      expected.selectedIndices,
      expected.selectedScores,
      ours.selectedIndices,
      ours.selectedScores,
    ]);
  });

  it('per class: equals NMS run on each class alone, merged by score', () => {
    const { boxes, scores } = randomBoxes(120, 5);
    const classes = Array.from({ length: 120 }, (_, i) => i % 3);
    const ours = nonMaxSuppression(boxes, scores, {
      maxOutputSize: 1000,
      iouThreshold: 0.4,
      classes,
    });
    const s = scores.dataSync();
    const merged: number[] = [];
    for (const c of [0, 1, 2]) {
      const members = classes
        .map((k, i) => [k, i] as const)
        .filter(([k]) => k === c)
        .map(([, i]) => i);
      const sub = tf.gather(boxes, members);
      const subScores = tf.gather(scores, members);
      const kept = tf.image.nonMaxSuppression(
        sub as tf.Tensor2D,
        subScores as tf.Tensor1D,
        1000,
        0.4,
      );
      for (const k of kept.dataSync()) merged.push(members[k] as number);
      tf.dispose([sub, subScores, kept]);
    }
    merged.sort((i, j) => (s[j] as number) - (s[i] as number));
    expect(Array.from(ours.selectedIndices.dataSync())).toEqual(merged);
    tf.dispose([boxes, scores, ours.selectedIndices, ours.selectedScores]);
  });

  it('takes other box formats, leaks nothing and validates', () => {
    const { boxes, scores } = randomBoxes(60, 11);
    const expected = tf.image.nonMaxSuppression(boxes, scores, 15, 0.5);
    const xywh = convertFormat(boxes, { source: 'yxyx', target: 'xywh' });
    const before = tf.memory().numTensors;
    const ours = nonMaxSuppression(xywh, scores, { maxOutputSize: 15, boundingBoxFormat: 'xywh' });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(ours.selectedIndices.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(() => nonMaxSuppression(boxes, scores, { maxOutputSize: -1 })).toThrow(
      /maxOutputSize must be a non-negative integer. Received: maxOutputSize=-1/,
    );
    expect(() => nonMaxSuppression(boxes, tf.zeros([3]), { maxOutputSize: 2 })).toThrow(
      /expected boxes \[N, 4\] and scores \[N\]/,
    );
    tf.dispose([boxes, scores, expected, xywh, ours.selectedIndices, ours.selectedScores]);
  });
});
