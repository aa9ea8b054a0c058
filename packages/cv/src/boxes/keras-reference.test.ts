/**
 * Differential test of the box utilities against real Keras 3.15.1 (jax backend) and TensorFlow
 * 2.21: every case in test-fixtures/keras-reference/boxes.json is what
 * `keras.utils.bounding_boxes.*` or `tf.image.non_max_suppression_with_scores` returned for the
 * recorded input (scripts/keras_reference.py). Cornu must agree to 1e-5.
 */
import { readFileSync } from 'node:fs';
import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../test-utils.js';
import { clipToImage } from './clip-to-image.js';
import { BOX_FORMATS, type BoxFormat, convertFormat } from './convert-format.js';
import { toDense } from './dense.js';
import { computeCIoU, computeIoU } from './iou.js';
import { nonMaxSuppression } from './non-max-suppression.js';

interface Recorded {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: number[];
}
interface BoxesFixture {
  keras_version: string;
  backend: string;
  tensorflow_version: string;
  convert_format: {
    height: number;
    width: number;
    cases: { source: BoxFormat; boxes: Recorded; outputs: Record<string, number[]> }[];
  };
  clip_to_image_size: {
    height: number;
    width: number;
    cases: {
      format: BoxFormat;
      boxes: Recorded;
      labels: Recorded;
      out_boxes: Recorded;
      out_labels: Recorded;
    }[];
  };
  compute_iou: {
    height: number;
    width: number;
    cases: { id: string; format: BoxFormat; boxes1: Recorded; boxes2: Recorded; iou: Recorded }[];
  };
  compute_ciou: { format: BoxFormat; boxes1: Recorded; boxes2: Recorded; ciou: Recorded }[];
  max_num_bounding_boxes: {
    boxes: number[][][];
    labels: number[][];
    max_number: Record<string, { boxes: Recorded; labels: Recorded }>;
  };
  non_max_suppression: {
    boxes_yxyx: Recorded;
    scores: Recorded;
    classes: Recorded;
    cases: {
      iou_threshold: number;
      score_threshold: number | null;
      max_output_size: number;
      soft_nms_sigma: number;
      classes: boolean;
      selected_indices: number[];
      selected_scores: number[];
    }[];
  };
}

const doc = JSON.parse(readFileSync(fixture('keras-reference/boxes.json'), 'utf8')) as BoxesFixture;

const toTensor = (r: Recorded) => tf.tensor(r.data, r.shape, r.dtype);

