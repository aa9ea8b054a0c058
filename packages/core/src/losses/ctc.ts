import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { lossArgs } from './config.js';
import { type LossArgs, type LossConfig, LossFunctionWrapper } from './loss.js';

const NEG = -1e30;

function logSumExp(parts: tf.Tensor[]): tf.Tensor {
  const m = parts.slice(1).reduce((a, b) => tf.maximum(a, b), parts[0]!);
  // Pairwise adds: addN's gradient uses Tensor.clone, which the vitest setup cannot run.
  const sum = parts.map((p) => tf.exp(tf.sub(p, m))).reduce((a, b) => tf.add(a, b));
  return tf.add(m, tf.log(sum));
}

/** Shifts `[batch, S]` right by `k` along the second axis, filling with log(0). */
function shiftRight(x: tf.Tensor, k: number): tf.Tensor {
  const [b, s] = x.shape as [number, number];
  return tf.concat([tf.fill([b, k], NEG), tf.slice(x, [0, 0], [b, s - k])], 1);
}

/**
 * Connectionist temporal classification loss, per sample, by the forward algorithm in log space.
 * `yTrue` `[batch, maxLabelLength]` integer labels where 0 is the blank and pads the label
 * (Keras's convention: class 0 is never a label); `yPred` `[batch, time, classes]` logits. Every
 * sample uses all `time` steps; its label length is its count of non-zero labels.
 */
export function ctc(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  if (yTrue.rank !== 2) {
    throw new ValueError(
      `ctc: expected yTrue of shape [batch, maxLength] (integer labels), received shape [${yTrue.shape}].`,
    );
  }
  if (yPred.rank !== 3) {
    throw new ValueError(
      `ctc: expected yPred of shape [batch, time, classes] (logits), received shape [${yPred.shape}].`,
    );
  }
  const [batch, time, classes] = yPred.shape as [number, number, number];
  const labels = yTrue.arraySync() as number[][];
  const maxLen = yTrue.shape[1]!;
  const S = 2 * maxLen + 1;
  const ext: number[] = [];
  const skip: number[] = [];
  const finalMask: number[] = [];
  for (let b = 0; b < batch; b++) {
    const row = labels[b]!.map((v) => Math.round(v));
    const length = row.filter((v) => v !== 0).length;
    const seq: number[] = [];
    for (let s = 0; s < S; s++) seq.push(s % 2 === 1 ? row[(s - 1) / 2]! : 0);
    for (let s = 0; s < S; s++) {
      ext.push(seq[s]!);
      skip.push(s >= 2 && seq[s] !== 0 && seq[s] !== seq[s - 2] ? 1 : 0);
      finalMask.push(s === 2 * length || s === 2 * length - 1 ? 1 : 0);
    }
  }
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(yPred, -1);
    const onehot = tf.oneHot(tf.tensor1d(ext, 'int32'), classes).reshape([batch, S, classes]);
    // emit[b, t, s] = logProbs[b, t, ext[b, s]]
    const emit = tf.matMul(logProbs, onehot, false, true);
    const skipOk = tf.tensor2d(skip, [batch, S]).cast('bool');
    const negs = tf.fill([batch, S], NEG);
    const start = tf.tensor2d(
      Array.from({ length: batch * S }, (_, i) => (i % S < 2 ? 0 : NEG)),
      [batch, S],
    );
    const emitAt = (t: number) => tf.reshape(tf.slice(emit, [0, t, 0], [batch, 1, S]), [batch, S]);
    let alpha = tf.add(start, emitAt(0));
    for (let t = 1; t < time; t++) {
      const fromSkip = tf.where(skipOk, shiftRight(alpha, 2), negs);
      alpha = tf.add(logSumExp([alpha, shiftRight(alpha, 1), fromSkip]), emitAt(t));
    }
    const finals = tf.where(tf.tensor2d(finalMask, [batch, S]).cast('bool'), alpha, negs);
    const m = tf.max(finals, -1, true);
    const total = tf.add(tf.squeeze(m, [-1]), tf.log(tf.sum(tf.exp(tf.sub(finals, m)), -1)));
    return tf.neg(total);
  });
}

/** CTC loss (Keras `CTC`). */
export class CTC extends LossFunctionWrapper {
  static override readonly className: string = 'CTC';
  constructor(args: LossArgs = {}) {
    super(ctc, args, 'ctc');
  }
  override values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return ctc(yTrue, yPred);
  }
  static fromConfig(config: LossConfig): CTC {
    return new CTC(lossArgs(config));
  }
}
