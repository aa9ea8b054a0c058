/** Test-only loader of the PyTorch reference fixture (test-fixtures/modeling/transformer-reference.json). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Layer, tf } from '@cornu/core';
import { expect } from 'vitest';

export interface ReferenceWeight {
  name: string;
  shape: number[];
  values: number[];
}

export interface ReferenceCase {
  name: string;
  config: {
    intermediateDim: number;
    numHeads: number;
    normalizeFirst: boolean;
    activation: string;
  };
  inputShape: number[];
  input: number[];
  encoderShape?: number[];
  encoderInput?: number[];
  paddingMask?: number[];
  encoderPaddingMask?: number[];
  weights: ReferenceWeight[];
  output: number[];
}

export interface FNetReference {
  inputShape: number[];
  input: number[];
  /** Real part of numpy.fft.fft2 over the last two axes. */
  mixing: number[];
  weights: ReferenceWeight[];
  output: number[];
}

export interface ReferenceFixture {
  generator: string;
  torch: string;
  encoder: ReferenceCase[];
  decoder: ReferenceCase[];
  fnet: FNetReference;
}

export function loadReference(): ReferenceFixture {
  const path = fileURLToPath(
    new URL('../../../test-fixtures/modeling/transformer-reference.json', import.meta.url),
  );
  return JSON.parse(readFileSync(path, 'utf8')) as ReferenceFixture;
}

/** Assigns the fixture's weights in order, checking each one's path suffix and shape against `layer.weights`. */
export function assignReferenceWeights(layer: Layer, weights: ReferenceWeight[]): void {
  const variables = layer.weights;
  expect(variables.map((v) => v.shape)).toEqual(weights.map((w) => w.shape));
  variables.forEach((v, i) => {
    const w = weights[i] as ReferenceWeight;
    // The fixture names KerasHub's path below the block: 'self_attention_layer/query/kernel'.
    expect(v.path).toBe(`${layer.name}/${w.name}`);
    const value = tf.tensor(w.values, w.shape);
    v.assign(value);
    value.dispose();
  });
}

/** Max absolute difference between a tensor and expected values. */
export function maxAbsDiff(actual: tf.Tensor, expected: number[]): number {
  const values = actual.dataSync();
  expect(values.length).toBe(expected.length);
  let worst = 0;
  values.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - (expected[i] as number)));
  });
  return worst;
}