/** Largest |a - b| over two equally long lists (NaN if the lengths differ). */
function worst(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.NaN;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

beforeAll(async () => {
  await backend.ready();
});

describe('box utilities against Keras 3.15.1 (keras-reference/boxes.json)', () => {
  it('was written by Keras 3.15.1 on jax and TensorFlow 2.21', () => {
    expect([doc.keras_version, doc.backend, doc.tensorflow_version]).toEqual([
      '3.15.1',
      'jax',
      '2.21.0',
    ]);
  });

  it("convertFormat: all 81 pairs of Keras's formats agree to 1e-5", () => {
    const { height, width, cases } = doc.convert_format;
    // Keras has every Cornu format except rel_center_yxhw (Cornu's addition)
    const kerasFormats = cases.map((c) => c.source);
    expect(BOX_FORMATS.filter((f) => !kerasFormats.includes(f))).toEqual(['rel_center_yxhw']);
    const before = tf.memory().numTensors;
    let compared = 0;
    for (const c of cases) {
      const boxes = toTensor(c.boxes);
      for (const [target, expected] of Object.entries(c.outputs)) {
        const out = convertFormat(boxes, {
          source: c.source,
          target: target as BoxFormat,
          height,
          width,
        });
        expect(out.shape, `${c.source} -> ${target}`).toEqual(c.boxes.shape);
        expect(worst(out.dataSync(), expected), `${c.source} -> ${target}`).toBeLessThan(1e-5);
        out.dispose();
        compared++;
      }
      boxes.dispose();
    }
    expect(compared).toBe(81);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('clipToImage: the labels Keras keeps and the clipped boxes of the kept ones', () => {
    const { height, width, cases } = doc.clip_to_image_size;
    expect(cases.map((c) => c.format)).toEqual(['xyxy', 'rel_xyxy']);
    const before = tf.memory().numTensors;
    for (const c of cases) {
      const boxes = toTensor(c.boxes);
      const labels = toTensor(c.labels);
      const out = clipToImage({ boxes, labels }, { height, width, boundingBoxFormat: c.format });
      const got = out.boxes.dataSync();
      const gotLabels = Array.from(out.labels.dataSync());
      expect(gotLabels, c.format).toEqual(c.out_labels.data);
      // Keras leaves the coordinates of dropped boxes (label -1) as clipped; Cornu writes the
      // padding box [-1, -1, -1, -1] for them (documented: "empty boxes -> -1").
      c.out_labels.data.forEach((label, k) => {
        const kept = Array.from(got.slice(4 * k, 4 * k + 4));
        if (label >= 0)
          expect(worst(kept, c.out_boxes.data.slice(4 * k, 4 * k + 4))).toBeLessThan(1e-6);
        else expect(kept).toEqual([-1, -1, -1, -1]);
      });
      // the recorded set has kept, clipped, outside, zero-area and padding boxes
      expect(c.out_labels.data.filter((l) => l >= 0).length).toBe(2);
      tf.dispose([boxes, labels, out.boxes, out.labels]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computeIoU: pairwise, batched and mixed ranks, every absolute format and rel_xyxy', () => {
    const cases = doc.compute_iou.cases;
    expect(cases.map((c) => c.id)).toEqual([
      'pairwise_xyxy',
      'pairwise_yxyx',
      'pairwise_xywh',
      'pairwise_center_xywh',
      'pairwise_rel_xyxy',
      'batched',
      'batched_vs_unbatched',
    ]);
    const before = tf.memory().numTensors;
    for (const c of cases) {
      const a = toTensor(c.boxes1);
      const b = toTensor(c.boxes2);
      const out = computeIoU(a, b, { boundingBoxFormat: c.format });
      expect(out.shape, c.id).toEqual(c.iou.shape);
      expect(worst(out.dataSync(), c.iou.data), c.id).toBeLessThan(1e-5);
      tf.dispose([a, b, out]);
    }
    // the cases include an exact match (IoU 1) and a disjoint pair (IoU 0)
    const first = cases[0]?.iou.data ?? [];
    expect(Math.max(...first)).toBeCloseTo(1, 5);
    expect(first.filter((v) => v === 0).length).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computeCIoU (elementwise, as keras.utils.bounding_boxes.compute_ciou) agrees to 1e-5', () => {
    expect(doc.compute_ciou.map((c) => c.format)).toEqual(['xyxy', 'yxyx', 'center_xywh']);
    const before = tf.memory().numTensors;
    for (const c of doc.compute_ciou) {
      const a = toTensor(c.boxes1);
      const b = toTensor(c.boxes2);
      const out = computeCIoU(a, b, { boundingBoxFormat: c.format, mode: 'elementwise' });
      expect(out.shape, c.format).toEqual(c.ciou.shape);
      expect(worst(out.dataSync(), c.ciou.data), c.format).toBeLessThan(1e-5);
      // identical boxes: CIoU 1; negative values (far apart) are present too
      expect(c.ciou.data[0]).toBeCloseTo(1, 5);
      expect(Math.min(...c.ciou.data)).toBeLessThan(0);
      tf.dispose([a, b, out]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('toDense pads ragged sets as keras.layers.MaxNumBoundingBoxes does; it refuses to cut', () => {
    const { boxes, labels, max_number } = doc.max_num_bounding_boxes;
    const padded = max_number['5'] as { boxes: Recorded; labels: Recorded };
    const before = tf.memory().numTensors;
    const dense = toDense({ boxes, labels }, { maxBoxes: 5 });
    expect(dense.boxes.shape).toEqual(padded.boxes.shape);
    expect(worst(dense.boxes.dataSync(), padded.boxes.data)).toBeLessThan(1e-6);
    expect(Array.from(dense.labels.dataSync())).toEqual(padded.labels.data);
    tf.dispose([dense.boxes, dense.labels]);
    // Keras's MaxNumBoundingBoxes(2) silently drops image 0's third box; Cornu's toDense refuses
    // (documented: "never silently truncated")
    const cut = max_number['2'] as { boxes: Recorded; labels: Recorded };
    expect(cut.labels.data.slice(0, 2)).toEqual([2, 0]);
    expect(() => toDense({ boxes, labels }, { maxBoxes: 2 })).toThrow(
      /image 0 has 3 boxes, more than maxBoxes=2/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('nonMaxSuppression picks what tf.image.non_max_suppression_with_scores picks (hard, soft, per class)', () => {
    const nms = doc.non_max_suppression;
    expect(nms.cases.length).toBe(7);
    expect(nms.cases.filter((c) => c.soft_nms_sigma > 0).length).toBe(3);
    expect(nms.cases.filter((c) => c.classes).length).toBe(2);
    const boxes = toTensor(nms.boxes_yxyx);
    const scores = toTensor(nms.scores);
    const before = tf.memory().numTensors;
    for (const c of nms.cases) {
      const label = JSON.stringify({
        ...c,
        selected_indices: undefined,
        selected_scores: undefined,
      });
      // TF 2.21's soft-NMS ignores iou_threshold (its kernel only hard-suppresses when sigma is
      // 0); Cornu, like tfjs's nonMaxSuppressionWithScore, still drops boxes above the threshold.
      // Cornu reproduces TF with iouThreshold 1; the next test pins the difference.
      const iouThreshold = c.soft_nms_sigma > 0 ? 1 : c.iou_threshold;
      const out = nonMaxSuppression(boxes, scores, {
        maxOutputSize: c.max_output_size,
        iouThreshold,
        scoreThreshold: c.score_threshold ?? Number.NEGATIVE_INFINITY,
        softNmsSigma: c.soft_nms_sigma,
        classes: c.classes ? nms.classes.data : undefined,
      });
      expect(Array.from(out.selectedIndices.dataSync()), label).toEqual(c.selected_indices);
      expect(worst(out.selectedScores.dataSync(), c.selected_scores), label).toBeLessThan(1e-5);
      tf.dispose([out.selectedIndices, out.selectedScores]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([boxes, scores]);
  });

  it('soft-NMS with iouThreshold < 1: Cornu follows tfjs (threshold applied), TF 2.21 ignores it', () => {
    const nms = doc.non_max_suppression;
    const c = nms.cases.find((k) => k.soft_nms_sigma > 0 && k.iou_threshold < 1 && !k.classes);
    if (!c) throw new Error('the fixture has no soft-NMS case with iou_threshold < 1');
    const boxes = toTensor(nms.boxes_yxyx) as tf.Tensor2D;
    const scores = toTensor(nms.scores) as tf.Tensor1D;
    const scoreThreshold = c.score_threshold ?? Number.NEGATIVE_INFINITY;
    const out = nonMaxSuppression(boxes, scores, {
      maxOutputSize: c.max_output_size,
      iouThreshold: c.iou_threshold,
      scoreThreshold,
      softNmsSigma: c.soft_nms_sigma,
    });
    const tfjs = tf.image.nonMaxSuppressionWithScore(
      boxes,
      scores,
      c.max_output_size,
      c.iou_threshold,
      scoreThreshold,
      c.soft_nms_sigma,
    ) as { selectedIndices: tf.Tensor1D; selectedScores: tf.Tensor1D };
    const got = Array.from(out.selectedIndices.dataSync());
    expect(got).toEqual(Array.from(tfjs.selectedIndices.dataSync()));
    // TF keeps boxes overlapping a kept one by more than the threshold; Cornu and tfjs drop them
    const extra = c.selected_indices.filter((i) => !got.includes(i));
    expect(extra.length).toBeGreaterThan(0);
    tf.dispose([
      boxes,
      scores,
      out.selectedIndices,
      out.selectedScores,
      tfjs.selectedIndices,
      tfjs.selectedScores,
    ]);
  });
});
