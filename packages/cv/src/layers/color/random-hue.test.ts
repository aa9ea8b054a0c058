import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomHue } from './random-hue.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

/** Python's colorsys-style conversions, written independently of the layer's tensor code. */
function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let h = 0;
  if (d > 0) {
    if (max === r) h = ((g - b) / d) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
    h = (((h / 6) % 1) + 1) % 1;
  }
  return [h, max === 0 ? 0 : d / max, max];
}
function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const i = Math.floor(h * 6) % 6;
  const f = h * 6 - Math.floor(h * 6);
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  return [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][i] as [number, number, number];
}

describe('RandomHue', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomHue, {
      initArgs: { factor: 0.5, seed: 1 },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it('a third of a turn maps red to green and green to blue', () => {
    const x = tf.tensor4d([255, 0, 0, 0, 255, 0], [1, 1, 2, 3]);
    const y = values(
      new RandomHue({ factor: [2 / 3, 2 / 3], seed: 1 }).apply(x, { training: true }),
    ).map(Math.round);
    expect(y).toEqual([0, 255, 0, 0, 0, 255]);
    x.dispose();
  });

  it('agrees with a scalar HSV implementation on random colours', () => {
    const x = tf.randomUniform([1, 10, 10, 3], 0, 255, 'float32', 5);
    const shift = 0.15; // factor 0.3 half turns
    const y = values(new RandomHue({ factor: [0.3, 0.3], seed: 1 }).apply(x, { training: true }));
    const input = values(x);
    for (let i = 0; i < input.length; i += 3) {
      const [h, s, v] = rgbToHsv(
        (input[i] as number) / 255,
        (input[i + 1] as number) / 255,
        (input[i + 2] as number) / 255,
      );
      const expected = hsvToRgb((h + shift) % 1, s, v);
      for (let c = 0; c < 3; c++)
        expect(Math.abs((y[i + c] as number) - (expected[c] as number) * 255)).toBeLessThan(0.05);
    }
  });
});
