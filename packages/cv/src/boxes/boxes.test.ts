import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BOX_FORMATS,
  clipToImage,
  computeCIoU,
  computeGIoU,
  computeIoU,
  convertFormat,
  decodeBoxTargets,
  encodeBoxTargets,
  toDense,
  toRagged,
} from './index.js';

function close(actual: tf.Tensor, expected: number[] | number[][], tolerance = 1e-5): void {
  const a = Array.from(actual.dataSync());
  const e = (expected as number[]).flat();
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    expect(Math.abs(v - (e[i] as number))).toBeLessThanOrEqual(tolerance);
  });
}

beforeAll(async () => {
  await backend.ready();
});

describe('convertFormat', () => {
  it('writes each format by hand for one box (image 100 x 200)', () => {
    // left 10, top 20, right 30, bottom 60
    const xyxy = tf.tensor2d([[10, 20, 30, 60]]);
    const expected: Record<string, number[]> = {
      xyxy: [10, 20, 30, 60],
      yxyx: [20, 10, 60, 30],
      xywh: [10, 20, 20, 40],
      center_xywh: [20, 40, 20, 40],
      center_yxhw: [40, 20, 40, 20],
      rel_xyxy: [0.05, 0.2, 0.15, 0.6],
      rel_yxyx: [0.2, 0.05, 0.6, 0.15],
      rel_xywh: [0.05, 0.2, 0.1, 0.4],
      rel_center_xywh: [0.1, 0.4, 0.1, 0.4],
      rel_center_yxhw: [0.4, 0.1, 0.4, 0.1],
    };
    for (const format of BOX_FORMATS) {
      const out = convertFormat(xyxy, { source: 'xyxy', target: format, height: 100, width: 200 });
      close(out, [expected[format] as number[]]);
      const back = convertFormat(out, { source: format, target: 'xyxy', height: 100, width: 200 });
      close(back, [[10, 20, 30, 60]], 1e-4);
      tf.dispose([out, back]);
    }
    xyxy.dispose();
  });

  it('keeps leading dimensions and names missing image sizes and bad formats', () => {
    const boxes = tf.zeros([2, 3, 4]);
    const out = convertFormat(boxes, { source: 'xywh', target: 'yxyx' });
    expect(out.shape).toEqual([2, 3, 4]);
    expect(() => convertFormat(boxes, { source: 'xyxy', target: 'rel_xyxy' })).toThrow(
      /needs the image size; pass height and width/,
    );
    expect(() => convertFormat(boxes, { source: 'xyxy', target: 'xyyx' as 'xyxy' })).toThrow(
      /unknown target "xyyx". Expected one of xyxy/,
    );
    expect(() => convertFormat(tf.zeros([2, 3]), { source: 'xyxy', target: 'yxyx' })).toThrow(
      /last dimension of 4, received shape \[2, 3\]/,
    );
    tf.dispose([boxes, out]);
  });
});

