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

  it('a third of a turn maps red to green and green to blue, or back (Keras 3 flips the sign at random)', () => {
    const x = tf.tidy(() =>
      tf.tile(tf.tensor4d([255, 0, 0, 0, 255, 0], [1, 1, 2, 3]), [8, 1, 1, 1]),
    );
    const y = values(
      new RandomHue({ factor: [2 / 3, 2 / 3], seed: 1 }).apply(x, { training: true }),
    ).map(Math.round);
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const image = JSON.stringify(y.slice(6 * i, 6 * i + 6));
      // +1/3 turn: red -> green, green -> blue; -1/3: red -> blue, green -> red
      expect([
        JSON.stringify([0, 255, 0, 0, 0, 255]),
        JSON.stringify([0, 0, 255, 255, 0, 0]),
      ]).toContain(image);
      seen.add(image);
    }
    expect(seen.size).toBe(2);
    x.dispose();
  });

  it('agrees with a scalar HSV implementation on random colours, shifted by +-factor / 2', () => {
    const x = tf.randomUniform([6, 5, 5, 3], 0, 255, 'float32', 5);
    const y = values(new RandomHue({ factor: [0.3, 0.3], seed: 1 }).apply(x, { training: true }));
    const input = values(x);
    const signs = new Set<number>();
    const size = 5 * 5 * 3;
    for (let image = 0; image < 6; image++) {
      const errors = [0.15, -0.15].map((shift) => {
        let worst = 0;
        for (let i = image * size; i < (image + 1) * size; i += 3) {
          const [h, s, v] = rgbToHsv(
            (input[i] as number) / 255,
            (input[i + 1] as number) / 255,
            (input[i + 2] as number) / 255,
          );
          const expected = hsvToRgb((h + shift + 1) % 1, s, v);
          for (let c = 0; c < 3; c++)
            worst = Math.max(worst, Math.abs((y[i + c] as number) - (expected[c] as number) * 255));
        }
        return worst;
      });
      expect(Math.min(...errors)).toBeLessThan(0.05);
      signs.add((errors[0] as number) < (errors[1] as number) ? 1 : -1);
    }
    expect([...signs].sort()).toEqual([-1, 1]);
  });
});
