import { readFile } from 'node:fs/promises';
import { fixture } from '../../test-utils.js';
import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Equalization } from './equalization.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('Equalization', () => {
  it('passes the layer harness', () => {
    runLayerTest(Equalization, {
      initArgs: {},
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it("matches Pillow's ImageOps.equalize exactly", async () => {
    const ref = JSON.parse(await readFile(fixture('equalize_pillow_reference.json'), 'utf8')) as {
      shape: number[];
      input: number[];
      output: number[];
    };
    const x = tf.tensor4d(ref.input, [1, ...ref.shape] as [number, number, number, number]);
    const y = values(new Equalization().apply(x)).map(Math.round);
    expect(y).toEqual(ref.output);
    x.dispose();
  });

  it('leaves a constant image unchanged', () => {
    const x = tf.fill([1, 3, 3, 3], 77);
    expect(values(new Equalization().apply(x)).map(Math.round)).toEqual(new Array(27).fill(77));
    x.dispose();
  });
});