describe('IoU family', () => {
  it('computeIoU pairwise: hand values', () => {
    const a = tf.tensor2d([
      [0, 0, 2, 2],
      [0, 0, 1, 1],
    ]);
    const b = tf.tensor2d([
      [1, 1, 3, 3],
      [0, 0, 2, 2],
      [5, 5, 6, 6],
    ]);
    const iou = computeIoU(a, b);
    expect(iou.shape).toEqual([2, 3]);
    close(iou, [
      [1 / 7, 1, 0],
      [0, 0.25, 0],
    ]);
    // same thing in yxyx and elementwise
    const ay = convertFormat(a, { source: 'xyxy', target: 'yxyx' });
    const by = convertFormat(
      tf.tensor2d([
        [1, 1, 3, 3],
        [0, 0, 2, 2],
      ]),
      { source: 'xyxy', target: 'yxyx' },
    );
    const elementwise = computeIoU(ay, by, { boundingBoxFormat: 'yxyx', mode: 'elementwise' });
    close(elementwise, [1 / 7, 0.25]);
    tf.dispose([a, b, iou, ay, by, elementwise]);
  });

  it('GIoU and CIoU: hand values', () => {
    const a = tf.tensor2d([
      [0, 0, 2, 2],
      [0, 0, 2, 2],
      [0, 0, 1, 1],
    ]);
    const b = tf.tensor2d([
      [1, 1, 3, 3],
      [0, 0, 4, 2],
      [2, 2, 3, 3],
    ]);
    const giou = computeGIoU(a, b, { mode: 'elementwise' });
    // enclosing 3x3 = 9, union 7: 1/7 - 2/9; 4x2 enclosing = union: 0.5; disjoint: 0 - (9 - 2) / 9
    close(giou, [1 / 7 - 2 / 9, 0.5, -7 / 9]);
    const ciou = computeCIoU(a, b, { mode: 'elementwise' });
    const v = (4 / Math.PI ** 2) * (Math.atan(2) - Math.atan(1)) ** 2;
    const alpha = v / (1 - 0.5 + v);
    // centre distance^2 / enclosing diagonal^2 (+ aspect term for the second pair)
    close(ciou, [1 / 7 - 2 / 18, 0.5 - 1 / 20 - alpha * v, 0 - 8 / 18], 1e-5);
    tf.dispose([a, b, giou, ciou]);
  });
});

describe('clipToImage', () => {
  it('clips to the image and marks empty boxes with -1', () => {
    const boxes = tf.tensor3d([
      [
        [-5, 10, 50, 120],
        [200, 200, 300, 300],
        [10, 10, 10, 40],
      ],
    ]);
    const labels = tf.tensor2d([[3, 1, 2]], [1, 3], 'int32');
    const out = clipToImage({ boxes, labels }, { height: 100, width: 150 });
    close(out.boxes, [
      [-0, 10, 50, 100],
      [-1, -1, -1, -1],
      [-1, -1, -1, -1],
    ]);
    expect(Array.from(out.labels.dataSync())).toEqual([3, -1, -1]);
    expect(out.labels.dtype).toBe('int32');
    tf.dispose([boxes, labels, out.boxes, out.labels]);
  });
});

describe('encodeBoxTargets / decodeBoxTargets', () => {
  it('encodes by hand and decodes back', () => {
    const anchors = tf.tensor2d([[0, 0, 10, 20]]); // xyxy: centre (5, 10), w 10, h 20
    const boxes = tf.tensor2d([[2, 4, 22, 44]]); // centre (12, 24), w 20, h 40
    const deltas = encodeBoxTargets(anchors, boxes, { variance: [0.1, 0.1, 0.2, 0.2] });
    close(
      deltas,
      [[(24 - 10) / 20 / 0.1, (12 - 5) / 10 / 0.1, Math.log(2) / 0.2, Math.log(2) / 0.2]],
      1e-4,
    );
    const back = decodeBoxTargets(anchors, deltas, { variance: [0.1, 0.1, 0.2, 0.2] });
    close(back, [[2, 4, 22, 44]], 1e-4);
    tf.dispose([anchors, boxes, deltas, back]);
  });
});

describe('toDense / toRagged', () => {
  it('pads ragged sets with -1 and drops the padding again', () => {
    const ragged = {
      boxes: [
        [[1, 2, 3, 4]],
        [],
        [
          [0, 0, 1, 1],
          [2, 2, 3, 3],
        ],
      ],
      labels: [[7], [], [0, 5]],
    };
    const dense = toDense(ragged);
    expect(dense.boxes.shape).toEqual([3, 2, 4]);
    expect(dense.labels.arraySync()).toEqual([
      [7, -1],
      [-1, -1],
      [0, 5],
    ]);
    expect((dense.boxes.arraySync() as number[][][])[0]?.[1]).toEqual([-1, -1, -1, -1]);
    expect(toRagged(dense)).toEqual(ragged);
    expect(() => toDense(ragged, { maxBoxes: 1 })).toThrow(
      /image 2 has 2 boxes, more than maxBoxes=1/,
    );
    tf.dispose([dense.boxes, dense.labels]);
  });
});
