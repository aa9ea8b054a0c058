import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors/errors.js';

const FRESH = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Two-operand einsum (`'abc,cd->abd'`, `'...b,bc->...c'`) built from transpose, reshape, sum and
 * matMul, so it is differentiable on every engine (tfjs's Einsum kernel has no gradient and no
 * ellipsis). Labels repeated within one operand are not supported.
 */
export function einsum(equation: string, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const match = /^\s*([a-zA-Z.]*)\s*,\s*([a-zA-Z.]*)\s*->\s*([a-zA-Z.]*)\s*$/.exec(equation);
  if (!match)
    throw new ValueError(
      `einsum: expected an equation like 'ab,bc->ac', received ${JSON.stringify(equation)}.`,
    );
  let [, sa = '', sb = '', so = ''] = match;
  let ellipsis = '';
  const expand = (spec: string, rank: number, which: string): string => {
    if (!spec.includes('...')) return spec;
    const n = rank - (spec.length - 3);
    if (n < 0)
      throw new ValueError(
        `einsum: operand ${which} has rank ${rank}, fewer than the labels in ${JSON.stringify(spec)}.`,
      );
    const labels = FRESH.slice(0, n);
    if (ellipsis.length < labels.length) ellipsis = labels;
    return spec.replace('...', labels);
  };
  sa = expand(sa, a.rank, 'a');
  sb = expand(sb, b.rank, 'b');
  so = so.replace('...', ellipsis);
  for (const [spec, t, which] of [
    [sa, a, 'a'],
    [sb, b, 'b'],
  ] as const) {
    if (spec.length !== t.rank) {
      throw new ValueError(
        `einsum: operand ${which} has shape ${JSON.stringify(t.shape)} but ${equation} gives it ${spec.length} labels.`,
      );
    }
    if (new Set(spec).size !== spec.length)
      throw new ValueError(
        `einsum: repeated labels within an operand are not supported (${equation}).`,
      );
  }
  return tf.tidy(() => {
    const size = new Map<string, number>();
    [...sa].forEach((l, i) => size.set(l, a.shape[i] as number));
    [...sb].forEach((l, i) => size.set(l, b.shape[i] as number));
    // Sum out labels that appear in one operand only and not in the output.
    const reduceOnly = (t: tf.Tensor, spec: string, other: string): [tf.Tensor, string] => {
      const axes = [...spec]
        .map((l, i) => (!other.includes(l) && !so.includes(l) ? i : -1))
        .filter((i) => i >= 0);
      if (axes.length === 0) return [t, spec];
      return [tf.sum(t, axes), [...spec].filter((_l, i) => !axes.includes(i)).join('')];
    };
    const [ra, pa] = reduceOnly(a, sa, sb);
    const [rb, pb] = reduceOnly(b, sb, sa);
    const batch = [...pa].filter((l) => pb.includes(l) && so.includes(l));
    const contract = [...pa].filter((l) => pb.includes(l) && !so.includes(l));
    const freeA = [...pa].filter((l) => !pb.includes(l));
    const freeB = [...pb].filter((l) => !pa.includes(l));
    const prod = (labels: string[]) => labels.reduce((n, l) => n * (size.get(l) as number), 1);
    const at = tf.transpose(
      ra,
      [...batch, ...freeA, ...contract].map((l) => pa.indexOf(l)),
    );
    const bt = tf.transpose(
      rb,
      [...batch, ...contract, ...freeB].map((l) => pb.indexOf(l)),
    );
    const a3 = tf.reshape(at, [prod(batch), prod(freeA), prod(contract)]) as tf.Tensor3D;
    const b3 = tf.reshape(bt, [prod(batch), prod(contract), prod(freeB)]) as tf.Tensor3D;
    const product = tf.matMul(a3, b3);
    const labels = [...batch, ...freeA, ...freeB];
    const full = tf.reshape(
      product,
      labels.map((l) => size.get(l) as number),
    );
    for (const l of so) {
      if (!labels.includes(l))
        throw new ValueError(`einsum: output label '${l}' of ${equation} appears in no operand.`);
    }
    return tf.transpose(
      full,
      [...so].map((l) => labels.indexOf(l)),
    );
  });
}
